"""Writes a validated dataset into the database inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
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


_COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "sources.csv": ("sources", ("dataset_id", "id", "title", "url", "publisher", "as_of", "license")),
    "entities.csv": ("entities", ("id", "dataset_id", "local_id", "cluster_id", "kind", "name", "hq_country",
                                  "incorporation_country", "residence_country", "status", "ownership", "lei",
                                  "website", "source_id", "note", "public_float")),
    "names.csv": ("names", ("dataset_id", "entity_id", "name", "type", "lang", "source_id")),
    "identifiers.csv": ("identifiers", ("dataset_id", "entity_id", "scheme", "value", "source_id")),
    "relationships.csv": ("relationships", ("dataset_id", "owner_id", "owned_id", "kind", "share_min", "share_max",
                                            "start_date", "end_date", "source_id", "note")),
}
NameSink = Callable[[str, str, str], None]  # (entity id, name, "name" or the name's type)


def _row(dataset_id: str, table: str, r: Any, day: Callable[[date | None], Any]) -> tuple[Any, ...]:
    """The column values of one canonical record, in the order of `_COLUMNS`."""
    if table == "entities.csv":
        gid = f"{dataset_id}:{r.id}"
        return (gid, dataset_id, r.id, gid, r.kind, r.name, r.hq_country, r.incorporation_country,
                r.residence_country, r.status, r.ownership, r.lei, r.website, r.source_id, r.note, r.public_float)
    if table == "names.csv":
        return (dataset_id, f"{dataset_id}:{r.entity_id}", r.name, r.type, r.lang, r.source_id)
    if table == "relationships.csv":
        return (dataset_id, f"{dataset_id}:{r.owner_id}", f"{dataset_id}:{r.owned_id}", r.kind, r.share_min,
                r.share_max, day(r.start_date), day(r.end_date), r.source_id, r.note)
    if table == "identifiers.csv":
        return (dataset_id, f"{dataset_id}:{r.entity_id}", r.scheme, r.value, r.source_id)
    return (dataset_id, r.id, r.title, r.url, r.publisher, day(r.as_of), r.license)


def write_dataset(
    conn: Connection,
    meta: DatasetMeta,
    content_sha256: str,
    counts: dict[str, int],
    records: Iterable[tuple[str, Any]],
    tick: Tick,
    names: NameSink | None = None,
) -> None:
    """Replace any earlier version of the dataset with these records (same transaction), in batches.

    Rows go to the database driver as plain tuples in batches; `names`, if given, receives every name
    (each entity's own name, then its other names) as it is written, for the search index. The content
    hash and counts may be given here or, when the records are read only once, recorded afterwards.
    """
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
    sqlite = conn.dialect.name == "sqlite"
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"

    def day(d: date | None) -> Any:
        return d.isoformat() if sqlite and d is not None else d  # SQLite stores dates as ISO text

    statements = {
        table: f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({', '.join([mark] * len(cols))})"
        for table, (name, cols) in _COLUMNS.items()
    }
    cursor = conn.connection.cursor()
    total = sum(counts.values())
    done = 0
    # one batch per table: an importer may interleave tables (an entity, then its names), and the rows
    # of one table do not depend on those of another, so each table is written in full batches
    batches: dict[str, list[tuple[Any, ...]]] = {}
    dataset_id = meta.id

    def flush(table: str) -> None:
        nonlocal done
        rows = batches.pop(table)
        if sqlite:
            cursor.executemany(statements[table], rows)
        else:
            name, cols = _COLUMNS[table]  # PostgreSQL: COPY is several times faster than INSERTs
            with cursor.copy(f"COPY {name} ({', '.join(cols)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        done += len(rows)
        tick(f"Writing {table.removesuffix('.csv')}", done, total)

    try:
        for table, record in records:
            batch = batches.setdefault(table, [])
            batch.append(_row(dataset_id, table, record, day))
            if len(batch) >= BATCH:
                flush(table)
            if names is not None:
                if table == "entities.csv":
                    names(f"{dataset_id}:{record.id}", record.name, "name")
                elif table == "names.csv":
                    names(f"{dataset_id}:{record.entity_id}", record.name, record.type)
        for table in [t for t in _COLUMNS if t in batches]:
            flush(table)
    finally:
        cursor.close()


# Entity ids of datasets imported from a register's bulk files: they yield to curated datasets on merge.
REGISTER_PREFIXES = ("gleif:",)


def recompute_clusters(conn: Connection) -> None:
    """Entities that share an LEI (or are declared same_as another entity) become one merged entity.

    The merged entity takes the id of a member from a curated dataset before one from a register's bulk
    file (the GLEIF golden copy), and among those the smallest id, so the result does not depend on import
    order and the merged entity's name and headquarters are the curated ones: GLEIF's headquarters
    address is where a company files from, which the policy's headquarters need not be.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    def precedence(entity_id: str) -> tuple[bool, str]:
        return entity_id.startswith(REGISTER_PREFIXES), entity_id

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb), key=precedence)
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
