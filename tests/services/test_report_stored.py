"""A report reads its owners' bounds from the stored statuses when they hold, and says exactly what a
report that solves the entity's ancestor subgraph again says; when they do not hold (another date with
a stake starting or ending in between, statuses not stored), it solves the subgraph itself."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from desktop_app.domain import explanation
from desktop_app.services import determinations, importing, reporting
from desktop_app.services.context import AppContext, open_context
from tests.conftest import make_dataset

COUNTRIES = ["CN", "RU", "HK", "US", "DE", "SG", ""]


def _dataset(rnd: random.Random, folder: Path, prefix: str, n: int, dataset_id: str, leis: list[str]) -> Path:
    today = date.today()
    ents = []
    for i in range(n):
        kind = rnd.choices(["company", "person", "state_body", "fund"], [10, 2, 1, 1])[0]
        country = rnd.choice(["US", "DE", "SG", "RU"] if kind == "person" and i % 5 else COUNTRIES)
        ents.append({
            "id": f"{prefix}{i}", "name": f"{prefix.upper()} Entity {i}", "kind": kind,
            "hq_country": "" if kind == "person" else country,
            "residence_country": country if kind == "person" else "",
            "ownership": rnd.choice(["", "complete", "complete", "partial"]),
            "lei": leis[i] if i < len(leis) else "",
        })
    rels = []
    for _ in range(3 * n // 2):
        a, b = rnd.randrange(n), rnd.randrange(n)
        if a == b:
            continue
        r = rnd.random()
        lo = hi = rnd.choice([5, 18.7, 30, 40, 51, 60, 100])
        if r < 0.15:
            lo = hi = ""
        elif r < 0.3:
            lo, hi = 10, 60
        rels.append({
            "owner_id": f"{prefix}{a}", "owned_id": f"{prefix}{b}",
            "kind": rnd.choices(["ownership", "voting", "control"], [6, 2, 1])[0], "share_min": lo, "share_max": hi,
            "start_date": (today + timedelta(days=rnd.choice([-300, 200]))).isoformat() if r > 0.9 else "",
            "end_date": (today + timedelta(days=rnd.choice([-10, 100]))).isoformat() if 0.8 < r <= 0.9 else "",
        })
    return make_dataset(folder, ents, rels, dataset_id=dataset_id)


def _lei(base: str) -> str:
    """An LEI of 18 digits with its ISO 17442 check digits (the whole number mod 97 is 1)."""
    return f"{base}{98 - int(base + '00') % 97:02d}"


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    rnd = random.Random(3)
    root = tmp_path_factory.mktemp("stored")
    leis = [_lei(f"549300000000000{i:03d}") for i in range(4)]  # shared: the two datasets' entities merge
    context = open_context(db=root / "r.db", seed_reference=False)
    importing.import_dataset(context, _dataset(rnd, root / "a", "a", 50, "first", leis))
    importing.import_dataset(context, _dataset(rnd, root / "b", "b", 25, "second", leis))
    determinations.ensure_current(context)
    yield context
    context.close()


def _ids(ctx: AppContext) -> list[str]:
    with ctx.store.read() as conn:
        return [r[0] for r in conn.exec_driver_sql("SELECT DISTINCT cluster_id FROM entities ORDER BY 1")]


def test_reports_from_stored_statuses_equal_reports_solved_again(ctx: AppContext,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    solved: list[str] = []
    real = explanation.compute_bounds
    monkeypatch.setattr(explanation, "compute_bounds", lambda *a: solved.append("x") or real(*a))
    ids = _ids(ctx)
    later = date.today() + timedelta(days=250)  # stakes start and end before then: stored statuses do not hold
    stored_reports = {(e, d): reporting.entity_report(ctx, e, d) for e in ids for d in (None, later)}
    from_stored = len(ids) * 2 - len(solved)
    monkeypatch.setattr(reporting.determinations, "statuses_hold", lambda *a: False)
    for (entity_id, as_of), report in stored_reports.items():
        assert report == reporting.entity_report(ctx, entity_id, as_of), entity_id
    assert len(ids) < 75 and from_stored > len(ids) // 3  # merged entities; many of today's reports read
    statuses = {r.status for r in stored_reports.values()}
    assert statuses == {"restricted", "review", "eligible"}


def test_statuses_hold_only_for_their_policy_data_and_dates(ctx: AppContext) -> None:
    today = date.today()
    with ctx.store.read() as conn:
        assert determinations.statuses_hold(conn, ctx.policy, today)
        assert not determinations.statuses_hold(conn, ctx.policy, today + timedelta(days=250))
        other = ctx.policy.__class__(**{**ctx.policy.__dict__, "sha256": "f" * 64})
        assert not determinations.statuses_hold(conn, other, today)
