"""Decision records as a hash chain: each record's SHA-256 covers its content and the previous record's hash.

A record's content is canonical JSON (keys sorted, no insignificant spaces, UTF-8), so the same record
always hashes the same on any machine. Changing, removing or reordering any record breaks the chain at
that record; `first_break` says where.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64  # the "previous hash" of the first record

# Fields that the store also keeps in columns of their own (to list and search records); they must
# agree with the hashed content, or a changed column would go unnoticed.
INDEXED_FIELDS = ("seq", "at", "user", "query", "entity_id", "status", "customer_ref", "policy_sha256")


def canonical_json(content: Mapping[str, Any]) -> str:
    """The one text form of a record's content that is hashed."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def record_hash(prev_sha256: str, content_json: str) -> str:
    """SHA-256 over the previous record's hash, a newline and the canonical content."""
    return hashlib.sha256(f"{prev_sha256}\n{content_json}".encode()).hexdigest()


@dataclass(frozen=True)
class StoredRecord:
    """A record as read back: its columns, its content as stored, and the two hashes."""

    seq: int
    columns: Mapping[str, Any]  # the INDEXED_FIELDS as the store's columns hold them
    content_json: str
    prev_sha256: str
    sha256: str


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def check_record(record: StoredRecord, expected_prev: str, expected_seq: int) -> str | None:
    """Why this record does not belong where it stands in the chain, or None if it does."""
    if record.seq != expected_seq:
        return f"record {expected_seq} is missing (the next record is number {record.seq})"
    if record.prev_sha256 != expected_prev:
        return "its link to the previous record does not match that record's hash"
    if record_hash(record.prev_sha256, record.content_json) != record.sha256:
        return "its content does not match its hash (the record was changed after it was written)"
    try:
        content = json.loads(record.content_json)
    except ValueError:
        return "its content is not readable JSON"
    if not isinstance(content, dict):
        return "its content is not a record"
    if canonical_json(content) != record.content_json:
        return "its content is not in canonical form"
    for name in INDEXED_FIELDS:
        if content.get(name) != record.columns.get(name):
            return f"its {name} column ({record.columns.get(name)!r}) differs from the recorded {content.get(name)!r}"
    return None


def first_break(records: Iterable[StoredRecord]) -> ChainBreak | None:
    """The first record, in sequence order, where the chain breaks; None if every link holds."""
    prev, seq = GENESIS, 1
    for record in records:
        reason = check_record(record, prev, seq)
        if reason is not None:
            return ChainBreak(record.seq, reason)
        prev, seq = record.sha256, seq + 1
    return None
