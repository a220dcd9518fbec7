from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.domain.policy import PolicyError, load_policy, parse_policy
from desktop_app.locations import default_policy_path

MINIMAL = b'id = "p"\nversion = "1"\nrestricted_jurisdictions = ["CN"]\nthreshold = 50\n'


def test_default_policy_loads_with_clause_texts_and_hash() -> None:
    p = load_policy(default_policy_path())
    assert p.id == "unsupported-regions"
    assert p.restricted_jurisdictions == {"CN", "RU", "IR", "KP"}
    assert p.exceeds(50.01) and not p.exceeds(50.0)
    assert p.clauses["majority-owned"].startswith("§2")
    assert len(p.sha256) == 64


def test_minimal_policy_gets_documented_defaults() -> None:
    p = parse_policy(MINIMAL)
    assert (p.title, p.threshold_inclusive, p.indirect, p.review_band_floor, p.persons) == (
        "p",
        False,
        "cascade-lookthrough",
        25.0,
        "review",
    )
    assert p.uncertain_jurisdictions == frozenset() and p.stale_after_days is None


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        (b"treshold = 40\n", "treshold"),
        (b'indirect = "lookthrough"\n', "indirect"),
        (b'persons = "maybe"\n', "persons"),
        (b'uncertain_jurisdictions = ["Hong Kong"]\n', "uncertain_jurisdictions"),
        (b"threshold_inclusive = 1\n", "threshold_inclusive"),
        (b"stale_after_days = -3\n", "stale_after_days"),
        (b"review_band_floor = 75\n", "review_band_floor"),
    ],
)
def test_typo_or_bad_value_is_refused_naming_the_key(extra: bytes, key: str) -> None:
    with pytest.raises(PolicyError, match=f"'{key}'"):
        parse_policy(MINIMAL + extra, "policy.toml")


def test_missing_required_key_is_named(tmp_path: Path) -> None:
    f = tmp_path / "p.toml"
    f.write_bytes(b'id = "p"\nversion = "1"\nthreshold = 50\n')
    with pytest.raises(PolicyError, match="restricted_jurisdictions"):
        load_policy(f)


def test_threshold_out_of_range_is_refused() -> None:
    with pytest.raises(PolicyError, match="threshold"):
        parse_policy(MINIMAL.replace(b"threshold = 50", b"threshold = 150"))


def test_extensions_and_clauses_tables_are_accepted() -> None:
    p = parse_policy(MINIMAL + b'[extensions]\nfoo = 1\n[clauses]\nmajority-owned = "custom"\n')
    assert p.extensions == {"foo": 1} and p.clauses == {"majority-owned": "custom"}
