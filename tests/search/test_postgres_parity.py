"""PostgreSQL gives the same search results as SQLite for the whole evaluation set (both parts).

The same datasets are imported into a real server (CLEARANCE_TEST_PG_URL) and into SQLite files, and
every query of the evaluation set is searched on both: the ranked entities, their scores, what they
matched on and `check`'s match must be equal.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.services import lookup
from desktop_app.services.context import AppContext, open_context
from desktop_app.services.importing import import_dataset
from tests.pg import needs_pg, reset_database
from tests.search.conftest import FIXTURE_DATASET, REFERENCE_DATASET

pytestmark = needs_pg
HERE = Path(__file__).resolve().parent
DATASETS = {"fixture": FIXTURE_DATASET, "reference": REFERENCE_DATASET}


def queries(dataset: str) -> list[str]:
    out: list[str] = []
    for path in (HERE / "eval_tuning.csv", HERE / "eval_heldout.csv"):
        with path.open(encoding="utf-8", newline="") as fh:
            out.extend(r["query"] for r in csv.DictReader(fh) if r["dataset"] == dataset)
    assert out, "no evaluation queries found"
    return list(dict.fromkeys(out))


def answers(ctx: AppContext, typed: list[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for q in typed:
        hits = lookup.search(ctx, q, limit=10, prefix=False).hits
        as_typed = lookup.search(ctx, q[: max(1, len(q) // 2)], limit=10, prefix=True).hits  # half typed
        outcome = lookup.check(ctx, q)
        out[q] = (
            [(h.entity_id, h.score, h.matched_on, h.matched_text, h.status) for h in hits],
            [(h.entity_id, h.score) for h in as_typed],
            outcome.match.entity_id if outcome.match else None,
            [a.entity_id for a in outcome.alternatives],
        )
    return out


@pytest.fixture(params=sorted(DATASETS))
def dataset(request: pytest.FixtureRequest) -> Iterator[str]:
    if not (DATASETS[request.param] / "entities.csv").is_file():
        pytest.skip(f"the {request.param} dataset is not in this checkout")
    yield request.param


def test_search_on_postgresql_equals_sqlite_for_the_evaluation_set(dataset: str, tmp_path: Path) -> None:
    typed = queries(dataset)
    assert len(typed) >= 100
    results = []
    for where in (reset_database(), str(tmp_path / "same.db")):
        ctx = open_context(where, seed_reference=False)
        try:
            import_dataset(ctx, DATASETS[dataset])
            results.append(answers(ctx, typed))
        finally:
            ctx.close()
    on_server, on_file = results
    differ = [f"{q!r}: server {on_server[q]} / file {on_file[q]}" for q in typed if on_server[q] != on_file[q]]
    assert not differ, "\n".join(differ[:10])
    assert sum(1 for v in on_file.values() if v[0]) >= 0.9 * len(typed)  # the comparison is not of empty lists
