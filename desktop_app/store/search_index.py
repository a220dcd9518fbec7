"""The search index: normalized names with a token dictionary, and identifiers in lookup form."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, text

from desktop_app.domain.identifiers import host_of, registrable_domain
from desktop_app.domain.names import distinctive_tokens, name_tokens
from desktop_app.store.schema import SearchIdentifier, SearchName, SearchTerm

BATCH = 20_000
MATCHED_ON = {"alias": "alias", "former": "former name", "local": "local name", "trade": "trade name",
              "transliteration": "transliteration"}


def index_terms(norm_tokens: list[str]) -> set[str]:
    """Tokens a name is found by: distinctive tokens, and all tokens joined ('byte dance' → 'bytedance')."""
    terms = set(distinctive_tokens(norm_tokens))
    if len(norm_tokens) > 1:
        terms.add("".join(norm_tokens))
    if not terms and norm_tokens:  # a name made only of weak words is still findable by its full form
        terms.add("".join(norm_tokens))
    return {t[:100] for t in terms if t}


def rebuild(conn: Connection, tick: Callable[[str, int, int], None] | None = None) -> None:
    """Rebuild the whole index from entities, names and identifiers (inside the caller's transaction)."""
    for table in (SearchTerm, SearchName, SearchIdentifier):
        conn.execute(delete(table))
    rows = conn.execute(text(
        "SELECT e.cluster_id, e.name, 'name' FROM entities e "
        "UNION ALL SELECT e.cluster_id, n.name, n.type FROM names n JOIN entities e ON e.id = n.entity_id"
    ))
    next_id = 1
    seen: set[tuple[str, str]] = set()
    names: list[dict[str, Any]] = []
    terms: list[dict[str, Any]] = []
    done = 0
    for cluster_id, name, kind in rows:
        tokens = name_tokens(name)
        norm = " ".join(tokens)
        key = (cluster_id, name.casefold())
        if key in seen or not norm:
            continue
        seen.add(key)
        names.append({"id": next_id, "entity_id": cluster_id, "name": name,
                      "matched_on": MATCHED_ON.get(kind, "name"), "norm": norm})
        terms.extend({"term": t, "name_id": next_id} for t in index_terms(tokens))
        next_id += 1
        if len(names) >= BATCH:
            done += len(names)
            _flush(conn, names, terms)
            if tick:
                tick("Indexing names", done, 0)
    _flush(conn, names, terms)
    ids: list[dict[str, Any]] = []
    for cluster_id, scheme, value in conn.execute(text(
        "SELECT e.cluster_id, i.scheme, i.value FROM identifiers i JOIN entities e ON e.id = i.entity_id "
        "UNION ALL SELECT cluster_id, 'lei', lei FROM entities WHERE lei IS NOT NULL "
        "UNION ALL SELECT cluster_id, 'domain', website FROM entities WHERE website IS NOT NULL"
    )):
        ids.extend(_identifier_rows(cluster_id, scheme, value))
        if len(ids) >= BATCH:
            conn.execute(insert(SearchIdentifier), ids)
            ids = []
    if ids:
        conn.execute(insert(SearchIdentifier), ids)


def _flush(conn: Connection, names: list[dict[str, Any]], terms: list[dict[str, Any]]) -> None:
    if names:
        conn.execute(insert(SearchName), names)
    if terms:
        conn.execute(text("INSERT OR IGNORE INTO search_terms (term, name_id) VALUES (:term, :name_id)")
                     if conn.dialect.name == "sqlite" else
                     text("INSERT INTO search_terms (term, name_id) VALUES (:term, :name_id) ON CONFLICT DO NOTHING"),
                     terms)
    names.clear()
    terms.clear()


def identifier_key(scheme: str, value: str) -> str | None:
    """The form an identifier is stored and looked up in."""
    if scheme == "domain":
        return host_of(value)
    if scheme in ("lei",):
        return value.strip().upper()
    cleaned = re.sub(r"[\s\-./]", "", value).upper()
    return cleaned or None


def _identifier_rows(cluster_id: str, scheme: str, value: str) -> Iterable[dict[str, Any]]:
    key = identifier_key(scheme, value)
    if not key:
        return []
    rows = [{"scheme": scheme, "value": key, "entity_id": cluster_id, "display": value}]
    if scheme == "domain":
        reg = registrable_domain(key)
        if reg and reg != key:
            rows.append({"scheme": scheme, "value": reg, "entity_id": cluster_id, "display": reg})
    if scheme == "registration" and ":" in value:  # "SG:201732913N" is also found by its number alone
        number = identifier_key(scheme, value.split(":", 1)[1])
        if number:
            rows.append({"scheme": scheme, "value": number, "entity_id": cluster_id, "display": value})
    return rows


@dataclass(frozen=True)
class NameCandidate:
    name_id: int
    entity_id: str
    name: str
    matched_on: str
    norm: str


MAX_CANDIDATES = 2_000


def name_candidates(conn: Connection, query_tokens: list[str], prefix_last: bool) -> list[NameCandidate]:
    """Names sharing a distinctive token with the query (the last token also as a prefix)."""
    terms = set(index_terms(query_tokens))
    if not terms:
        return []
    clauses = ["term IN :terms"]
    params: dict[str, Any] = {"terms": sorted(terms)}
    if prefix_last and query_tokens and len(query_tokens[-1]) >= 2:
        last = query_tokens[-1]
        clauses.append("(term >= :lo AND term < :hi)")
        params.update(lo=last, hi=last + "\U0010ffff")
        joined = "".join(query_tokens)
        if joined != last:
            clauses.append("(term >= :jlo AND term < :jhi)")
            params.update(jlo=joined, jhi=joined + "\U0010ffff")
    sql = (f"SELECT DISTINCT n.id, n.entity_id, n.name, n.matched_on, n.norm FROM "
           f"(SELECT name_id FROM search_terms WHERE {' OR '.join(clauses)} LIMIT {MAX_CANDIDATES * 4}) t "
           f"JOIN search_names n ON n.id = t.name_id LIMIT {MAX_CANDIDATES}")
    rows = conn.execute(text(sql).bindparams(bindparam("terms", expanding=True)), params).all()
    return [NameCandidate(*r) for r in rows]


def identifier_matches(conn: Connection, scheme: str | None, values: list[str]) -> list[tuple[str, str, str, str]]:
    """(entity id, scheme, value, display) for exact identifier lookups, in the order of `values`."""
    out = []
    for value in values:
        q = "SELECT entity_id, scheme, value, display FROM search_identifiers WHERE value = :v"
        params: dict[str, Any] = {"v": value}
        if scheme:
            q += " AND scheme = :s"
            params["s"] = scheme
        out.extend(tuple(r) for r in conn.execute(text(q), params).all())
    return out
