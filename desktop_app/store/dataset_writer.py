"""Writes a validated dataset into the database inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, text, update

from desktop_app.importers.records import CanonicalDataset
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


def write_dataset(conn: Connection, ds: CanonicalDataset, tick: Tick) -> None:
    """Replace any earlier version of the dataset with this one (same transaction)."""
    meta = ds.meta

    def gid(local: str) -> str:
        return global_id(meta.id, local)

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
            content_sha256=ds.content_sha256,
            imported_at=datetime.now(UTC).replace(tzinfo=None),
            entity_count=len(ds.entities),
            relationship_count=len(ds.relationships),
        )
    )
    total = len(ds.sources) + len(ds.entities) + len(ds.names) + len(ds.identifiers) + len(ds.relationships)
    done = 0

    def put(table: Any, rows: Iterable[dict[str, Any]], phase: str) -> None:
        nonlocal done
        for batch in _batched(rows):
            conn.execute(insert(table), batch)
            done += len(batch)
            tick(phase, done, total)

    put(
        Source,
        (
            {
                "dataset_id": meta.id,
                "id": s.id,
                "title": s.title,
                "url": s.url,
                "publisher": s.publisher,
                "as_of": s.as_of,
                "license": s.license,
            }
            for s in ds.sources
        ),
        "Writing sources",
    )
    put(
        EntityRow,
        (
            {
                "id": gid(e.id),
                "dataset_id": meta.id,
                "local_id": e.id,
                "cluster_id": gid(e.id),
                "kind": e.kind,
                "name": e.name,
                "hq_country": e.hq_country,
                "incorporation_country": e.incorporation_country,
                "residence_country": e.residence_country,
                "status": e.status,
                "ownership": e.ownership,
                "lei": e.lei,
                "website": e.website,
                "source_id": e.source_id,
            }
            for e in ds.entities
        ),
        "Writing entities",
    )
    put(
        NameRow,
        (
            {
                "dataset_id": meta.id,
                "entity_id": gid(n.entity_id),
                "name": n.name,
                "type": n.type,
                "lang": n.lang,
                "source_id": n.source_id,
            }
            for n in ds.names
        ),
        "Writing names",
    )
    put(
        IdentifierRow,
        (
            {
                "dataset_id": meta.id,
                "entity_id": gid(i.entity_id),
                "scheme": i.scheme,
                "value": i.value,
                "source_id": i.source_id,
            }
            for i in ds.identifiers
        ),
        "Writing identifiers",
    )
    put(
        RelationshipRow,
        (
            {
                "dataset_id": meta.id,
                "owner_id": gid(r.owner_id),
                "owned_id": gid(r.owned_id),
                "kind": r.kind,
                "share_min": r.share_min,
                "share_max": r.share_max,
                "start_date": r.start_date,
                "end_date": r.end_date,
                "source_id": r.source_id,
                "note": r.note,
            }
            for r in ds.relationships
        ),
        "Writing relationships",
    )


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
