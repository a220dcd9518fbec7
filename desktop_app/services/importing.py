"""Importing datasets: validate everything first, then write, index and determine in one transaction."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select

from desktop_app import locations
from desktop_app.importers.canonical import DatasetStream
from desktop_app.importers.gleif import CheckedGleif, check_gleif, gleif_records
from desktop_app.importers.gleif_files import looks_like_gleif
from desktop_app.importers.records import DatasetError
from desktop_app.services.context import AppContext, Progress
from desktop_app.services.determinations import compute_and_store
from desktop_app.store import search_index, status_changes
from desktop_app.store.bulk import few_collections
from desktop_app.store.dataset_totals import record_totals
from desktop_app.store.dataset_writer import delete_dataset, recompute_clusters, write_dataset
from desktop_app.store.determination_store import invalidate_all
from desktop_app.store.index_builder import AsideBuilder
from desktop_app.store.schema import Dataset

__all__ = ["DatasetError", "ImportCancelled", "ImportSummary", "import_dataset", "remove_dataset"]


class ImportCancelled(Exception):
    """The user cancelled; the database is exactly as it was."""


@dataclass(frozen=True)
class ImportSummary:
    dataset_id: str
    title: str
    version: str
    as_of: date
    entities: int
    names: int
    identifiers: int
    relationships: int
    sources: int
    replaced: bool
    seconds: float
    status_changes: int = 0  # entities on file before whose status the import changed


def import_dataset(
    ctx: AppContext,
    path: Path | Sequence[Path],
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportSummary:
    """Import a dataset: a canonical one (folder or .zip), or the GLEIF golden-copy files (several
    files, or a folder holding them), told apart by their content.

    Raises DatasetError (nothing written) or ImportCancelled.
    """
    t0 = time.perf_counter()
    paths = [path] if isinstance(path, Path) else list(path)

    def tick(phase: str, done: int, total: int) -> None:
        if cancelled is not None and cancelled():
            raise ImportCancelled("import cancelled; the database is unchanged")
        if progress:
            progress(phase, done, total)

    ctx.store.require_write("import a dataset")
    tick("Reading and checking the dataset", 0, 0)
    if looks_like_gleif(paths):
        gleif = check_gleif(paths, tick)
        return _load(ctx, gleif, gleif_records(gleif), tick, t0, sum(map(_bytes, paths)))
    if len(paths) != 1:
        names = ", ".join(p.name for p in paths)
        raise DatasetError(names, [f"{names}:0:-: several paths are only accepted for the GLEIF golden-copy files"])
    stream = DatasetStream(paths[0])
    records = stream.records(lambda what, n: tick(what, n, 0))
    return _load(ctx, stream, records, tick, t0, stream.size_hint("entities.csv", "names.csv"))


ASIDE_MIN_BYTES = 4_000_000  # from this much name data on, the search index is built aside in a second process


def _bytes(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir() if p.is_file())
    return path.stat().st_size if path.is_file() else 0


def _write(
    ctx: AppContext,
    conn: Connection,
    ds: DatasetStream | CheckedGleif,
    records: Iterable[tuple[str, Any]],
    tick: Progress,
    aside: AsideBuilder | None,
) -> tuple[bool, int]:
    """Inside the caller's transaction; (whether the dataset replaced another, statuses changed)."""
    replaced = conn.execute(select(func.count()).select_from(Dataset).where(Dataset.id == ds.meta.id)).scalar_one() > 0
    status_changes.remember(conn, ctx.policy)
    if aside is not None:
        tick("Reading the names of the other datasets", 0, 0)
        aside.add_existing(conn, ds.meta.id)
    write_dataset(conn, ds.meta, ds.content_sha256, ds.counts, records, tick, aside.add if aside is not None else None)
    if aside is not None:
        aside.end_names()  # the other process orders the index while this one merges and determines
    # Known only now when the records are checked while they are written.
    record_totals(conn, ds.meta.id, ds.counts["entities.csv"], ds.counts["relationships.csv"], ds.content_sha256)
    # the merging, the index and the statuses read the rows just written: a server plans them on their counts
    ctx.store.refresh_statistics(conn, ("entities", "names", "identifiers", "relationships"))
    tick("Merging entities that share an LEI", 0, 0)
    recompute_clusters(conn)
    invalidate_all(conn)
    if aside is None:
        search_index.rebuild(conn, tick)
        compute_and_store(conn, ctx.policy, date.today(), tick)
    else:
        # statuses are computed here while the other process finishes the index
        search_index.rebuild_identifiers(conn)
        compute_and_store(conn, ctx.policy, date.today(), tick)
        aside.finish(tick)
    changed = status_changes.count(conn, ctx.policy)
    ctx.store.refresh_statistics(conn)
    tick("Finishing", 1, 1)
    return bool(replaced), changed


def _load(
    ctx: AppContext,
    ds: DatasetStream | CheckedGleif,
    records: Iterable[tuple[str, Any]],
    tick: Progress,
    t0: float,
    size: int,
) -> ImportSummary:
    """Write, index and determine in one transaction, reading the records once.

    A problem anywhere stops the writing (the rest is still checked, to report every problem) and
    rolls the whole transaction back, so the database is as it was. A large import builds the search
    index aside in a second process while this one writes the rows and then computes the statuses.
    """
    with few_collections():
        replaced, changed = _load_rows(ctx, ds, records, tick, size)
    m = ds.meta
    return ImportSummary(
        m.id,
        m.title,
        m.version,
        m.as_of,
        ds.counts["entities.csv"],
        ds.counts["names.csv"],
        ds.counts["identifiers.csv"],
        ds.counts["relationships.csv"],
        ds.counts["sources.csv"],
        replaced,
        time.perf_counter() - t0,
        changed,
    )


def _load_rows(
    ctx: AppContext, ds: DatasetStream | CheckedGleif, records: Iterable[tuple[str, Any]], tick: Progress, size: int
) -> tuple[bool, int]:
    db_file = ctx.store.sqlite_path
    if db_file is not None and size >= ASIDE_MIN_BYTES:
        # SQLite attaches the index's build file only outside a transaction: attach, then begin
        with ctx.store.engine.connect() as conn, AsideBuilder(conn, db_file) as aside, conn.begin():
            replaced, changed = _write(ctx, conn, ds, records, tick, aside)
    elif db_file is None and size >= ASIDE_MIN_BYTES:
        # A server: the index is built in a file of the other process's own and copied in by COPY.
        with ctx.store.write("import a dataset", exclusive=True) as conn, AsideBuilder(conn, None) as aside:
            replaced, changed = _write(ctx, conn, ds, records, tick, aside)
    else:
        # One transaction, swapped in at the commit: other users go on searching the previous data meanwhile.
        with ctx.store.write("import a dataset", exclusive=True) as conn:
            replaced, changed = _write(ctx, conn, ds, records, tick, None)
    return replaced, changed


def remove_dataset(ctx: AppContext, dataset_id: str) -> bool:
    ctx.store.require_write("remove a dataset")
    with ctx.store.write("remove a dataset", exclusive=True) as conn:
        exists = conn.execute(select(func.count()).select_from(Dataset).where(Dataset.id == dataset_id)).scalar_one()
        if not exists:
            return False
        delete_dataset(conn, dataset_id)
        recompute_clusters(conn)
        search_index.rebuild(conn)
        invalidate_all(conn)
        compute_and_store(conn, ctx.policy, date.today())
        ctx.store.refresh_statistics(conn)
    return True


def seed_reference_data(ctx: AppContext, progress: Progress | None = None) -> ImportSummary | None:
    """On first use, fill an empty database from the embedded reference dataset."""
    with ctx.store.engine.connect() as conn:
        if conn.execute(select(func.count()).select_from(Dataset)).scalar_one() > 0:
            return None
    path = locations.reference_dataset_path()
    if not (path / "dataset.toml").is_file():
        return None
    return import_dataset(ctx, path, progress)
