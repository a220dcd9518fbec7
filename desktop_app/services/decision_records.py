"""Decision records: what was decided for which customer, kept as a tamper-evident hash chain.

A record holds the query, the entity, the whole determination as `check --json` prints it (chain,
rationale, sources, dataset versions, policy SHA-256), the user and the time, an optional note and
customer reference, and the SHA-256 of the previous record.
"""

from __future__ import annotations

import csv
import getpass
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from desktop_app import __version__
from desktop_app.domain.decision_chain import ChainBreak, canonical_json, first_break, record_hash
from desktop_app.services.context import AppContext
from desktop_app.services.lookup import CheckOutcome, SearchHit
from desktop_app.services.reporting import EntityReport, check_json
from desktop_app.store import decision_records as store
from desktop_app.store import queries

NOTE_LIMIT = 4000
REF_LIMIT = 200


class RecordError(ValueError):
    """A record cannot be written or read as asked (unknown number, bad export path)."""


@dataclass(frozen=True)
class DecisionRecord:
    """One record as the CLI and the window show it; `content` is exactly what was hashed."""

    seq: int
    at: str
    user: str
    query: str
    entity_id: str | None
    entity_name: str | None
    status: str | None  # None: the query matched nothing on file
    customer_ref: str
    note: str
    content: dict[str, Any]
    prev_sha256: str
    sha256: str

    @property
    def check(self) -> dict[str, Any]:
        """The check JSON recorded (query, match, alternatives, determination)."""
        value = self.content.get("check")
        return value if isinstance(value, dict) else {}

    @property
    def determination(self) -> dict[str, Any] | None:
        value = self.check.get("determination")
        return value if isinstance(value, dict) else None

    @property
    def verdict(self) -> str:
        return self.status or "not on file"


@dataclass(frozen=True)
class Verification:
    count: int
    head_sha256: str  # the last record's hash: write it down elsewhere to detect a truncated chain
    broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (a service account without a passwd entry)
        return ""


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _match_json(outcome: CheckOutcome | None, report: EntityReport | None, hit: SearchHit | None,
                query: str) -> dict[str, Any]:
    if outcome is not None:
        return check_json(outcome, report)
    # From the window: the entity the user opened among the results for what they typed.
    match = CheckOutcome(query, hit, ()) if hit is not None else CheckOutcome(query, None, ())
    out = check_json(match, report)
    if hit is None and report is not None:
        out["match"] = {"entity_id": report.entity_id, "name": report.name, "score": 100.0, "matched_on": "opened"}
    return out


def record_decision(
    ctx: AppContext,
    query: str,
    report: EntityReport | None,
    *,
    outcome: CheckOutcome | None = None,
    hit: SearchHit | None = None,
    note: str = "",
    customer_ref: str = "",
    user: str | None = None,
) -> DecisionRecord:
    """Append a record of this determination (or of 'not on file' when `report` is None) to the chain."""
    note, customer_ref = note.strip(), " ".join(customer_ref.split())
    if len(note) > NOTE_LIMIT:
        raise RecordError(f"note: {len(note):,} characters; at most {NOTE_LIMIT:,}")
    if len(customer_ref) > REF_LIMIT:
        raise RecordError(f"customer reference: {len(customer_ref)} characters; at most {REF_LIMIT}")
    checked = _match_json(outcome, report, hit, query)
    who = _user() if user is None else user
    at = _now()
    if report is not None:
        on_file = list(report.datasets)
    else:  # not on file: the record says which data it was not found in
        with ctx.store.engine.connect() as conn:
            on_file = queries.datasets(conn)
    datasets = [
        {"id": d.id, "version": d.version, "as_of": d.as_of.isoformat(), "sha256": d.content_sha256}
        for d in on_file
    ]

    def build(seq: int, prev: str) -> tuple[dict[str, Any], str, str]:
        content = {
            "seq": seq,
            "at": at,
            "user": who,
            "query": query,
            "entity_id": report.entity_id if report else None,
            "entity_name": report.name if report else None,
            "status": report.status if report else None,
            "customer_ref": customer_ref,
            "note": note,
            "policy_id": ctx.policy.id,
            "policy_version": ctx.policy.version,
            "policy_sha256": ctx.policy.sha256,
            "datasets": datasets,
            "check": checked,
            "app_version": __version__,
        }
        text = canonical_json(content)
        return content, text, record_hash(prev, text)

    stored = store.append(ctx.store.engine, build)
    return _from_stored(stored.seq, stored.content_json, stored.prev_sha256, stored.sha256)


def _from_stored(seq: int, content_json: str, prev: str, sha: str) -> DecisionRecord:
    try:
        content = json.loads(content_json)
    except ValueError:
        content = {}
    if not isinstance(content, dict):
        content = {}

    def text(key: str) -> str:
        value = content.get(key)
        return value if isinstance(value, str) else ""

    return DecisionRecord(
        seq=seq,
        at=text("at"),
        user=text("user"),
        query=text("query"),
        entity_id=content.get("entity_id"),
        entity_name=content.get("entity_name"),
        status=content.get("status"),
        customer_ref=text("customer_ref"),
        note=text("note"),
        content=content,
        prev_sha256=prev,
        sha256=sha,
    )


def latest(ctx: AppContext, limit: int = 20, customer_ref: str | None = None) -> list[DecisionRecord]:
    """The most recent records, newest first."""
    with ctx.store.engine.connect() as conn:
        rows = store.latest(conn, max(1, limit), customer_ref)
    return [_from_stored(r.seq, r.content_json, r.prev_sha256, r.sha256) for r in rows]


def get(ctx: AppContext, seq: int) -> DecisionRecord:
    with ctx.store.engine.connect() as conn:
        row = store.record(conn, seq)
    if row is None:
        raise RecordError(f"no decision record number {seq}")
    return _from_stored(row.seq, row.content_json, row.prev_sha256, row.sha256)


def verify(ctx: AppContext) -> Verification:
    """Check every link of the chain, first to last (in one snapshot, while others may be appending)."""
    with ctx.store.read() as conn:
        count = store.count(conn)
        _, head = store.last_link(conn)
        broken = first_break(store.records(conn))
    return Verification(count, head, broken)


def _all(ctx: AppContext) -> Iterator[DecisionRecord]:
    with ctx.store.engine.connect() as conn:
        for r in store.records(conn):
            yield _from_stored(r.seq, r.content_json, r.prev_sha256, r.sha256)


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


CSV_COLUMNS: Sequence[str] = ("seq", "at", "user", "customer_ref", "query", "entity_id", "entity_name", "status",
                              "restricted_min", "restricted_max", "policy_id", "policy_sha256", "datasets", "note",
                              "prev_sha256", "sha256")


def export(ctx: AppContext, path: Path) -> int:
    """Write every record to `path`: JSON Lines (each line the hashed content with its two hashes, so the
    chain can be re-checked elsewhere) or, for a .csv name, one row per record for a spreadsheet."""
    n = 0
    try:
        with path.open("w", encoding="utf-8", newline="") as fh:
            if path.suffix.lower() == ".csv":
                w = csv.writer(fh)
                w.writerow(CSV_COLUMNS)
                for r in _all(ctx):
                    share = (r.determination or {}).get("restricted_share") or {}
                    datasets = "; ".join(f"{d.get('id')} {d.get('version')}" for d in r.content.get("datasets", []))
                    w.writerow([neutralise(v) for v in (
                        r.seq, r.at, r.user, r.customer_ref, r.query, r.entity_id or "", r.entity_name or "",
                        r.verdict, share.get("min", ""), share.get("max", ""), r.content.get("policy_id", ""),
                        r.content.get("policy_sha256", ""), datasets, r.note, r.prev_sha256, r.sha256)])
                    n += 1
            else:
                for r in _all(ctx):
                    fh.write(json.dumps({"record": r.content, "prev_sha256": r.prev_sha256, "sha256": r.sha256},
                                        ensure_ascii=False, sort_keys=True) + "\n")
                    n += 1
    except OSError as exc:
        raise RecordError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    return n
