"""Invariants of the engine over random graphs, cycles included."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.determination import OwnershipGraph, compute_bounds, status_of
from desktop_app.domain.model import Entity, Relationship, Share
from desktop_app.domain.policy import Policy

TODAY = date(2026, 6, 1)
POLICY = Policy(id="p", version="1", restricted_jurisdictions=frozenset({"CN"}), threshold=50.0, sha256="0" * 64)

countries = st.sampled_from(["CN", "US", "DE", None])


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[Entity], list[Relationship]]:
    n = draw(st.integers(1, 9))
    ents = [
        Entity(
            f"e{i}", f"E{i}", hq_country=draw(countries), ownership=draw(st.sampled_from([None, "complete", "partial"]))
        )
        for i in range(n)
    ]
    rels = []
    for _ in range(draw(st.integers(0, 16))):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        if a == b:
            continue
        kind = draw(st.sampled_from(["ownership", "ownership", "voting", "control"]))
        if draw(st.booleans()):
            lo = draw(st.floats(0, 100, allow_nan=False))
            hi = draw(st.floats(lo, 100, allow_nan=False))
            share: Share | None = Share(lo, hi)
        else:
            share = None
        rels.append(Relationship(f"e{a}", f"e{b}", kind, share))  # type: ignore[arg-type]
    return ents, rels


def bounds(ents: list[Entity], rels: list[Relationship], policy: Policy = POLICY) -> dict[str, tuple[float, float]]:
    v = compute_bounds(OwnershipGraph.build(ents, rels, policy, TODAY), policy)
    # An entity the engine leaves out has nothing on file: [0%, 100%] (default_determination).
    return {e.id: (v[e.id].low, v[e.id].high) if e.id in v else (0.0, 100.0) for e in ents}


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_low_never_exceeds_high_and_both_stay_within_0_and_100(g: tuple[list[Entity], list[Relationship]]) -> None:
    for lo, hi in bounds(*g).values():
        assert 0.0 <= lo <= hi <= 100.0


@settings(max_examples=200, deadline=None)
@given(graphs(), st.integers(0, 8), st.floats(0, 100, allow_nan=False))
def test_adding_a_restricted_owner_never_lowers_low(
    g: tuple[list[Entity], list[Relationship]], target: int, share: float
) -> None:
    ents, rels = g
    target_id = ents[target % len(ents)].id
    before = bounds(ents, rels)
    more = [*ents, Entity("new", "NEW", hq_country="CN")]
    after = bounds(more, [*rels, Relationship("new", target_id, "ownership", Share(share, share))])
    for e in ents:
        assert after[e.id][0] >= before[e.id][0] - 1e-9


@settings(max_examples=200, deadline=None)
@given(graphs(), st.integers(0, 8))
def test_marking_ownership_complete_never_raises_high(g: tuple[list[Entity], list[Relationship]], target: int) -> None:
    ents, rels = g
    i = target % len(ents)
    before = bounds(ents, rels)
    closed = [*ents[:i], replace(ents[i], ownership="complete"), *ents[i + 1 :]]
    after = bounds(closed, rels)
    for e in ents:
        assert after[e.id][1] <= before[e.id][1] + 1e-9


@settings(max_examples=200, deadline=None)
@given(graphs())
def test_silence_is_never_eligible(g: tuple[list[Entity], list[Relationship]]) -> None:
    # A company with no owner on file and no complete mark, or with no country, cannot be eligible.
    ents, rels = g
    v = compute_bounds(OwnershipGraph.build(ents, rels, POLICY, TODAY), POLICY)
    owned = {r.owned_id for r in rels if r.kind != "control" or r.share is not None} | {r.owned_id for r in rels}
    for e in ents:
        silent = (e.id not in owned and e.ownership != "complete") or e.origin_country is None
        if silent:
            b = v.get(e.id)
            assert b is None or status_of(b, POLICY) != "eligible", e


@settings(max_examples=200, deadline=None)
@given(graphs(), st.randoms(use_true_random=False))
def test_input_order_never_changes_a_result(g: tuple[list[Entity], list[Relationship]], rnd: random.Random) -> None:
    ents, rels = g
    shuffled_e, shuffled_r = ents[:], rels[:]
    rnd.shuffle(shuffled_e)
    rnd.shuffle(shuffled_r)
    assert bounds(ents, rels) == bounds(shuffled_e, shuffled_r)


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 40), st.integers(0, 2**32 - 1))
def test_random_dense_graphs_with_cycles_terminate(n: int, seed: int) -> None:
    rnd = random.Random(seed)
    ents = [Entity(f"e{i}", f"E{i}", hq_country=rnd.choice(["CN", "US", "US", "US"])) for i in range(n)]
    rels = [
        Relationship(f"e{rnd.randrange(n)}", f"e{rnd.randrange(n)}", "ownership", Share(s, s))
        for s in (rnd.uniform(0, 99.9) for _ in range(3 * n))
    ]
    values = compute_bounds(OwnershipGraph.build(ents, rels, POLICY, TODAY), POLICY)
    for e in ents:
        if e.id in values:
            assert status_of(values[e.id], POLICY) in ("restricted", "review", "eligible")
