"""Bulk reads of the whole graph and bulk writes of stored determinations."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, text

from desktop_app.domain.model import Relationship, Share
from desktop_app.store.bulk import insert_rows
from desktop_app.store.schema import Dataset, DeterminationRow, DeterminationRun

BATCH = 50_000


def data_fingerprint(conn: Connection) -> str:
    """Changes whenever any dataset is imported, replaced or removed."""
    rows = conn.execute(select(Dataset.id, Dataset.content_sha256, Dataset.imported_at).order_by(Dataset.id)).all()
    h = hashlib.sha256()
    for r in rows:
        h.update(f"{r[0]}|{r[1]}|{r[2]}\n".encode())
    return h.hexdigest()


def entity_basics(conn: Connection, countries: Sequence[str]) -> Iterator[tuple[str, str, str | None, str | None]]:
    """(cluster id, kind, origin country, ownership) for the merged entities that may be other than plain.

    Only clusters with a member that is a person or a state body, has its ownership marked complete or
    partial, has no country, or has a country in `countries` are read; every other entity is a company
    with a country, no restricted origin and ownership not known to be complete.
    The merged coverage is `complete` only when no member says `partial`.
    """
    params = {f"c{i}": c for i, c in enumerate(countries)}
    in_list = ", ".join(f":c{i}" for i in range(len(countries))) or "NULL"
    result = conn.execute(
        text(
            "SELECT cluster_id, id, kind, hq_country, incorporation_country, residence_country, ownership "
            "FROM entities WHERE cluster_id IN (SELECT cluster_id FROM entities WHERE kind IN ('person', 'state_body') "
            "OR ownership IS NOT NULL OR (hq_country IS NULL AND incorporation_country IS NULL) "
            f"OR hq_country IN ({in_list}) OR incorporation_country IN ({in_list}) "
            f"OR residence_country IN ({in_list})) ORDER BY cluster_id, id <> cluster_id, id"
        ),
        params,
    )
    current: list[Any] | None = None
    for cluster_id, _id, kind, hq, inc, res, ownership in result:
        if current is not None and current[0] == cluster_id:
            current[3] = current[3] or hq
            current[4] = current[4] or inc
            current[5] = current[5] or res
            current[6] = _merged_coverage(current[6], ownership)
            continue
        if current is not None:
            yield _basic(current)
        current = [cluster_id, _id, kind, hq, inc, res, ownership]
    if current is not None:
        yield _basic(current)


def entity_count(conn: Connection) -> int:
    return int(conn.execute(text("SELECT COUNT(*) FROM entities WHERE id = cluster_id")).scalar_one())


def _merged_coverage(a: str | None, b: str | None) -> str | None:
    """Merged ownership coverage: partial if any member says partial, else complete if any says so."""
    if "partial" in (a, b):
        return "partial"
    return a or b


def _basic(c: list[Any]) -> tuple[str, str, str | None, str | None]:
    cluster_id, _id, kind, hq, inc, res, ownership = c
    country = (res or hq) if kind == "person" else (hq or inc)
    return cluster_id, kind, country, ownership


def all_relationships(conn: Connection) -> Iterator[Relationship]:
    merged = conn.execute(text("SELECT 1 FROM entities WHERE cluster_id <> id LIMIT 1")).first() is not None
    sql = (
        "SELECT o.cluster_id, m.cluster_id, r.kind, r.share_min, r.share_max, r.start_date, r.end_date "
        "FROM relationships r JOIN entities m ON m.id = r.owned_id JOIN entities o ON o.id = r.owner_id"
        if merged
        else "SELECT owner_id, owned_id, kind, share_min, share_max, start_date, end_date FROM relationships"
    )
    for owner, owned, kind, lo, hi, start, end in conn.execute(text(sql)):
        share = None if lo is None and hi is None else Share(0.0 if lo is None else lo, 100.0 if hi is None else hi)
        if start is not None and not isinstance(start, date):
            start = date.fromisoformat(str(start))
        if end is not None and not isinstance(end, date):
            end = date.fromisoformat(str(end))
        yield Relationship(owner, owned, kind, share, start, end)


def dated_change_between(conn: Connection, after: date, until: date) -> bool:
    """True if any relationship starts or ends in (after, until]: stored statuses may have changed."""
    row = conn.execute(
        text(
            "SELECT 1 FROM relationships WHERE (start_date > :a AND start_date <= :u) "
            "OR (end_date > :a AND end_date <= :u) LIMIT 1"
        ),
        {"a": after, "u": until},
    ).first()
    return row is not None


def write_determinations(
    conn: Connection,
    policy_sha256: str,
    policy_id: str,
    as_of: date,
    rows: Iterable[tuple[str, str, float, float]],
    default: tuple[str, float, float],
    tick: Callable[[int], None] | None = None,
) -> int:
    """Replace one policy's stored determinations with `rows` (entity, status, min, max).

    Rows equal to `default` are not stored: an entity without a row has the default determination.
    """
    others = conn.execute(
        text("SELECT 1 FROM determinations WHERE policy_sha256 <> :p LIMIT 1"), {"p": policy_sha256}
    ).first()
    if others is None:
        conn.execute(text("DELETE FROM determinations"))  # whole-table delete: much faster than by key
    else:
        conn.execute(delete(DeterminationRow).where(DeterminationRow.policy_sha256 == policy_sha256))
    conn.execute(delete(DeterminationRun).where(DeterminationRun.policy_sha256 == policy_sha256))
    count = 0
    batch: list[dict[str, Any]] = []
    for entity_id, status, lo, hi in rows:
        if (status, lo, hi) == default:
            continue
        batch.append({"policy_sha256": policy_sha256, "entity_id": entity_id, "status": status,
                      "restricted_min": lo, "restricted_max": hi})
        if len(batch) >= BATCH:
            insert_rows(conn, DeterminationRow.__table__, batch)
            count += len(batch)
            batch = []
            if tick:
                tick(count)
    if batch:
        insert_rows(conn, DeterminationRow.__table__, batch)
    total = entity_count(conn)
    conn.execute(
        insert(DeterminationRun).values(
            policy_sha256=policy_sha256,
            policy_id=policy_id,
            as_of=as_of,
            data_fingerprint=data_fingerprint(conn),
            computed_at=datetime.now(UTC).replace(tzinfo=None),
            entity_count=total,
        )
    )
    return total


def determination_run(conn: Connection, policy_sha256: str) -> tuple[date, str] | None:
    row = conn.execute(
        select(DeterminationRun.as_of, DeterminationRun.data_fingerprint).where(
            DeterminationRun.policy_sha256 == policy_sha256
        )
    ).first()
    if row is None:
        return None
    as_of = row[0] if isinstance(row[0], date) else date.fromisoformat(str(row[0]))
    return as_of, str(row[1])


def invalidate_all(conn: Connection) -> None:
    conn.execute(delete(DeterminationRow))
    conn.execute(delete(DeterminationRun))
