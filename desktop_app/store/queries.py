"""Read queries returning plain domain values (never ORM objects across the boundary)."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, bindparam, select, text

from desktop_app.domain.model import Entity, Relationship, Share
from desktop_app.store.schema import Dataset

MAX_SUBGRAPH = 20_000


def _chunks(items: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _source_key(dataset_id: str, source_id: str | None) -> str | None:
    return f"{dataset_id}:{source_id}" if source_id else None


def _merged_coverage(a: Any, b: Any) -> Any:
    """partial if any member says partial (DESIGN: merging), else complete if any says so."""
    return "partial" if "partial" in (a, b) else a or b


def _merge(rows: Sequence[Any]) -> dict[str, Entity]:
    """Merged entities from member rows ordered canonical-first per cluster."""
    out: dict[str, Entity] = {}
    for r in rows:
        current = out.get(r.cluster_id)
        src = _source_key(r.dataset_id, r.source_id)
        if current is None:
            out[r.cluster_id] = Entity(
                id=r.cluster_id,
                name=r.name,
                kind=r.kind,
                hq_country=r.hq_country,
                incorporation_country=r.incorporation_country,
                residence_country=r.residence_country,
                ownership=r.ownership,
                source_id=src,
                note=r.note,
                public_float=r.public_float,
            )
        else:
            out[r.cluster_id] = Entity(
                id=current.id,
                name=current.name,
                kind=current.kind,
                hq_country=current.hq_country or r.hq_country,
                incorporation_country=current.incorporation_country or r.incorporation_country,
                residence_country=current.residence_country or r.residence_country,
                ownership=_merged_coverage(current.ownership, r.ownership),
                source_id=current.source_id or src,
                note="\n".join(n for n in (current.note, r.note) if n) or None,
                public_float=current.public_float if current.public_float is not None else r.public_float,
            )
    return out


_MEMBER_COLS = (
    "e.cluster_id, e.id, e.dataset_id, e.kind, e.name, e.hq_country, e.incorporation_country, "
    "e.residence_country, e.ownership, e.source_id, e.public_float, e.note"
)


def merged_entities(conn: Connection, cluster_ids: Sequence[str]) -> dict[str, Entity]:
    """The merged entities of `cluster_ids` (those on file), read with a plain cursor: every lookup asks."""
    rows: list[Any] = []
    cursor = conn.connection.cursor()
    try:
        for chunk in _chunks(list(dict.fromkeys(cluster_ids))):
            cursor.execute(_cursor_sql(conn, f"SELECT {_MEMBER_COLS} FROM entities e WHERE e.cluster_id IN "
                                             f"({','.join('?' * len(chunk))})"), tuple(chunk))
            rows.extend(_MemberRow(*r) for r in cursor.fetchall())
    finally:
        cursor.close()
    rows.sort(key=lambda r: (r.cluster_id, r.id != r.cluster_id, r.id))
    return _merge(rows)


def _relationship(r: Any) -> Relationship:
    share = None
    if r.share_min is not None or r.share_max is not None:
        lo = r.share_min if r.share_min is not None else 0.0
        hi = r.share_max if r.share_max is not None else 100.0
        share = Share(lo, hi)
    return Relationship(
        owner_id=r.owner_cluster,
        owned_id=r.owned_cluster,
        kind=r.kind,
        share=share,
        start_date=r.start_date
        if isinstance(r.start_date, date) or r.start_date is None
        else date.fromisoformat(str(r.start_date)),
        end_date=r.end_date
        if isinstance(r.end_date, date) or r.end_date is None
        else date.fromisoformat(str(r.end_date)),
        source_id=_source_key(r.dataset_id, r.source_id),
        note=r.note,
    )


_REL_SQL = (
    "SELECT o.cluster_id AS owner_cluster, m.cluster_id AS owned_cluster, r.kind, r.share_min, r.share_max, "
    "r.start_date, r.end_date, r.source_id, r.dataset_id, r.note "
    "FROM entities m JOIN relationships r ON r.owned_id = m.id JOIN entities o ON o.id = r.owner_id "
)


def owner_relationships(conn: Connection, cluster_ids: Sequence[str]) -> list[Relationship]:
    out: list[Relationship] = []
    for chunk in _chunks(list(cluster_ids)):
        rows = conn.execute(
            text(_REL_SQL + "WHERE m.cluster_id IN :ids").bindparams(bindparam("ids", expanding=True)),
            {"ids": list(chunk)},
        ).all()
        out.extend(_relationship(r) for r in rows)
    return out


def owned_relationships(conn: Connection, cluster_id: str) -> list[Relationship]:
    """Relationships in which the entity is the owner (its holdings)."""
    rows = conn.execute(text(_REL_SQL + "WHERE o.cluster_id = :id"), {"id": cluster_id}).all()
    return [_relationship(r) for r in rows]


def ancestor_ids(conn: Connection, cluster_id: str, limit: int = 2_000) -> set[str]:
    """Every direct or indirect owner of the entity (any relationship, any date), up to `limit`."""
    return ancestor_map(conn, [cluster_id], limit)[cluster_id]


_OWNER_IDS_SQL = ("SELECT DISTINCT m.cluster_id, o.cluster_id FROM entities m "
                  "JOIN relationships r ON r.owned_id = m.id JOIN entities o ON o.id = r.owner_id "
                  "WHERE m.cluster_id IN :ids")


def ancestor_map(conn: Connection, cluster_ids: Sequence[str], limit: int = 2_000) -> dict[str, set[str]]:
    """For each entity, every direct or indirect owner (any relationship, any date), up to about `limit`
    owners each; the owners of all the entities are read together, level by level."""
    wanted = list(dict.fromkeys(cluster_ids))
    owners: dict[str, set[str]] = {}
    frontier = wanted
    while frontier and len(owners) < limit * len(wanted):
        for node in frontier:
            owners[node] = set()
        for chunk in _chunks(frontier):
            rows = conn.execute(text(_OWNER_IDS_SQL).bindparams(bindparam("ids", expanding=True)),
                                {"ids": list(chunk)}).all()
            for owned, owner in rows:
                owners[owned].add(owner)
        frontier = list(dict.fromkeys(o for node in frontier for o in owners[node] if o not in owners))
    out: dict[str, set[str]] = {}
    for start in wanted:
        seen: set[str] = set()
        stack = [start]
        while stack and len(seen) < limit:
            for owner in owners.get(stack.pop(), ()):
                if owner not in seen and owner != start:
                    seen.add(owner)
                    stack.append(owner)
        out[start] = seen
    return out


def _cursor_sql(conn: Connection, sql: str) -> str:
    return sql if conn.dialect.paramstyle == "qmark" else sql.replace("?", "%s")


def _day(value: Any) -> date | None:
    return value if value is None or isinstance(value, date) else date.fromisoformat(str(value))


def ancestor_subgraph(conn: Connection, cluster_id: str) -> tuple[dict[str, Entity], list[Relationship], bool]:
    """The entity, every direct or indirect owner (at most MAX_SUBGRAPH), and the relationships among them.

    The owners are found level by level, each level's query returning the relationships of the entities
    found so far, so that each relationship is read once (a deep group has thousands of them, and the
    report is opened while the user waits); each merged entity is visited once, so cross-holdings end it.
    The relationships and the entities are read with plain cursors.
    """
    cursor = conn.connection.cursor()
    try:
        ids = [cluster_id]
        members = {cluster_id}
        truncated = False
        rels: list[Relationship] = []
        shares: dict[tuple[Any, Any], Share | None] = {(None, None): None}
        days: dict[Any, date | None] = {None: None}
        frontier = ids
        while frontier:
            found: list[Any] = []
            for chunk in _chunks(frontier):
                marks = ",".join("?" * len(chunk))
                cursor.execute(_cursor_sql(conn, _REL_SQL_RAW + f"WHERE m.cluster_id IN ({marks})"), tuple(chunk))
                found.extend(cursor.fetchall())
            frontier = []
            for row in found:
                owner = row[0]
                if owner not in members:
                    if len(members) >= MAX_SUBGRAPH:
                        truncated = True
                        continue
                    members.add(owner)
                    frontier.append(owner)
                    ids.append(owner)
                _, owned, kind, lo, hi, start, end, source_id, dataset_id, note = row
                share = shares.get((lo, hi), _MISSING)
                if share is _MISSING:
                    share = shares[(lo, hi)] = Share(0.0 if lo is None else lo, 100.0 if hi is None else hi)
                start_day = days.get(start, _MISSING)
                if start_day is _MISSING:
                    start_day = days[start] = _day(start)
                end_day = days.get(end, _MISSING)
                if end_day is _MISSING:
                    end_day = days[end] = _day(end)
                rels.append(Relationship(owner, owned, kind, share, start_day, end_day,
                                         f"{dataset_id}:{source_id}" if source_id else None, note))
    finally:
        cursor.close()
    return merged_entities(conn, ids), rels, truncated


_MISSING: Any = object()
_REL_SQL_RAW = (
    "SELECT o.cluster_id, m.cluster_id, r.kind, r.share_min, r.share_max, r.start_date, r.end_date, r.source_id, "
    "r.dataset_id, r.note FROM entities m JOIN relationships r ON r.owned_id = m.id "
    "JOIN entities o ON o.id = r.owner_id "
)


# One member row as _merge reads it, with the columns of _MEMBER_COLS (whatever they grow to).
_MemberRow = namedtuple("_MemberRow", [c.strip().split(".")[1] for c in _MEMBER_COLS.split(",")])  # type: ignore[misc]


def cluster_of(conn: Connection, entity_id: str) -> str | None:
    """The merged entity for a global id, or for a local id when only one dataset uses it."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(_cursor_sql(conn, "SELECT cluster_id FROM entities WHERE id = ?"), (entity_id,))
        row = cursor.fetchone()
        if row:
            return str(row[0])
        cursor.execute(_cursor_sql(conn, "SELECT cluster_id FROM entities WHERE local_id = ? LIMIT 2"), (entity_id,))
        rows = cursor.fetchall()
    finally:
        cursor.close()
    if len({r[0] for r in rows}) == 1:
        return str(rows[0][0])
    return None


@dataclass(frozen=True)
class DatasetInfo:
    id: str
    title: str
    version: str
    as_of: date
    publisher: str
    license: str
    entity_count: int
    relationship_count: int
    content_sha256: str


def datasets(conn: Connection) -> list[DatasetInfo]:
    rows = conn.execute(select(Dataset.__table__).order_by(Dataset.id)).all()
    return [
        DatasetInfo(
            d.id,
            d.title,
            d.version,
            d.as_of,
            d.publisher,
            d.license,
            d.entity_count,
            d.relationship_count,
            d.content_sha256,
        )
        for d in rows
    ]


@dataclass(frozen=True)
class NameInfo:
    name: str
    type: str
    lang: str | None
    source_key: str | None


@dataclass(frozen=True)
class IdentifierInfo:
    scheme: str
    value: str
    source_key: str | None


@dataclass(frozen=True)
class EntityFacts:
    cluster_id: str
    member_ids: tuple[str, ...]
    dataset_ids: tuple[str, ...]
    lei: str | None
    website: str | None
    status: str
    names: tuple[NameInfo, ...]
    identifiers: tuple[IdentifierInfo, ...]


_FactMember = namedtuple("_FactMember", "id dataset_id name status lei website source_id")
_FactName = namedtuple("_FactName", "name type lang dataset_id source_id")
_FactIdentifier = namedtuple("_FactIdentifier", "scheme value dataset_id source_id")


def entity_facts(conn: Connection, cluster_id: str) -> EntityFacts | None:
    """Names, identifiers and register facts of a merged entity (plain cursors: a report waits on them)."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(_cursor_sql(conn, f"SELECT {', '.join(_FactMember._fields)} FROM entities WHERE cluster_id = ?"),
                       (cluster_id,))
        members = [_FactMember(*r) for r in cursor.fetchall()]
        if not members:
            return None
        members.sort(key=lambda m: (m.id != cluster_id, m.id))
        ids = [m.id for m in members]
        marks = ",".join("?" * len(ids))
        cursor.execute(_cursor_sql(conn, f"SELECT {', '.join(_FactName._fields)} FROM names "
                                         f"WHERE entity_id IN ({marks}) ORDER BY id"), tuple(ids))
        names = [_FactName(*r) for r in cursor.fetchall()]
        cursor.execute(_cursor_sql(conn, f"SELECT {', '.join(_FactIdentifier._fields)} FROM identifiers "
                                         f"WHERE entity_id IN ({marks}) ORDER BY id"), tuple(ids))
        idents = [_FactIdentifier(*r) for r in cursor.fetchall()]
    finally:
        cursor.close()
    return EntityFacts(
        cluster_id=cluster_id,
        member_ids=tuple(ids),
        dataset_ids=tuple(dict.fromkeys(m.dataset_id for m in members)),
        lei=next((m.lei for m in members if m.lei), None),
        website=next((m.website for m in members if m.website), None),
        status=members[0].status,
        # The legal names other datasets give the same entity (a register's, say) come first among its names.
        names=tuple(
            [
                NameInfo(m.name, "alias", None, _source_key(m.dataset_id, m.source_id))
                for m in members[1:]
                if m.name != members[0].name
            ]
            + [NameInfo(n.name, n.type, n.lang, _source_key(n.dataset_id, n.source_id)) for n in names]
        ),
        identifiers=tuple(IdentifierInfo(i.scheme, i.value, _source_key(i.dataset_id, i.source_id)) for i in idents),
    )


@dataclass(frozen=True)
class SourceInfo:
    key: str
    title: str
    url: str
    publisher: str
    as_of: date | None
    license: str
    dataset_id: str


def sources(conn: Connection, keys: Sequence[str]) -> list[SourceInfo]:
    """The sources of `keys` ("dataset:source"), in their order; keys of no source on file are left out."""
    wanted: dict[str, list[str]] = {}
    for key in dict.fromkeys(keys):
        dataset_id, _, source_id = key.partition(":")
        wanted.setdefault(dataset_id, []).append(source_id)
    found: dict[str, SourceInfo] = {}
    cursor = conn.connection.cursor()
    try:
        for dataset_id, source_ids in wanted.items():
            for chunk in _chunks(source_ids):
                cursor.execute(_cursor_sql(conn, "SELECT id, title, url, publisher, as_of, license FROM sources "
                                                 f"WHERE dataset_id = ? AND id IN ({','.join('?' * len(chunk))})"),
                               (dataset_id, *chunk))
                for source_id, title, url, publisher, as_of, license_ in cursor.fetchall():
                    key = f"{dataset_id}:{source_id}"
                    found[key] = SourceInfo(key, title, url, publisher, _day(as_of), license_, dataset_id)
    finally:
        cursor.close()
    return [found[key] for key in keys if key in found]


def stored_statuses(
    conn: Connection, policy_sha256: str, cluster_ids: Sequence[str], default: tuple[str, float, float]
) -> dict[str, tuple[str, float, float]]:
    """Stored determinations for `cluster_ids`; entities without a row have `default`."""
    out: dict[str, tuple[str, float, float]] = dict.fromkeys(cluster_ids, default)
    cursor = conn.connection.cursor()
    try:
        for chunk in _chunks(list(out)):
            marks = ",".join("?" * len(chunk))
            cursor.execute(_cursor_sql(conn, "SELECT entity_id, status, restricted_min, restricted_max FROM "
                                             f"determinations WHERE policy_sha256 = ? AND entity_id IN ({marks})"),
                           (policy_sha256, *chunk))
            out.update({r[0]: (r[1], r[2], r[3]) for r in cursor.fetchall()})
    finally:
        cursor.close()
    return out


def stored_bounds(
    conn: Connection, policy_sha256: str, cluster_ids: Sequence[str], default: tuple[float, float]
) -> dict[str, tuple[float, float]]:
    """Stored restricted shares [min, max] for `cluster_ids` (entities without a row have `default`):
    an explanation reads those of a whole ancestor subgraph."""
    rows = stored_statuses(conn, policy_sha256, cluster_ids, ("", *default))
    return {entity_id: (lo, hi) for entity_id, (_status, lo, hi) in rows.items()}
