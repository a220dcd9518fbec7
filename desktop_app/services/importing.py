"""Importing datasets: validate everything first, then write, index and determine in one transaction."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from desktop_app import locations
from desktop_app.importers.canonical import CheckedDataset, check_dataset, dataset_records
from desktop_app.importers.gleif import CheckedGleif, check_gleif, gleif_records
from desktop_app.importers.gleif_files import looks_like_gleif
from desktop_app.importers.records import DatasetError
from desktop_app.services.context import AppContext, Progress
from desktop_app.services.determinations import compute_and_store
from desktop_app.store import search_index, status_changes
from desktop_app.store.dataset_totals import record_totals
from desktop_app.store.dataset_writer import delete_dataset, recompute_clusters, write_dataset
from desktop_app.store.determination_store import invalidate_all
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
        return _load(ctx, gleif, gleif_records(gleif), tick, t0)
    if len(paths) != 1:
        names = ", ".join(p.name for p in paths)
        raise DatasetError(names, [f"{names}:0:-: several paths are only accepted for the GLEIF golden-copy files"])
    checked = check_dataset(paths[0], (lambda what, n: tick(what, n, 0)))
    return _load(ctx, checked, dataset_records(checked), tick, t0)


def _load(
    ctx: AppContext,
    ds: CheckedDataset | CheckedGleif,
    records: Iterable[tuple[str, Any]],
    tick: Progress,
    t0: float,
) -> ImportSummary:
    # One transaction, swapped in at the commit: other users go on searching the previous data meanwhile.
    with ctx.store.write("import a dataset", exclusive=True) as conn:
        replaced = (
            conn.execute(select(func.count()).select_from(Dataset).where(Dataset.id == ds.meta.id)).scalar_one() > 0
        )
        status_changes.remember(conn, ctx.policy)
        write_dataset(conn, ds.meta, ds.content_sha256, ds.counts, records, tick)
        # Known only now for a golden copy, whose Level 1 file is checked while it is written.
        record_totals(
            conn, ds.meta.id, ds.counts["entities.csv"], ds.counts["relationships.csv"], ds.content_sha256
        )
        tick("Merging entities that share an LEI", 0, 0)
        recompute_clusters(conn)
        search_index.rebuild(conn, tick)
        invalidate_all(conn)
        compute_and_store(conn, ctx.policy, date.today(), tick)
        changed = status_changes.count(conn, ctx.policy)
        tick("Finishing", 1, 1)
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
