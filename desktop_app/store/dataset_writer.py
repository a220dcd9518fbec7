"""Writes a validated dataset into the database inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, text, update

from desktop_app.importers.records import DatasetMeta
from desktop_app.store.schema import Dataset, EntityRow, IdentifierRow, NameRow, RelationshipRow, Source

BATCH = 20_000
Tick = Callable[[str, int, int], None]  # (phase, done, total); may raise to cancel


def global_id(dataset_id: str, local_id: str) -> str:
    return f"{dataset_id}:{local_id}"


def _batched(rows: Iterable[dict[str, Any]], size: int = BATCH) -> Iterable[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def delete_dataset(conn: Connection, dataset_id: str) -> None:
    for table in (NameRow, IdentifierRow, RelationshipRow, Source, EntityRow):
        conn.execute(delete(table).where(table.dataset_id == dataset_id))
    conn.execute(delete(Dataset).where(Dataset.id == dataset_id))


def _row(dataset_id: str, table: str, r: Any) -> tuple[Any, dict[str, Any]]:
    """The ORM table and column values for one canonical record."""
    if table == "sources.csv":
        return Source, {
            "dataset_id": dataset_id,
            "id": r.id,
            "title": r.title,
            "url": r.url,
            "publisher": r.publisher,
            "as_of": r.as_of,
            "license": r.license,
        }
    if table == "entities.csv":
        gid = global_id(dataset_id, r.id)
        return EntityRow, {
            "id": gid,
            "dataset_id": dataset_id,
            "local_id": r.id,
            "cluster_id": gid,
            "kind": r.kind,
            "name": r.name,
            "hq_country": r.hq_country,
            "incorporation_country": r.incorporation_country,
            "residence_country": r.residence_country,
            "status": r.status,
            "ownership": r.ownership,
            "lei": r.lei,
            "website": r.website,
            "source_id": r.source_id,
            "note": r.note,
            "public_float": r.public_float,
        }
    if table == "names.csv":
        return NameRow, {
            "dataset_id": dataset_id,
            "entity_id": global_id(dataset_id, r.entity_id),
            "name": r.name,
            "type": r.type,
            "lang": r.lang,
            "source_id": r.source_id,
        }
    if table == "identifiers.csv":
        return IdentifierRow, {
            "dataset_id": dataset_id,
            "entity_id": global_id(dataset_id, r.entity_id),
            "scheme": r.scheme,
            "value": r.value,
            "source_id": r.source_id,
        }
    return RelationshipRow, {
        "dataset_id": dataset_id,
        "owner_id": global_id(dataset_id, r.owner_id),
        "owned_id": global_id(dataset_id, r.owned_id),
        "kind": r.kind,
        "share_min": r.share_min,
        "share_max": r.share_max,
        "start_date": r.start_date,
        "end_date": r.end_date,
        "source_id": r.source_id,
        "note": r.note,
    }


def write_dataset(
    conn: Connection,
    meta: DatasetMeta,
    content_sha256: str,
    counts: dict[str, int],
    records: Iterable[tuple[str, Any]],
    tick: Tick,
) -> None:
    """Replace any earlier version of the dataset with these records (same transaction), in batches."""
    delete_dataset(conn, meta.id)
    conn.execute(
        insert(Dataset).values(
            id=meta.id,
            title=meta.title,
            version=meta.version,
            as_of=meta.as_of,
            publisher=meta.publisher,
            license=meta.license,
            description=meta.description,
            content_sha256=content_sha256,
            imported_at=datetime.now(UTC).replace(tzinfo=None),
            entity_count=counts.get("entities.csv", 0),
            relationship_count=counts.get("relationships.csv", 0),
        )
    )
    total = sum(counts.values())
    done = 0
    batch: list[dict[str, Any]] = []
    current: tuple[str, Any] | None = None
    for table, record in records:
        orm, values = _row(meta.id, table, record)
        if current is not None and (current[0] != table or len(batch) >= BATCH):
            conn.execute(insert(current[1]), batch)
            done += len(batch)
            tick(f"Writing {current[0].removesuffix('.csv')}", done, total)
            batch = []
        current = (table, orm)
        batch.append(values)
    if current is not None and batch:
        conn.execute(insert(current[1]), batch)
        tick(f"Writing {current[0].removesuffix('.csv')}", done + len(batch), total)


def recompute_clusters(conn: Connection) -> None:
    """Entities that share an LEI (or are declared same_as another entity) become one merged entity.

    The merged entity takes the smallest member id, so the result does not depend on import order.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            parent[hi] = lo

    lei_rows = conn.execute(
        text(
            "SELECT lei, id FROM entities WHERE lei IS NOT NULL AND lei IN "
            "(SELECT lei FROM entities WHERE lei IS NOT NULL GROUP BY lei HAVING COUNT(*) > 1) ORDER BY lei, id"
        )
    ).all()
    first: dict[str, str] = {}
    for lei, entity_id in lei_rows:
        if lei in first:
            union(first[lei], entity_id)
        else:
            first[lei] = entity_id
    # Identifiers of scheme lei or same_as link entities too.
    links = conn.execute(
        text(
            "SELECT i.entity_id, e.id FROM identifiers i JOIN entities e "
            "ON (i.scheme = 'lei' AND e.lei = i.value) OR (i.scheme = 'same_as' AND e.id = i.value) "
            "WHERE e.id <> i.entity_id"
        )
    ).all()
    for a, b in links:
        union(a, b)
    conn.execute(update(EntityRow).where(EntityRow.cluster_id != EntityRow.id).values(cluster_id=EntityRow.id))
    changes = [{"member": m, "cluster": find(m)} for m in list(parent) if find(m) != m]
    for batch in _batched(changes):
        conn.execute(text("UPDATE entities SET cluster_id = :cluster WHERE id = :member"), batch)
