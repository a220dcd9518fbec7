"""The evaluation set: recall@1 and recall@10 of search, and how often `check` would pick a wrong entity.

Each row of eval_queries.csv names the dataset, what is typed, the entity (or, where the data holds
equally good answers, the entities separated by "|") that must come first, and an entity that
`check` must not take as the match (hard negatives: look-alike names, weak words alone).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop_app.services import lookup
from desktop_app.services.context import AppContext

HERE = Path(__file__).resolve().parent
PARTS = {"tuning": HERE / "eval_tuning.csv", "heldout": HERE / "eval_heldout.csv"}
PREFIX = {"fixture": "search-fixture:", "reference": "reference:"}

RECALL_AT_1 = 0.97
RECALL_AT_10 = 0.98
CATEGORY_RECALL_AT_10 = 0.9
WRONG_MATCH_RATE = 0.01  # `check` naming an entity other than the expected one


@dataclass(frozen=True)
class Case:
    dataset: str
    query: str
    expected: frozenset[str]
    must_not_match: str | None
    category: str


@dataclass
class Tally:
    cases: int = 0
    first: int = 0
    top10: int = 0
    wrong_matches: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)


def load_cases(dataset: str, parts: tuple[str, ...] = ("tuning", "heldout")) -> list[Case]:
    rows: list[dict[str, str]] = []
    for part in parts:
        with PARTS[part].open(encoding="utf-8", newline="") as fh:
            rows.extend(csv.DictReader(fh))
    p = PREFIX[dataset]
    return [Case(r["dataset"], r["query"], frozenset(p + e for e in r["expected"].split("|") if e),
                 p + r["must_not_match"] if r["must_not_match"] else None, r["category"])
            for r in rows if r["dataset"] == dataset]


def known_entities(ctx: AppContext) -> set[str]:
    with ctx.store.engine.connect() as conn:
        return {r[0] for r in conn.execute(text("SELECT cluster_id FROM entities"))}


def evaluate(ctx: AppContext, cases: list[Case]) -> tuple[Tally, dict[str, Tally]]:
    total, by_category = Tally(), defaultdict(Tally)
    for case in cases:
        hits = lookup.search(ctx, case.query, limit=10, prefix=False).hits
        ids = [h.entity_id for h in hits]
        match, _ = lookup.pick_match(hits)
        for t in (total, by_category[case.category]):
            if case.expected:
                t.cases += 1
                t.first += bool(ids) and ids[0] in case.expected
                t.top10 += bool(case.expected & set(ids))
                if not (ids and ids[0] in case.expected):
                    t.misses.append(f"{case.query!r} → {ids[:3]}")
            if match is not None and (match.entity_id == case.must_not_match
                                      or (case.expected and match.entity_id not in case.expected)
                                      or not case.expected):
                t.wrong_matches.append(f"{case.query!r} → {match.entity_id} ({match.score})")
    return total, by_category


def assert_quality(total: Tally, by_category: dict[str, Tally], n_rows: int) -> None:
    r1, r10 = total.first / total.cases, total.top10 / total.cases
    print(f"\nrecall@1 {r1:.3f}  recall@10 {r10:.3f}  over {total.cases} queries; "
          f"wrong matches {len(total.wrong_matches)} of {n_rows}")
    for name, t in sorted(by_category.items()):
        if t.cases:
            print(f"  {name:18} {t.cases:4}  recall@1 {t.first / t.cases:.3f}  recall@10 {t.top10 / t.cases:.3f}")
    assert r1 >= RECALL_AT_1, total.misses
    assert r10 >= RECALL_AT_10, total.misses
    for name, t in by_category.items():
        assert not t.cases or t.top10 / t.cases >= CATEGORY_RECALL_AT_10, (name, t.misses)
    assert len(total.wrong_matches) <= WRONG_MATCH_RATE * n_rows, total.wrong_matches


def test_evaluation_set_is_large_and_varied() -> None:
    cases = load_cases("fixture") + load_cases("reference")
    assert len(cases) >= 300
    categories = {c.category for c in cases}
    assert {"typo", "legal-form", "word-order", "local-script", "transliteration", "domain-identifier",
            "abbreviation", "hard-negative", "spacing"} <= categories
    assert sum(c.must_not_match is not None for c in cases) >= 40


def test_search_quality_on_the_evaluation_companies(companies_ctx: AppContext) -> None:
    cases = load_cases("fixture")
    total, by_category = evaluate(companies_ctx, cases)
    assert_quality(total, by_category, len(cases))


def test_search_quality_on_the_reference_dataset(reference_ctx: AppContext) -> None:
    known = known_entities(reference_ctx)
    cases = [c for c in load_cases("reference")
             if c.expected <= known and (c.must_not_match is None or c.must_not_match in known)]
    if len(cases) < 80:
        pytest.skip(f"only {len(cases)} evaluation rows match this version of the reference data")
    total, by_category = evaluate(reference_ctx, cases)
    assert_quality(total, by_category, len(cases))
