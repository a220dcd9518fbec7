"""The embedded reference dataset: format, sources, share sums, and the answers a fresh install gives."""

from __future__ import annotations

import collections
from datetime import date
from pathlib import Path

import pytest

from desktop_app.domain.policy import load_policy
from desktop_app.importers.canonical import read_dataset
from desktop_app.importers.records import CanonicalDataset
from desktop_app.locations import default_policy_path, reference_dataset_path


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
    undated = [s.id for s in sources.values() if s.as_of is None]
    assert len(undated) <= len(sources) // 20, undated


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
