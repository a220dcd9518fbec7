"""Databases for the search tests: the evaluation companies, and the reference dataset when present."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.services.context import AppContext, open_context
from desktop_app.services.importing import import_dataset

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
FIXTURE_DATASET = HERE / "fixtures" / "companies"
REFERENCE_DATASET = REPO / "data" / "reference"


def _context(folder: Path, db: Path) -> AppContext:
    ctx = open_context(db=db, seed_reference=False)
    import_dataset(ctx, folder)
    return ctx


@pytest.fixture(scope="session")
def companies_ctx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    """The search evaluation companies: well-known and look-alike names in several scripts."""
    ctx = _context(FIXTURE_DATASET, tmp_path_factory.mktemp("search") / "companies.db")
    yield ctx
    ctx.close()


@pytest.fixture(scope="session")
def reference_ctx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    if not (REFERENCE_DATASET / "entities.csv").is_file():
        pytest.skip("the reference dataset is not in this checkout")
    ctx = _context(REFERENCE_DATASET, tmp_path_factory.mktemp("search") / "reference.db")
    yield ctx
    ctx.close()
