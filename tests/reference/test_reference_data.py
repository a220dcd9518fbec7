"""The embedded reference dataset: format, sources, share sums, and the answers a fresh install gives."""

from __future__ import annotations

import collections
from datetime import date
from pathlib import Path

import pytest

from desktop_app.domain.identifiers import is_valid_lei
from desktop_app.domain.model import Status
from desktop_app.domain.policy import load_policy
from desktop_app.importers.canonical import read_dataset
from desktop_app.importers.records import CanonicalDataset, RelationshipRecord, determine_dataset
from desktop_app.locations import default_policy_path, reference_dataset_path

OWNED_KINDS = ("company", "fund", "other")  # persons and state bodies are not "owned"


@pytest.fixture(scope="module")
def ref() -> CanonicalDataset:
    return read_dataset(reference_dataset_path())  # raises with every problem if anything is malformed


def test_reference_data_is_large_enough(ref: CanonicalDataset) -> None:
    assert len(ref.entities) >= 800
    assert len(ref.relationships) >= 800


def test_every_row_names_a_source_with_url_publisher_and_date(ref: CanonicalDataset) -> None:
    sources = {s.id: s for s in ref.sources}
    rows = [*ref.entities, *ref.names, *ref.identifiers, *ref.relationships]
    missing = [r for r in rows if not r.source_id]
    assert not missing, missing[:5]
    for s in sources.values():
        assert s.url.startswith("http") and s.publisher and s.title, s
    # A page that states no date keeps a blank as_of rather than a guessed one; such sources stay rare.
    undated = [s.id for s in sources.values() if s.as_of is None]
    assert len(undated) <= 0.03 * len(sources), undated


def test_current_ownership_shares_sum_to_at_most_100_per_owned_entity(ref: CanonicalDataset) -> None:
    today = date.today()
    totals: dict[tuple[str, str], float] = collections.defaultdict(float)
    per_owner: dict[tuple[str, str, str], float] = {}
    for r in ref.relationships:
        if r.kind == "control" or r.share_min is None:
            continue
        if (r.start_date and r.start_date > today) or (r.end_date and r.end_date <= today):
            continue
        key = (r.owner_id, r.owned_id, r.kind)
        per_owner[key] = max(per_owner.get(key, 0.0), r.share_min)
    for (_owner, owned, kind), share in per_owner.items():
        totals[(owned, kind)] += share
    over = {k: v for k, v in totals.items() if v > 100.0 + 1e-6}
    assert not over, over


def test_every_restricted_origin_entity_has_its_headquarters_country(ref: CanonicalDataset) -> None:
    policy = load_policy(default_policy_path())
    bad = [
        e.id
        for e in ref.entities
        if e.kind != "person" and not e.hq_country and e.incorporation_country in policy.restricted_jurisdictions
    ]
    assert not bad, bad


def test_no_two_entities_share_a_name_without_a_distinguishing_country(ref: CanonicalDataset) -> None:
    seen: dict[tuple[str, str | None], str] = {}
    clashes = []
    for e in ref.entities:
        key = (e.name.casefold(), e.hq_country or e.incorporation_country)
        if key in seen:
            clashes.append((seen[key], e.id))
        seen[key] = e.id
    assert not clashes, clashes


def test_local_script_names_cover_chinese_russian_persian_and_korean(ref: CanonicalDataset) -> None:
    langs = collections.Counter((n.lang or "").split("-")[0] for n in ref.names if n.type == "local")
    for lang in ("zh", "ru", "fa", "ko"):
        assert langs[lang] >= 5, langs


def test_groups_by_headquarters_meet_coverage(ref: CanonicalDataset) -> None:
    hq = collections.Counter(e.hq_country for e in ref.entities if e.kind in ("company", "state_body", "fund"))
    assert hq["CN"] >= 60 and hq["RU"] >= 25 and hq["IR"] >= 10 and hq["KP"] >= 5, hq


def test_reference_folder_is_the_one_shipped(ref: CanonicalDataset) -> None:
    assert ref.meta.id == "reference"
    assert (Path(reference_dataset_path()) / "dataset.toml").is_file()


def _current(ref: CanonicalDataset, today: date) -> dict[str, list[RelationshipRecord]]:
    by_owned: dict[str, list[RelationshipRecord]] = collections.defaultdict(list)
    for r in ref.relationships:
        if (r.start_date and r.start_date > today) or (r.end_date and r.end_date <= today):
            continue
        by_owned[r.owned_id].append(r)
    return by_owned


def _share_sums(rels: list[RelationshipRecord], capital: bool = True) -> tuple[float, float, list[str]]:
    """Σ min and Σ max of the share-bearing owners, and the owners whose share is blank.

    capital: an owner's ownership rows give its part of the capital; its voting rows count only when it has
    no ownership row (voting power may exceed capital in dual-class companies, and the float is capital).
    Otherwise the larger of ownership and voting counts per owner, as the engine weighs an owner."""
    lows: dict[str, float] = {}
    highs: dict[str, float] = {}
    blank: set[str] = set()
    with_ownership = {r.owner_id for r in rels if r.kind == "ownership"} if capital else set()
    for r in rels:
        if r.kind == "control" or (r.kind == "voting" and r.owner_id in with_ownership):
            continue
        if r.share_min is None and r.share_max is None:
            blank.add(r.owner_id)
            continue
        lo = 0.0 if r.share_min is None else r.share_min
        hi = 100.0 if r.share_max is None else r.share_max
        lows[r.owner_id] = max(lows.get(r.owner_id, 0.0), lo)
        highs[r.owner_id] = max(highs.get(r.owner_id, 0.0), hi)
    return sum(lows.values()), sum(highs.values()), sorted(blank - lows.keys())


def test_voting_rows_never_add_up_to_more_than_all_votes(ref: CanonicalDataset) -> None:
    by_owned = _current(ref, date.today())
    problems = []
    for owned, rels in sorted(by_owned.items()):
        votes: dict[str, float] = {}
        for r in rels:
            if r.kind == "voting" and r.share_min is not None:
                votes[r.owner_id] = max(votes.get(r.owner_id, 0.0), r.share_min)
        if sum(votes.values()) > 100.5:
            problems.append(f"{owned}: voting rows add up to at least {sum(votes.values()):g}%")
    assert not problems, "\n".join(problems)


def test_complete_ownership_is_accounted_for_by_the_recorded_owners_and_float(ref: CanonicalDataset) -> None:
    """`complete` means the owners on file (+ dispersed float) are the whole company: no blank share, no mark
    resting on control rows alone, Σ min + float ≤ 100.5 and Σ max + float ≥ 99 (the owners can account for all
    of it); without a float the owners' minimum shares sum to 100 (98 allows rounding and treasury shares).
    An entity with no owner row at all may be complete: a register or filing states that no one owns it
    (a foundation, a trust, a partnership of many partners)."""
    by_owned = _current(ref, date.today())
    problems = []
    for e in ref.entities:
        if e.ownership != "complete" or e.kind not in OWNED_KINDS:
            continue
        rels = by_owned.get(e.id, [])
        if not rels and e.public_float is None:
            continue
        low, high, blank = _share_sums(rels)
        fl = e.public_float or 0.0
        if blank:
            problems.append(f"{e.id}: owner(s) with a blank share {blank}")
        elif low + fl > 100.5:
            problems.append(f"{e.id}: owners' minimum shares {low:g}% + float {fl:g}% exceed 100%")
        elif high + fl < 99.0:
            problems.append(f"{e.id}: owners (at most {high:g}%) + float {fl:g}% do not account for the company")
        elif e.public_float is None and low < 98.0:
            problems.append(f"{e.id}: no float stated and the owners' minimum shares sum to {low:g}% only")
    assert not problems, "\n".join(problems)


def test_every_listed_company_has_its_float_and_closed_ownership(ref: CanonicalDataset) -> None:
    listed = {i.entity_id for i in ref.identifiers if i.scheme == "ticker"}
    entities = {e.id: e for e in ref.entities}
    problems = [
        f"{eid}: public_float {entities[eid].public_float}, ownership {entities[eid].ownership}"
        for eid in sorted(listed)
        if entities[eid].public_float is None or entities[eid].ownership != "complete"
    ]
    assert not problems, "\n".join(problems)
    bad_tickers = [i.value for i in ref.identifiers if i.scheme == "ticker" and ":" not in i.value]
    assert not bad_tickers, f"tickers are EXCHANGE:SYMBOL: {bad_tickers}"


def test_floats_are_percentages(ref: CanonicalDataset) -> None:
    bad = [
        (e.id, e.public_float) for e in ref.entities if e.public_float is not None and not 0 <= e.public_float <= 100
    ]
    assert not bad, bad


def test_every_lei_passes_the_iso_17442_check_digits(ref: CanonicalDataset) -> None:
    leis = [(e.id, e.lei) for e in ref.entities if e.lei] + [
        (i.entity_id, i.value) for i in ref.identifiers if i.scheme == "lei"
    ]
    bad = [(eid, lei) for eid, lei in leis if not is_valid_lei(lei)]
    assert not bad, bad
    holders: dict[str, set[str]] = collections.defaultdict(set)
    for eid, lei in leis:
        holders[lei].add(eid)
    shared = {lei: sorted(ids) for lei, ids in holders.items() if len(ids) > 1}
    assert not shared, f"one LEI names one entity: {shared}"


def _statuses(ref: CanonicalDataset) -> dict[str, Status]:
    return {k: v[0] for k, v in determine_dataset(ref, load_policy(default_policy_path()), date.today()).items()}


def test_nothing_is_eligible_without_closed_ownership_and_a_country(ref: CanonicalDataset) -> None:
    """Eligible needs positive evidence: a company, fund, other party or state body on file is eligible only
    when its country is known and (but for state bodies) its ownership is marked complete, or its recorded
    owners account for at least half of it so that the unrecorded rest alone cannot pass the threshold.
    Persons are owners rather than customers; the review rule for persons uses their residence."""
    statuses = _statuses(ref)
    by_owned = _current(ref, date.today())
    problems = []
    for e in ref.entities:
        if statuses[e.id] != "eligible" or e.kind == "person":
            continue
        if not (e.hq_country or e.incorporation_country):
            problems.append(f"{e.id}: eligible without a country")
        elif e.kind in OWNED_KINDS and e.ownership != "complete":
            low, _high, _blank = _share_sums(by_owned.get(e.id, []), capital=False)
            if low < 50.0:
                problems.append(f"{e.id}: eligible with ownership {e.ownership or 'not known'}, {low:g}% on file")
    assert not problems, "\n".join(problems)


def test_counterexamples_with_minority_restricted_holders_are_eligible(ref: CanonicalDataset) -> None:
    """Listed companies with a Chinese minority holder, whose filings close their ownership, are answered."""
    statuses = _statuses(ref)
    for eid in ("mercedes-benz-group", "paradox-interactive"):
        assert statuses[eid] == "eligible", eid
    for eid in ("moldovagaz", "dada-nexus", "huya", "tiktok-pte-ltd"):
        assert statuses[eid] == "restricted", eid
