"""The determination engine on hand-made graphs; arithmetic in names and comments."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from desktop_app.domain.determination import Bounds, OwnershipGraph, compute_bounds, status_of
from desktop_app.domain.explanation import explain
from desktop_app.domain.model import Entity, Relationship, Share
from desktop_app.domain.policy import Policy

TODAY = date(2026, 6, 1)
POLICY = Policy(
    id="test",
    version="1",
    restricted_jurisdictions=frozenset({"CN", "RU", "IR", "KP"}),
    threshold=50.0,
    review_band_floor=25.0,
    persons="review",
    sha256="0" * 64,
    clauses={"restricted-origin": "§1 origin", "majority-owned": "§2 owned", "below-threshold": "§8 ok"},
)


def co(id: str, hq: str | None = "US", inc: str | None = None, **kw: object) -> Entity:
    """A company whose ownership on file is complete unless the test says otherwise."""
    kw.setdefault("ownership", "complete")
    return Entity(id=id, name=id.upper(), hq_country=hq, incorporation_country=inc, **kw)  # type: ignore[arg-type]


def own(
    owner: str, owned: str, lo: float | None, hi: float | None = None, kind: str = "ownership", **kw: object
) -> Relationship:
    share = None if lo is None else Share(lo, lo if hi is None else hi)
    return Relationship(owner, owned, kind, share, **kw)  # type: ignore[arg-type]


def run(entities: list[Entity], rels: list[Relationship], policy: Policy = POLICY) -> dict[str, Bounds]:
    return compute_bounds(OwnershipGraph.build(entities, rels, policy, TODAY), policy)


def status(entities: list[Entity], rels: list[Relationship], target: str, policy: Policy = POLICY) -> str:
    return status_of(run(entities, rels, policy).get(target, Bounds(0, 100, 0)), policy)


def test_singapore_subsidiary_of_beijing_group_is_restricted_through_two_levels() -> None:
    ents = [co("bd", "CN", "KY"), co("tt", None, "KY"), co("sg", "SG")]
    rels = [own("bd", "tt", 100), own("tt", "sg", 100)]
    v = run(ents, rels)
    assert (v["sg"].low, v["sg"].high) == (100.0, 100.0)
    assert status(ents, rels, "sg") == "restricted"


def test_cayman_holding_headquartered_in_china_is_restricted_by_headquarters() -> None:
    assert status([co("ali", "CN", "KY")], [], "ali") == "restricted"


def test_incorporation_country_decides_only_when_headquarters_unknown() -> None:
    assert status([co("x", None, "RU")], [], "x") == "restricted"
    assert status([co("y", "DE", "RU")], [], "y") == "eligible"


def test_owners_aggregate_30_plus_25_is_55_restricted() -> None:
    ents = [co("a", "CN"), co("b", "RU"), co("t")]
    rels = [own("a", "t", 30), own("b", "t", 25)]
    assert run(ents, rels)["t"].low == 55.0
    assert status(ents, rels, "t") == "restricted"


def test_exactly_50_is_not_more_than_50_but_inclusive_policy_restricts() -> None:
    ents = [co("a", "CN"), co("t")]
    rels = [own("a", "t", 50)]
    assert status(ents, rels, "t") == "review"  # 50% is inside the review band, not above the threshold
    assert status(ents, rels, "t", replace(POLICY, threshold_inclusive=True)) == "restricted"


def test_decimal_shares_summing_exactly_to_threshold_compare_exactly() -> None:
    # 20.1 + 29.9 = 50 exactly in decimal; binary floating point must not tip it over the threshold
    ents = [co("a", "CN"), co("b", "CN"), co("t")]
    rels = [own("a", "t", 20.1), own("b", "t", 29.9)]
    assert run(ents, rels)["t"].low == 50.0
    assert status(ents, rels, "t") == "review"


def test_minority_owner_passes_on_its_share_multiplied() -> None:
    # M is 40% restricted; M holds 80% of T → T is 32% restricted (review band)
    ents = [co("r", "CN"), co("m"), co("t")]
    rels = [own("r", "m", 40), own("m", "t", 80)]
    assert run(ents, rels)["t"].low == pytest.approx(32.0)
    assert status(ents, rels, "t") == "review"


def test_majority_restricted_owner_passes_on_its_whole_stake() -> None:
    # M is 60% restricted → counts as restricted; M holds 70% of T → T is 70% restricted
    ents = [co("r", "CN"), co("m"), co("t")]
    rels = [own("r", "m", 60), own("m", "t", 70)]
    assert run(ents, rels)["t"].low == 70.0


def test_pure_cascade_ignores_minority_restricted_owners() -> None:
    ents = [co("r", "CN"), co("m"), co("t")]
    rels = [own("r", "m", 40), own("m", "t", 80)]
    cascade = replace(POLICY, indirect="cascade")
    assert run(ents, rels, cascade)["t"].low == 0.0
    assert status(ents, rels, "t", cascade) == "eligible"


def test_cross_holdings_without_restricted_party_stay_at_zero() -> None:
    ents = [co("a"), co("b")]
    rels = [own("a", "b", 60), own("b", "a", 60)]
    v = run(ents, rels)
    assert (v["a"].low, v["a"].high, v["b"].low, v["b"].high) == (0.0, 0.0, 0.0, 0.0)


def test_cycle_with_restricted_entry_reaches_least_fixed_point() -> None:
    # R holds 40% of A; A and B hold 60% of each other.
    # L(A) = 40 + 0.6·w(B); L(B) = 0.6·w(A). From 0: A=40, B=24, A=54.4 (>50 → w(A)=100),
    # B=60 (>50 → w(B)=100), A=40+60=100.
    ents = [co("r", "CN"), co("a"), co("b")]
    rels = [own("r", "a", 40), own("a", "b", 60), own("b", "a", 60)]
    v = run(ents, rels)
    assert v["a"].low == pytest.approx(100.0)
    assert v["b"].low == pytest.approx(60.0)


def test_unknown_share_is_capped_by_other_owners_minimum() -> None:
    # X (US) holds 70%; restricted R holds an unknown share → R counts [0, 30] → T eligible
    ents = [co("r", "CN"), co("x"), co("t", ownership="complete")]
    rels = [own("x", "t", 70), own("r", "t", None)]
    v = run(ents, rels)["t"]
    assert (v.low, v.high) == (0.0, 30.0)
    assert status(ents, rels, "t") == "eligible"


def test_unknown_share_without_other_owners_cannot_be_ruled_out() -> None:
    ents = [co("r", "CN"), co("t")]
    rels = [own("r", "t", None)]
    v = run(ents, rels)["t"]
    assert (v.low, v.high) == (0.0, 100.0)
    assert status(ents, rels, "t") == "review"


def test_partial_ownership_counts_unrecorded_shares_toward_high() -> None:
    # 40% recorded (not restricted), ownership partial → 60% unrecorded could be restricted: [0, 60]
    ents = [co("x"), co("t", ownership="partial")]
    rels = [own("x", "t", 40)]
    v = run(ents, rels)["t"]
    assert (v.low, v.high) == (0.0, 60.0)
    assert status(ents, rels, "t") == "review"


def test_complete_ownership_counts_the_rest_as_dispersed() -> None:
    ents = [co("x"), co("t", ownership="complete")]
    rels = [own("x", "t", 40)]
    assert status(ents, rels, "t") == "eligible"


def test_entity_marked_complete_with_no_owner_is_eligible_and_says_so() -> None:
    ents = [co("t", "FR")]
    ex = explain("t", {e.id: e for e in ents}, [], POLICY, TODAY)
    assert ex.status == "eligible"
    assert "marks T's ownership as complete with no controlling owner on file" in ex.rationale


def test_control_from_restricted_party_restricts_regardless_of_share() -> None:
    ents = [co("r", "CN"), co("t")]
    rels = [own("r", "t", 10), own("r", "t", None, kind="control")]
    assert status(ents, rels, "t") == "restricted"


def test_larger_of_ownership_and_voting_counts_not_the_sum() -> None:
    # 30% of the capital, 45% of the votes → 45% (review), not 75%
    ents = [co("r", "CN"), co("t")]
    rels = [own("r", "t", 30), own("r", "t", 45, kind="voting")]
    assert run(ents, rels)["t"].low == 45.0
    assert status(ents, rels, "t") == "review"


def test_person_resident_in_restricted_country_triggers_review_not_restriction() -> None:
    person = Entity("p", "P", kind="person", residence_country="RU")
    ents = [person, co("t")]
    rels = [own("p", "t", 60)]
    assert status(ents, rels, "t") == "review"
    assert status(ents, rels, "t", replace(POLICY, persons="ignore")) == "eligible"
    assert status(ents, rels, "t", replace(POLICY, persons="restrict")) == "restricted"


def test_state_body_of_restricted_country_is_restricted_origin() -> None:
    sasac = Entity("s", "SASAC", kind="state_body", hq_country="CN")
    ents = [sasac, co("t", "GB")]
    assert status(ents, [own("s", "t", 51)], "t") == "restricted"


def test_uncertain_jurisdiction_is_review_unless_data_decides() -> None:
    policy = replace(POLICY, uncertain_jurisdictions=frozenset({"HK"}))
    ents = [co("hk", "HK"), co("sub", "SG"), co("r", "CN")]
    assert status(ents, [own("hk", "sub", 100)], "hk", policy) == "review"
    assert status(ents, [own("hk", "sub", 100)], "sub", policy) == "review"
    # data decides: a restricted parent holds 80% of the HK company
    assert status(ents, [own("r", "hk", 80)], "hk", policy) == "restricted"


def test_ended_relationship_no_longer_counts() -> None:
    ents = [co("r", "CN"), co("t")]
    rels = [own("r", "t", 100, end_date=date(2024, 1, 1))]
    assert status(ents, rels, "t") == "eligible"
    future = [own("r", "t", 100, start_date=date(2030, 1, 1))]
    assert status(ents, future, "t") == "eligible"


def test_rationale_names_each_step_for_indirect_restriction() -> None:
    ents = {
        e.id: e
        for e in [
            Entity("bd", "ByteDance Ltd.", hq_country="CN"),
            Entity("tt", "TikTok Ltd.", incorporation_country="KY"),
            Entity("sg", "TikTok Pte. Ltd.", hq_country="SG"),
        ]
    }
    ex = explain("sg", ents, [own("bd", "tt", 100), own("tt", "sg", 100)], POLICY, TODAY)
    assert (
        ex.rationale.index("ByteDance Ltd. is headquartered in China (CN)")
        < ex.rationale.index("TikTok Ltd. is 100% owned by ByteDance Ltd.")
        < ex.rationale.index("TikTok Pte. Ltd. is 100% owned by TikTok Ltd.")
    )
    assert "indirectly" in ex.rationale and "[§2]" in ex.rationale
    assert [r.id for r in ex.rules] == ["restricted-origin", "majority-owned"]
    assert [n.entity_id for n in ex.chain] == ["sg", "tt", "bd"]


def test_eligible_rationale_names_the_minority_restricted_owner() -> None:
    tencent = Entity("tc", "Tencent Holdings", hq_country="CN")
    ents = {e.id: e for e in [tencent, Entity("x", "Xylo", hq_country="FI", ownership="complete")]}
    ex = explain("x", ents, [own("tc", "x", 18.7)], POLICY, TODAY)
    assert ex.status == "eligible"
    assert (
        "Tencent Holdings (CN) holds 18.7%: below the 50% threshold; no other restricted owner on file" in ex.rationale
    )


def test_review_rationale_says_how_much_has_no_recorded_owner() -> None:
    ents = {
        e.id: e
        for e in [
            Entity("x", "X", hq_country="US", ownership="complete"),
            Entity("t", "T", hq_country="US", ownership="partial"),
        ]
    }
    ex = explain("t", ents, [own("x", "t", 40)], POLICY, TODAY)
    assert ex.status == "review"
    assert (
        "cannot rule out more than 50%" in ex.rationale and "60% of T's shares have no recorded owner" in ex.rationale
    )


def test_long_chain_of_depth_12_is_restricted_and_explained() -> None:
    ents = [co("n0", "RU")] + [co(f"n{i}") for i in range(1, 13)]
    rels = [own(f"n{i}", f"n{i + 1}", 90) for i in range(12)]
    ex = explain("n12", {e.id: e for e in ents}, rels, POLICY, TODAY)
    assert ex.status == "restricted"
    assert len(ex.chain) == 13
    assert ex.paths and ex.paths[0].hops[-1].entity_id == "n0"


# Eligible needs positive evidence (DESIGN, as amended).


def test_company_with_no_owner_on_file_and_no_complete_mark_is_review_0_to_100() -> None:
    ents = [co("quiet", ownership=None)]
    v = run(ents, [])
    assert v.get("quiet", Bounds(0, 100, 0)) == Bounds(0, 100, 0)
    assert status(ents, [], "quiet") == "review"


def test_partly_recorded_ownership_without_complete_mark_counts_the_rest_toward_high() -> None:
    # 40% by a closed, unrestricted owner; the other 60% is not on file → [0, 60]: eligible bound
    ents = [co("x"), co("t", ownership=None)]
    v = run(ents, [own("x", "t", 40)])
    assert (v["t"].low, v["t"].high) == (0.0, 60.0)


def test_company_with_neither_country_on_file_has_origin_0_to_100() -> None:
    ents = [co("anon", None, None)]
    v = run(ents, [])
    assert (v["anon"].low, v["anon"].high) == (0.0, 100.0)
    assert status(ents, [], "anon") == "review"


def test_fund_with_no_country_owning_a_majority_makes_its_holding_review() -> None:
    # fund (no country) holds 60% of t (complete): H(t) = 60 · 100% = 60 > 50 → review
    ents = [co("fund", None, None, kind="fund"), co("t")]
    v = run(ents, [own("fund", "t", 60)])
    assert (v["t"].low, v["t"].high) == (0.0, 60.0)
    assert status(ents, [own("fund", "t", 60)], "t") == "review"


def test_owner_with_unknown_ownership_passes_its_whole_stake_into_high() -> None:
    # holdco has no owner on file (H = 100%) and holds 30% of t; t is otherwise complete → H(t) = 30
    ents = [co("holdco", ownership=None), co("t")]
    v = run(ents, [own("holdco", "t", 30)])
    assert (v["t"].low, v["t"].high) == (0.0, 30.0)
    assert status(ents, [own("holdco", "t", 30)], "t") == "eligible"


def test_persons_and_state_bodies_need_no_complete_mark() -> None:
    ents = [
        Entity("p", "P", kind="person", residence_country="US"),
        Entity("gov", "GOV", kind="state_body", hq_country="SG"),
        co("t"),
    ]
    rels = [own("p", "t", 40), own("gov", "t", 60)]
    v = run(ents, rels)
    assert (v["t"].low, v["t"].high) == (0.0, 0.0)
    assert status(ents, rels, "t") == "eligible"


def test_rationale_says_the_ownership_must_be_established() -> None:
    ents = {"quiet": co("quiet", "IE", ownership=None)}
    ex = explain("quiet", ents, [], POLICY, TODAY)
    assert ex.status == "review"
    assert "No owner of QUIET is on file: its ownership must be established before selling" in ex.rationale
    assert ex.to_find_out == ("Who owns QUIET, and where its owners are headquartered",)


def test_rationale_says_the_country_is_not_on_file() -> None:
    ents = {"anon": co("anon", None, None)}
    ex = explain("anon", ents, [], POLICY, TODAY)
    assert ex.status == "review"
    assert "ANON's country is not on file" in ex.rationale
    assert "Where ANON is headquartered" in ex.to_find_out


def test_rationale_names_an_owner_without_owners_of_its_own() -> None:
    ents = {"holdco": co("holdco", ownership=None), "t": co("t")}
    ex = explain("t", ents, [own("holdco", "t", 60)], POLICY, TODAY)
    assert ex.status == "review"
    assert "HOLDCO, which holds 60%, has no owner on file itself" in ex.rationale
    assert "Who owns HOLDCO" in ex.to_find_out


def test_listed_company_rationale_names_its_public_float() -> None:
    ents = {"tc": co("tc", "CN"), "t": co("t", "SG", public_float=81.3)}
    ex = explain("t", ents, [own("tc", "t", 18.7)], POLICY, TODAY)
    assert ex.status == "eligible"
    assert "the rest (81.3%) is public float" in ex.rationale
