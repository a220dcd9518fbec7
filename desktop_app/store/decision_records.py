"""Decision records in the database: appended one at a time under a lock, read back in sequence order.

Appending reads the last record and writes the next one in the same transaction, holding the database's
write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-scoped advisory lock), so concurrent
writers queue instead of both linking to the same record. The unique `prev_sha256` column backs this
up: should two writers ever read the same last record, the second insert fails and is retried.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError

from desktop_app.domain.decision_chain import GENESIS, INDEXED_FIELDS, StoredRecord
from desktop_app.store.schema import DecisionRecordRow

# Any constant the application owns: it names the one lock that serialises appends on PostgreSQL.
_PG_LOCK_KEY = 0x436C5265  # "ClRe"
ATTEMPTS = 5

# (seq, previous hash) → (the indexed columns, the canonical content, the record's hash)
Builder = Callable[[int, str], tuple[Mapping[str, Any], str, str]]

_T = DecisionRecordRow.__table__


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY})")


def last_link(conn: Connection) -> tuple[int, str]:
    """(sequence number, hash) of the last record; (0, GENESIS) when there is none."""
    row = conn.execute(select(_T.c.seq, _T.c.sha256).order_by(_T.c.seq.desc()).limit(1)).first()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS)


def append(engine: Engine, build: Builder) -> StoredRecord:
    """Append the record `build` makes for the next sequence number, linked to the current last record."""
    for attempt in range(ATTEMPTS):
        try:
            with engine.connect() as conn:
                _lock(conn)
                seq, prev = last_link(conn)
                columns, content_json, sha = build(seq + 1, prev)
                values = {name: columns[name] for name in INDEXED_FIELDS if name != "seq"}
                conn.execute(insert(DecisionRecordRow).values(seq=seq + 1, content_json=content_json, prev_sha256=prev,
                                                sha256=sha, **values))
                conn.commit()
                return StoredRecord(seq + 1, dict(columns), content_json, prev, sha)
        except (IntegrityError, OperationalError):
            # Another writer appended first (unique link or key), or the lock wait ran out: read the new end.
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _stored(row: Any) -> StoredRecord:
    columns = {name: getattr(row, name) for name in INDEXED_FIELDS}
    return StoredRecord(int(row.seq), columns, row.content_json, row.prev_sha256, row.sha256)


def record(conn: Connection, seq: int) -> StoredRecord | None:
    row = conn.execute(select(_T).where(_T.c.seq == seq)).first()
    return _stored(row) if row else None


def records(conn: Connection, batch: int = 1000) -> Iterator[StoredRecord]:
    """Every record in sequence order, read in batches."""
    after = 0
    while True:
        rows = conn.execute(select(_T).where(_T.c.seq > after).order_by(_T.c.seq).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            yield _stored(row)
        after = int(rows[-1].seq)


def latest(conn: Connection, limit: int, customer_ref: str | None = None) -> list[StoredRecord]:
    """The most recent records, newest first; only those for one customer reference if given."""
    query = select(_T).order_by(_T.c.seq.desc()).limit(limit)
    if customer_ref:
        query = query.where(_T.c.customer_ref == customer_ref)
    return [_stored(row) for row in conn.execute(query).all()]


def count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(_T)).scalar_one())
