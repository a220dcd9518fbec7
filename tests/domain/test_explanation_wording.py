"""The rationale explains the whole restricted share: every owner behind its low and its high end, with intervals."""

from __future__ import annotations

from dataclasses import replace

from desktop_app.domain.explanation import explain
from desktop_app.domain.model import Entity
from tests.domain.test_determination import POLICY, TODAY, co, own

UNCERTAIN_HK = replace(POLICY, uncertain_jurisdictions=frozenset({"HK"}))


def test_eligible_rationale_names_every_owner_behind_the_range() -> None:
    # BAIC (CN) holds 9.98% → proves 9.98%. T3 (HK, uncertain: itself 0–100%) holds 4.85–10.8% → passes on 0–10.8%.
    # Restricted share [9.98, 9.98 + 10.8] = [9.98, 20.78]: at most 20.78% ≤ 50% → eligible.
    ents = {e.id: e for e in [Entity("baic", "BAIC", hq_country="CN"), Entity("t3", "T3 Prospect", hq_country="HK"),
                              co("m", "DE", ownership="complete")]}
    rels = [own("baic", "m", 9.98), own("t3", "m", 4.85, 10.8)]
    ex = explain("m", ents, rels, UNCERTAIN_HK, TODAY)
    assert ex.status == "eligible"
    assert (ex.restricted_min, ex.restricted_max) == (9.98, 20.78)
    step = next(s for s in ex.steps if "holds" in s)
    assert step.startswith("BAIC (CN) holds 9.98%; T3 Prospect (HK) holds 4.85–10.8%, itself 0–100% restricted, "
                           "passing on 0–10.8%: restricted share 9.98–20.78%; even its upper end is not above the 50%")
    assert "no other restricted owners on file" in step


def test_eligible_range_from_one_owner_says_both_ends() -> None:
    # The US joint venture: ByteDance-side holder 19.9% proven; the rest of its range only possible.
    ents = {e.id: e for e in [Entity("bd", "ByteDance Ltd.", hq_country="CN"), co("jv", "US", ownership="complete")]}
    ex = explain("jv", ents, [own("bd", "jv", 19.9, 50)], POLICY, TODAY)
    assert ex.status == "eligible"
    assert "ByteDance Ltd. (CN) holds 19.9–50%: restricted share 19.9–50%" in ex.rationale
    assert "holds 19.9% " not in ex.rationale


def test_single_exact_minority_owner_keeps_the_short_sentence() -> None:
    ents = {e.id: e for e in [Entity("tc", "Tencent Holdings", hq_country="CN"), co("x", "FI", ownership="complete")]}
    ex = explain("x", ents, [own("tc", "x", 18.7)], POLICY, TODAY)
    expected = "Tencent Holdings (CN) holds 18.7%: below the 50% threshold; no other restricted owner on file"
    assert expected in ex.rationale


def test_review_rationale_lists_owners_that_only_raise_the_upper_end() -> None:
    # Nobody proven; an uncertain HK owner with 60% could make it 60% → review, and the rationale names it.
    ents = {e.id: e for e in [Entity("hk", "Harbour Holdings", hq_country="HK"), co("t", "SG", ownership="complete")]}
    ex = explain("t", ents, [own("hk", "t", 60)], UNCERTAIN_HK, TODAY)
    assert ex.status == "review"
    assert ("Harbour Holdings (HK) holds 60%, itself 0–100% restricted, passing on 0–60%: restricted share 0–60%, "
            "of which 0% is proven.") in ex.rationale


def test_a_control_link_reads_controls_not_zero_percent() -> None:
    ents = {e.id: e for e in [Entity("bd", "ByteDance Ltd.", hq_country="CN"), co("t", "US")]}
    ex = explain("t", ents, [own("bd", "t", None, kind="control")], POLICY, TODAY)
    hop = ex.paths[0].hops[-1]
    assert hop.entity_id == "bd" and hop.control
    shares = next(h for h in ex.paths[0].hops if h.entity_id == "bd")
    assert shares.control and (shares.share_min, shares.share_max) == (0.0, 0.0)
