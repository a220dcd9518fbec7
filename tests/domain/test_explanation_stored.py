"""An explanation read from stored bounds says exactly what one that solves its subgraph again says.

Stored statuses hold every entity's [L, H] computed over the whole graph; an explanation given them
skips solving its ancestor subgraph. On generated graphs — cycles, dated stakes, voting and control,
unknown shares and ranges, persons, state bodies, funds, uncertain and missing countries, every kind of
coverage — and under several policies, both explanations must be equal field for field: statuses,
ranges, chain, evidence paths, rules and rationale.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest

from desktop_app.domain import explanation
from desktop_app.domain.determination import OwnershipGraph, compute_bounds, default_determination
from desktop_app.domain.explanation import explain
from desktop_app.domain.model import Entity, Relationship, Share
from desktop_app.domain.policy import Policy

TODAY = date(2026, 6, 1)
BASE = Policy(
    id="test",
    version="1",
    restricted_jurisdictions=frozenset({"CN", "RU", "IR", "KP"}),
    threshold=50.0,
    persons="review",
    sha256="0" * 64,
    clauses={"restricted-origin": "§1 origin", "majority-owned": "§2 owned", "unresolved": "§5 open"},
)
POLICIES = {
    "default": BASE,
    "persons ignored": replace(BASE, persons="ignore"),
    "persons restrict": replace(BASE, persons="restrict"),
    "pure cascade, 50% or more": replace(BASE, indirect="cascade", threshold_inclusive=True),
    "HK uncertain, band from 10%": replace(BASE, uncertain_jurisdictions=frozenset({"HK"}), review_band_floor=10.0),
}
COUNTRIES = ["CN", "RU", "HK", "US", "DE", "SG", "GB", None]


def _graph(rnd: random.Random, n: int) -> tuple[dict[str, Entity], list[Relationship]]:
    ents = {}
    for i in range(n):
        kind = rnd.choices(["company", "person", "state_body", "fund", "other"], [12, 2, 1, 1, 1])[0]
        hq = rnd.choice(COUNTRIES)
        ents[f"e{i}"] = Entity(
            f"e{i}", f"Entity {i}", kind,  # type: ignore[arg-type]
            hq_country=None if kind == "person" else hq,
            incorporation_country=rnd.choice(COUNTRIES) if hq is None else None,
            residence_country=hq if kind == "person" else None,
            ownership=rnd.choice([None, "complete", "complete", "partial"]),
            source_id=f"d:s{i % 3}" if i % 4 else None,
            public_float=rnd.choice([None, 35.0]),
        )
    rels = []
    for _ in range(rnd.randint(n, 3 * n)):
        a, b = rnd.randrange(n), rnd.randrange(n)
        if a == b and rnd.random() < 0.8:
            continue  # a few self-loops stay: the engine must ignore them
        kind = rnd.choices(["ownership", "voting", "control"], [6, 2, 1])[0]
        r = rnd.random()
        share: Share | None
        if r < 0.15:
            share = None
        elif r < 0.3:
            lo = rnd.choice([0.0, 10.0, 25.0, 50.0])
            share = Share(lo, min(100.0, lo + rnd.choice([5.0, 20.0, 50.0])))
        else:
            x = rnd.choice([1.0, 9.5, 18.7, 25.0, 40.0, 50.0, 51.0, 60.0, 75.0, 100.0])
            share = Share(x, x)
        start = TODAY + timedelta(days=rnd.choice([-400, -1, 0, 1, 30])) if rnd.random() < 0.2 else None
        end = TODAY + timedelta(days=rnd.choice([-30, 0, 1, 365])) if rnd.random() < 0.2 else None
        rels.append(Relationship(f"e{a}", f"e{b}", kind, share, start, end,  # type: ignore[arg-type]
                                 f"d:r{a}" if rnd.random() < 0.7 else None))
    return ents, rels


def _subgraph(target: str, ents: dict[str, Entity], rels: list[Relationship]
              ) -> tuple[dict[str, Entity], list[Relationship]]:
    """The target, its owners on any date and theirs, and the relationships among them (as the store reads)."""
    owners: dict[str, list[Relationship]] = {}
    for r in rels:
        owners.setdefault(r.owned_id, []).append(r)
    seen, todo = {target}, [target]
    while todo:
        for r in owners.get(todo.pop(), []):
            if r.owner_id not in seen:
                seen.add(r.owner_id)
                todo.append(r.owner_id)
    return {e: ents[e] for e in seen}, [r for r in rels if r.owned_id in seen]


def _stored(ents: dict[str, Entity], rels: list[Relationship], policy: Policy, as_of: date
            ) -> dict[str, tuple[float, float]]:
    """What the determinations table holds for the whole graph: a missing row is the default."""
    _, lo, hi = default_determination(policy)
    values = compute_bounds(OwnershipGraph.build(ents.values(), rels, policy, as_of), policy)
    return {e: (values[e].low, values[e].high) if e in values else (lo, hi) for e in ents}


@pytest.mark.parametrize("policy_name", list(POLICIES))
def test_explanations_from_stored_bounds_equal_those_solved_again(policy_name: str,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    policy = POLICIES[policy_name]
    solved = 0
    real_compute = explanation.compute_bounds

    def counting(*args: object) -> object:
        nonlocal solved
        solved += 1
        return real_compute(*args)  # type: ignore[arg-type]

    rnd = random.Random(policy_name)
    compared = from_stored = 0
    statuses: set[str] = set()
    for _ in range(40):
        ents, rels = _graph(rnd, rnd.randint(3, 14))
        as_of = TODAY + timedelta(days=rnd.choice([0, 0, 1, -1]))
        stored = _stored(ents, rels, policy, as_of)
        for target in ents:
            sub_ents, sub_rels = _subgraph(target, ents, rels)
            full = explain(target, sub_ents, sub_rels, policy, as_of)
            monkeypatch.setattr(explanation, "compute_bounds", counting)
            before = solved
            fast = explain(target, sub_ents, sub_rels, policy, as_of, {e: stored[e] for e in sub_ents})
            monkeypatch.setattr(explanation, "compute_bounds", real_compute)
            assert fast == full, (policy_name, target, ents, rels)
            compared += 1
            from_stored += solved == before
            statuses.add(full.status)
    assert compared > 300 and statuses == {"restricted", "review", "eligible"}
    assert from_stored > compared // 3  # most explanations did read the stored bounds


def test_persons_tracked_for_review_are_solved_again() -> None:
    """Stored statuses do not keep the share held by restricted-resident persons: with such a person above
    the target and a policy that reviews them, the subgraph is solved again (and the person named)."""
    ents = {
        "p": Entity("p", "Ivan Petrov", "person", residence_country="RU"),
        "t": Entity("t", "Target Ltd", hq_country="GB", ownership="complete"),
    }
    rels = [Relationship("p", "t", "ownership", Share(30.0, 30.0))]
    ex = explain("t", ents, rels, BASE, TODAY, {"p": (0.0, 0.0), "t": (0.0, 0.0)})
    assert ex == explain("t", ents, rels, BASE, TODAY)
    assert ex.status == "review" and "Ivan Petrov (RU)" in ex.rationale
