"""Importing datasets: validate everything first, then write, index and determine in one transaction."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from desktop_app import locations
from desktop_app.importers.canonical import CheckedDataset, check_dataset, dataset_records
from desktop_app.importers.records import DatasetError
from desktop_app.services.context import AppContext, Progress
from desktop_app.services.determinations import compute_and_store
from desktop_app.store import search_index
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


def import_dataset(
    ctx: AppContext,
    path: Path,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportSummary:
    """Import a canonical dataset (folder or .zip). Raises DatasetError (nothing written) or ImportCancelled."""
    t0 = time.perf_counter()

    def tick(phase: str, done: int, total: int) -> None:
        if cancelled is not None and cancelled():
            raise ImportCancelled("import cancelled; the database is unchanged")
        if progress:
            progress(phase, done, total)

    ctx.store.require_write("import a dataset")
    tick("Reading and checking the dataset", 0, 0)
    checked = check_dataset(path, (lambda what, n: tick(what, n, 0)))
    return _load(ctx, checked, tick, t0)


def _load(ctx: AppContext, ds: CheckedDataset, tick: Progress, t0: float) -> ImportSummary:
    # One transaction, swapped in at the commit: other users go on searching the previous data meanwhile.
    with ctx.store.write("import a dataset", exclusive=True) as conn:
        replaced = (
            conn.execute(select(func.count()).select_from(Dataset).where(Dataset.id == ds.meta.id)).scalar_one() > 0
        )
        write_dataset(conn, ds.meta, ds.content_sha256, ds.counts, dataset_records(ds), tick)
        tick("Merging entities that share an LEI", 0, 0)
        recompute_clusters(conn)
        search_index.rebuild(conn, tick)
        invalidate_all(conn)
        compute_and_store(conn, ctx.policy, date.today(), tick)
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
