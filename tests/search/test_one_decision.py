"""One decision everywhere: the window's search call, `check` and `batch` name the same entity (or none)
for every query of the evaluation sets, and the decision's rules hold on invented names."""

from __future__ import annotations

import contextlib
import csv
import io
from pathlib import Path

import pytest

from desktop_app import cli
from desktop_app.domain.matching import (
    ALTERNATIVE_FLOOR,
    MATCH_MARGIN,
    MATCH_THRESHOLD,
    POSSIBLE_MAX,
    Scored,
    decide,
)
from desktop_app.services import lookup
from desktop_app.services.context import AppContext
from desktop_app.ui.backend import search as window_search
from tests.search import evalsets


def _queries(dataset: str) -> list[str]:
    queries = [c.query for c in evalsets.load_cases(dataset, ("tuning", "heldout"))]
    if dataset == "reference":
        queries += [c.query for c in evalsets.load_negatives()]
    return list(dict.fromkeys(q for q in queries if q.strip()))


def _batch(db: str, queries: list[str], tmp_path: Path) -> list[str]:
    source, out = tmp_path / "queries.csv", tmp_path / "answers.csv"
    with source.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["query"])
        w.writerows([q] for q in queries)
    with contextlib.redirect_stdout(io.StringIO()):
        assert cli.main(["--db", db, "batch", str(source), "--output", str(out)]) == 0
    with out.open(encoding="utf-8", newline="") as fh:
        return [row["entity_id"] for row in csv.DictReader(fh)]


@pytest.mark.parametrize("dataset", ["fixture", "reference"])
def test_window_check_and_batch_give_the_same_match(dataset: str, companies_ctx: AppContext,
                                                    reference_ctx: AppContext, tmp_path: Path) -> None:
    ctx = companies_ctx if dataset == "fixture" else reference_ctx
    queries = _queries(dataset)
    checked = [(o.match.entity_id if (o := lookup.check(ctx, q)).match else "") for q in queries]
    shown = []
    for q in queries:
        result = window_search(ctx, q)
        shown.append(result.match.entity_id if result.match else "")
        # the window never lists a possible match as the match, nor more than five of them
        assert sum(result.is_possible(h) for h in result.hits) <= POSSIBLE_MAX, q
    batched = _batch(ctx.location, queries, tmp_path)
    assert len(batched) == len(queries)
    differ = [(q, c, s, b) for q, c, s, b in zip(queries, checked, shown, batched, strict=True) if not c == s == b]
    assert not differ, differ[:10]
    assert any(checked) and not all(checked)  # the sets hold both matches and names not on file


def hit(entity: str, score: float, on: str = "name", shares: bool = True) -> Scored:
    return Scored(entity, score, on, entity, shares)


def test_a_match_needs_the_threshold_and_a_clear_lead() -> None:
    assert decide([hit("a", 99.0), hit("b", 70.0)]).match == "a"
    assert decide([hit("a", 99.0), hit("b", 99.0 - MATCH_MARGIN / 2)]).match is None
    assert decide([hit("a", MATCH_THRESHOLD - 1)]).match is None
    # an exact identifier beats an equally scored name
    assert decide([hit("a", 100.0, "domain"), hit("b", 100.0)]).match == "a"


def test_possible_matches_share_a_distinctive_word_score_above_the_floor_and_are_few() -> None:
    hits = [hit("a", 80.0), hit("b", 79.0, shares=False), hit("c", ALTERNATIVE_FLOOR - 1), hit("d", 75.0, "domain",
            shares=False)] + [hit(f"x{i}", 70.0 - i) for i in range(8)]
    d = decide(hits)
    assert d.match is None
    assert "b" not in d.possible and "c" not in d.possible and "d" in d.possible
    assert len(d.possible) == POSSIBLE_MAX
    assert decide([hit("a", 99.0), hit("b", 80.0)]).possible == ("b",)  # never the match itself


def test_a_name_shared_within_one_family_is_answered_by_the_parent() -> None:
    owners = {"parent": set(), "child1": {"parent"}, "child2": {"parent"}}
    d = decide([hit("child1", 100.0), hit("parent", 100.0), hit("child2", 99.5)], lambda e: owners[e])
    assert d.match == "parent"
    assert d.group is not None and d.group.entities == 3 and d.group.shared == "child1"
    strangers = {"a": set(), "b": set()}
    assert decide([hit("a", 100.0), hit("b", 100.0)], lambda e: strangers[e]).match is None
