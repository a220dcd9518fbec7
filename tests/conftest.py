"""Shared fixtures: small real datasets and SQLite files in tmp_path; Qt offscreen."""

from __future__ import annotations

import csv
import os
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

from desktop_app.importers.canonical import COLUMNS

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

ENTITY_COLS = list(COLUMNS["entities.csv"][0])
REL_COLS = list(COLUMNS["relationships.csv"][0])


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for row in rows:
            w.writerow(["" if v is None else v for v in row])


def make_dataset(
    folder: Path,
    entities: Iterable[dict[str, Any]],
    relationships: Iterable[dict[str, Any]] = (),
    names: Iterable[Sequence[Any]] = (),
    identifiers: Iterable[Sequence[Any]] = (),
    dataset_id: str = "cases",
    version: str = "1",
) -> Path:
    """Write a canonical dataset; entity and relationship dicts name only the columns they need."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dataset.toml").write_text(
        f'id = "{dataset_id}"\ntitle = "Constructed cases"\nversion = "{version}"\nas_of = 2026-01-01\n'
        'publisher = "Tests"\nlicense = "CC0-1.0"\ndescription = "Hand-made graphs"\n',
        encoding="utf-8",
    )
    write_csv(
        folder / "sources.csv",
        ["id", "title", "url", "publisher", "as_of", "license"],
        [["s1", "Constructed", "https://example.org/cases", "Tests", "2026-01-01", "CC0-1.0"]],
    )
    ent_rows = []
    for e in entities:
        row = {"kind": "company", "status": "active", "source_id": "s1", **e}
        ent_rows.append([row.get(c, "") for c in ENTITY_COLS])
    write_csv(folder / "entities.csv", ENTITY_COLS, ent_rows)
    rel_rows = []
    for r in relationships:
        row = {"kind": "ownership", "source_id": "s1", **r}
        if "share" in row:
            row["share_min"] = row["share_max"] = row.pop("share")
        rel_rows.append([row.get(c, "") for c in REL_COLS])
    write_csv(folder / "relationships.csv", REL_COLS, rel_rows)
    write_csv(folder / "names.csv", ["entity_id", "name", "type", "lang", "source_id"], names)
    write_csv(folder / "identifiers.csv", ["entity_id", "scheme", "value", "source_id"], identifiers)
    return folder


@pytest.fixture
def dataset_factory(tmp_path: Path):  # type: ignore[no-untyped-def]
    counter = iter(range(1000))

    def factory(*args: Any, **kwargs: Any) -> Path:
        return make_dataset(tmp_path / f"ds{next(counter)}", *args, **kwargs)

    return factory


def db_snapshot(db: Path) -> list[tuple[Any, ...]]:
    """Every row of the data tables of a SQLite database: equal before and after means nothing changed."""
    con = sqlite3.connect(db)
    try:
        out = []
        for table in ("datasets", "entities", "relationships", "names", "identifiers", "determinations"):
            out.extend((table, *row) for row in con.execute(f"SELECT * FROM {table} ORDER BY 1, 2"))
        return out
    finally:
        con.close()
