"""The hash chain of decision records: every change, removal or reordering is found at its record."""

from __future__ import annotations

from dataclasses import replace

from desktop_app.domain.decision_chain import (
    GENESIS,
    StoredRecord,
    canonical_json,
    first_break,
    record_hash,
)


def chain(n: int) -> list[StoredRecord]:
    out, prev = [], GENESIS
    for seq in range(1, n + 1):
        content = {"seq": seq, "at": f"2026-01-0{seq}T10:00:00Z", "user": "ana", "query": f"q{seq}",
                   "entity_id": f"e{seq}", "status": "eligible", "customer_ref": "", "policy_sha256": "p" * 64,
                   "check": {"determination": {"status": "eligible", "restricted_share": {"min": 0.0, "max": 0.0}}}}
        text = canonical_json(content)
        sha = record_hash(prev, text)
        columns = {k: content[k] for k in ("seq", "at", "user", "query", "entity_id", "status", "customer_ref",
                                           "policy_sha256")}
        out.append(StoredRecord(seq, columns, text, prev, sha))
        prev = sha
    return out


def test_an_untouched_chain_verifies() -> None:
    assert first_break(chain(5)) is None
    assert first_break([]) is None


def test_canonical_json_is_independent_of_key_order() -> None:
    assert canonical_json({"b": 1, "a": "é"}) == canonical_json({"a": "é", "b": 1}) == '{"a":"é","b":1}'


def test_changed_content_breaks_at_that_record() -> None:
    records = chain(4)
    records[2] = replace(records[2], content_json=records[2].content_json.replace("eligible", "restricted"))
    broken = first_break(records)
    assert broken is not None and broken.seq == 3 and "does not match its hash" in broken.reason


def test_a_rehashed_record_breaks_the_next_link() -> None:
    records = chain(4)
    text = records[1].content_json.replace("q2", "edited")
    records[1] = replace(records[1], content_json=text, sha256=record_hash(records[1].prev_sha256, text),
                         columns={**records[1].columns, "query": "edited"})
    broken = first_break(records)
    assert broken is not None and broken.seq == 3 and "link" in broken.reason


def test_a_changed_column_is_found_although_the_content_is_intact() -> None:
    records = chain(3)
    records[0] = replace(records[0], columns={**records[0].columns, "status": "restricted"})
    broken = first_break(records)
    assert broken is not None and broken.seq == 1 and "status column" in broken.reason


def test_a_removed_record_is_named() -> None:
    records = chain(4)
    del records[1]
    broken = first_break(records)
    assert broken is not None and broken.seq == 3 and "record 2 is missing" in broken.reason
