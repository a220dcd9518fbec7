"""The search index: names in comparable form, a term dictionary with postings, typo variants, identifiers.

Candidate generation stays in the database and touches a bounded number of rows whatever the size of
the data:

- every name is indexed under its distinctive tokens and under adjacent pairs of them joined
  ("byte dance" → "bytedance"), so spacing variants meet and two common words together are rare;
- postings are ordered by term and then by name length, so a capped read returns the names closest in
  length to the query;
- typos: each single-token term is stored under a hash of itself and of each one-letter deletion
  (symmetric deletion, as SymSpell does), which finds terms within one edit, and most within two;
- prefixes: the last word being typed is completed from the most frequent terms that start with it;
- the rarest term groups of a query are read first, and reading stops at a candidate cap;
- a query of one or two characters reads a few dozen names: those so named, and those starting so.
"""

from __future__ import annotations

import heapq
import itertools
import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from rapidfuzz.distance import DamerauLevenshtein
from sqlalchemy import Connection, delete, text

from desktop_app.domain.identifiers import host_of, registrable_domain
from desktop_app.domain.names import AnalyzedName, name_variants
from desktop_app.store.schema import (
    SearchDelete,
    SearchIdentifier,
    SearchName,
    SearchPrefix,
    SearchTerm,
    SearchVocab,
)

BATCH = 20_000
MAX_TERM = 60  # characters of a term that are kept
MAX_NAME_TOKENS = 12  # tokens of a name (or query) that are indexed
FUZZY_MIN = 4  # shortest token that gets typo variants
FUZZY_MAX = 24
FUZZY_UNLESS_DF = 20  # a query word found in this many names or more is not also read as a typo
PREFIX_TABLE_MAX = 3  # prefixes up to this length are completed from search_prefixes
PREFIX_TOP = 8  # completions kept per prefix
MATCHED_ON = {"alias": "alias", "former": "former name", "local": "local name", "trade": "trade name",
              "transliteration": "transliteration"}


def index_terms(name: AnalyzedName) -> set[str]:
    """Terms a name is found by: its distinctive tokens, adjacent pairs of them joined, and for names
    written in CJK or Hangul syllables the whole name joined."""
    tokens = list(name.distinctive[:MAX_NAME_TOKENS])
    terms = set(tokens)
    terms.update(a + b for a, b in itertools.pairwise(tokens))
    if len(tokens) > 2 and name.syllabic:
        terms.add("".join(tokens))
    return {t[:MAX_TERM] for t in terms if t}


def variant_key(term: str) -> int:
    """A compact, stable hash for deletion variants (31 bits, so it fits every SQL integer)."""
    return zlib.crc32(term.encode("utf-8")) & 0x7FFFFFFF


def deletion_variants(term: str) -> set[str]:
    """The term and every string one deletion away from it."""
    return {term} | {term[:i] + term[i + 1:] for i in range(len(term))}


def max_edits(term: str) -> int:
    return 1 if len(term) < 8 else 2


_PLAIN_INSERT = re.compile(r"INSERT INTO (\w+) \(([\w, ]+)\) VALUES \([?, ]+\)")


class ReadMemo:
    """What one look-up has read of the index, so that the match decision and the completions shown
    beside it (two searches of the same text) read each statement and each name once. Lives for one
    look-up only: the index may change between look-ups."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, tuple[Any, ...]], list[Any]] = {}
        self.names: dict[int, NameCandidate] = {}


class _Raw:
    """Plain DBAPI access for bulk writes and the per-keystroke reads, where SQLAlchemy's per-row work
    would cost more than the statements themselves. SQL is written with "?" placeholders."""

    def __init__(self, conn: Connection, memo: ReadMemo | None = None) -> None:
        self.memo = memo
        self.cursor = conn.connection.cursor()
        self.mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        self.copy = hasattr(self.cursor, "copy")  # psycopg 3: COPY is several times faster than INSERT

    def _sql(self, sql: str) -> str:
        return sql if self.mark == "?" else sql.replace("?", self.mark)

    def close(self) -> None:
        self.cursor.close()

    def rows(self, sql: str, params: Sequence[Any] = (), remember: bool = True) -> list[Any]:
        """The statement's rows (`remember`: kept in the memo for the look-up's next search)."""
        key = (sql, tuple(params))
        memo = self.memo if remember else None
        if memo is not None and key in memo.rows:
            return list(memo.rows[key])
        self.cursor.execute(self._sql(sql), key[1])
        found = list(self.cursor.fetchall())
        if memo is not None:
            memo.rows[key] = list(found)
        return found

    def many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            plain = _PLAIN_INSERT.fullmatch(sql) if self.copy else None
            if plain:
                with self.cursor.copy(f"COPY {plain[1]} ({plain[2]}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                self.cursor.executemany(self._sql(sql), rows)
        rows.clear()

    @staticmethod
    def marks(n: int) -> str:
        return ",".join("?" * n)


# ------------------------------------------------------------------------------------------- building


def rebuild(conn: Connection, tick: Callable[[str, int, int], None] | None = None) -> None:
    """Rebuild the whole index from entities, names and identifiers (inside the caller's transaction)."""
    for table in (SearchPrefix, SearchDelete, SearchVocab, SearchTerm, SearchName, SearchIdentifier):
        conn.execute(delete(table))
    _build_names(conn, tick)
    _build_identifiers(conn)


def _source_names(conn: Connection) -> Iterator[tuple[str, str, str, str | None, str | None]]:
    """(cluster id, name, kind, the entity's own name, entity id): every entity's name, then its other
    names, entity by entity. Nothing is sorted, so nothing large is held in memory."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute("SELECT cluster_id, name FROM entities")
        for rows in iter(lambda: cursor.fetchmany(BATCH), []):
            for cluster_id, name in rows:
                yield cluster_id, name, "name", None, None
        cursor.execute("SELECT e.cluster_id, n.name, n.type, e.name, n.entity_id FROM names n "
                       "JOIN entities e ON e.id = n.entity_id ORDER BY n.entity_id, n.id")  # in index order
        for rows in iter(lambda: cursor.fetchmany(BATCH), []):
            yield from rows
    finally:
        cursor.close()


class _SortedRuns:
    """Rows gathered into runs that are sorted in memory and written in key order, so that the clustered
    tables are built without staging everything (SQLite may sort in memory: a gigabyte at 3M names)."""

    RUN = 250_000

    def __init__(self, raw: _Raw, insert: str) -> None:
        self.raw, self.insert = raw, insert
        self.rows: list[tuple[Any, ...]] = []

    def add(self, rows: Iterable[tuple[Any, ...]]) -> None:
        self.rows.extend(rows)
        if len(self.rows) >= self.RUN:
            self.flush()

    def flush(self) -> None:
        self.rows.sort()
        self.rows[:] = [row for row, _ in itertools.groupby(self.rows)]  # each key once (variant hashes collide)
        self.raw.many(self.insert, self.rows)


def _build_names(conn: Connection, tick: Callable[[str, int, int], None] | None) -> None:
    raw = _Raw(conn)
    # SQLite builds the secondary indexes faster after the rows are in. On PostgreSQL dropping an index
    # would lock the table against every search until the import commits, so they stay in place.
    ddl = conn.dialect.name == "sqlite"
    if ddl:
        conn.execute(text("DROP INDEX IF EXISTS ix_search_names_norm"))
        conn.execute(text("DROP INDEX IF EXISTS ix_search_names_entity_id"))
    postings = _SortedRuns(raw, "INSERT INTO search_terms (term, nlen, name_id) VALUES (?, ?, ?)")
    variants_of = lru_cache(maxsize=20_000)(name_variants)  # many entities share a name
    next_id = 1
    names: list[tuple[Any, ...]] = []
    singles: set[str] = set()
    current: str | None = None
    seen: set[tuple[str, str]] = set()
    for cluster_id, name, kind, own_name, entity_id in _source_names(conn):
        if entity_id is None:
            seen = set()
        elif entity_id != current:  # an alias that repeats the entity's name adds nothing
            current = entity_id
            seen = {(v.norm, " ".join(v.legal_forms)) for v in variants_of(own_name)} if own_name else set()
        for variant in variants_of(name or ""):
            norm = variant.norm
            forms = " ".join(variant.legal_forms)
            if not norm or (norm, forms) in seen:
                continue
            seen.add((norm, forms))
            names.append((next_id, cluster_id, name, MATCHED_ON.get(kind, "name"), norm, forms))
            nlen = min(len(norm), 32_000)
            terms = index_terms(variant)
            postings.add([(t, nlen, next_id) for t in terms])
            singles.update(t for t in variant.distinctive if FUZZY_MIN <= len(t) <= FUZZY_MAX)
            next_id += 1
        if len(names) >= BATCH:
            raw.many(_INSERT_NAME, names)
            if tick:
                tick("Indexing names", next_id - 1, 0)
    raw.many(_INSERT_NAME, names)
    postings.flush()
    if tick:
        tick("Counting terms", next_id - 1, 0)
    conn.execute(text("INSERT INTO search_vocab (term, df) SELECT term, count(*) FROM search_terms GROUP BY term"))
    if ddl:
        conn.execute(text("CREATE INDEX ix_search_names_norm ON search_names (norm)"))
        conn.execute(text("CREATE INDEX ix_search_names_entity_id ON search_names (entity_id)"))
    if tick:
        tick("Indexing spelling variants", next_id - 1, 0)
    deletes = _SortedRuns(raw, "INSERT INTO search_deletes (variant, term) VALUES (?, ?)")
    for term in singles:
        deletes.add({(variant_key(v), term) for v in deletion_variants(term)})
    deletes.flush()
    _build_prefixes(conn, raw)
    raw.close()


_INSERT_NAME = "INSERT INTO search_names (id, entity_id, name, matched_on, norm, forms) VALUES (?, ?, ?, ?, ?, ?)"


def _build_prefixes(conn: Connection, raw: _Raw) -> None:
    top: dict[str, list[tuple[int, str]]] = {}
    vocab = conn.connection.cursor()
    vocab.execute("SELECT term, df FROM search_vocab ORDER BY term")  # ties kept alike in every database
    for term, df in itertools.chain.from_iterable(iter(lambda: vocab.fetchmany(BATCH), [])):
        for k in range(1, min(PREFIX_TABLE_MAX, len(term)) + 1):
            heap = top.setdefault(term[:k], [])
            if len(heap) < PREFIX_TOP:
                heapq.heappush(heap, (df, term))
            elif df > heap[0][0]:
                heapq.heapreplace(heap, (df, term))
    rows = [(p, rank, term, df)
            for p, heap in top.items()
            for rank, (df, term) in enumerate(sorted(heap, key=lambda x: (-x[0], x[1])))]
    vocab.close()
    raw.many("INSERT INTO search_prefixes (prefix, rank, term, df) VALUES (?, ?, ?, ?)", rows)


def rebuild_identifiers(conn: Connection) -> None:
    """Rebuild the identifier part of the index alone (the names are built aside)."""
    conn.execute(delete(SearchIdentifier))
    _build_identifiers(conn)


def _build_identifiers(conn: Connection) -> None:
    raw = _Raw(conn)
    rows: list[tuple[Any, ...]] = []
    stmt = "INSERT INTO search_identifiers (scheme, value, entity_id, display) VALUES (?, ?, ?, ?)"
    # in a stated order, so that identifiers are numbered alike in every database; an entity's LEI is
    # stored as it is looked up (upper case; the importers check it) by one statement, in the order of
    # the index on values (a server then appends to that index instead of inserting all over it)
    for cluster_id, scheme, value in conn.execute(text(
        "SELECT e.cluster_id, i.scheme, i.value FROM identifiers i JOIN entities e ON e.id = i.entity_id ORDER BY i.id"
    )):
        rows.extend((r["scheme"], r["value"], r["entity_id"], r["display"])
                    for r in _identifier_rows(cluster_id, scheme, value))
        if len(rows) >= BATCH:
            raw.many(stmt, rows)
    raw.many(stmt, rows)
    conn.execute(text(
        "INSERT INTO search_identifiers (scheme, value, entity_id, display) SELECT 'lei', upper(trim(lei)), "
        "cluster_id, lei FROM entities WHERE lei IS NOT NULL AND trim(lei) <> '' ORDER BY upper(trim(lei)), id"))
    for cluster_id, scheme, value in conn.execute(text(
        "SELECT cluster_id, 'domain', website FROM entities WHERE website IS NOT NULL ORDER BY id"
    )):
        rows.extend((r["scheme"], r["value"], r["entity_id"], r["display"])
                    for r in _identifier_rows(cluster_id, scheme, value))
        if len(rows) >= BATCH:
            raw.many(stmt, rows)
    raw.many(stmt, rows)
    raw.close()


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


def needs_rebuild(conn: Connection) -> bool:
    """True when there are entities but no indexed names (a database upgraded from an older schema)."""
    has_names = conn.execute(text("SELECT 1 FROM search_names LIMIT 1")).first() is not None
    return not has_names and conn.execute(text("SELECT 1 FROM entities LIMIT 1")).first() is not None


# ------------------------------------------------------------------------------------------- querying


class NameCandidate(NamedTuple):
    """A name on file as the index gives it (a tuple: thousands are made per keystroke)."""

    name_id: int
    entity_id: str
    name: str
    matched_on: str
    norm: str
    forms: str


MAX_CANDIDATES = 500  # names read for a whole query (`check`)
TYPING_CANDIDATES = 300  # names read per keystroke
SHORT_LIMIT = 60  # names read for a query of one or two characters
EXACT_LIMIT = 30  # names read whose normalized form is the query's
INTERSECT_SCAN = 4_000  # postings scanned when every term of a query is common
PREFIX_SCAN = 2_000  # dictionary entries scanned to complete a prefix of four or more characters
PAIR_SPELLINGS = 3  # close spellings of each word tried in two-word terms


@dataclass
class _Group:
    """Terms that stand for one part of the query (a token with its spellings, or two tokens joined)."""

    terms: dict[str, int]  # term → df, in the order they are read

    @property
    def df(self) -> int:
        return sum(self.terms.values())


def name_candidates(conn: Connection, queries: Sequence[AnalyzedName], prefix_last: bool,
                    memo: ReadMemo | None = None) -> list[NameCandidate]:
    """Names that share a term (or a close spelling, or a completion of the last word) with the query."""
    r = _Raw(conn, memo)
    try:
        ids: dict[int, None] = {}
        for q in queries:
            tokens = list(q.distinctive[:MAX_NAME_TOKENS])
            if not tokens:
                continue
            if len("".join(tokens)) < 3:
                _short_query(r, q, tokens, prefix_last, ids)
            else:
                _norm_lookup(r, q.norm, " ".join(q.legal_forms), EXACT_LIMIT, ids, exact=not prefix_last)
                _term_query(r, tokens, prefix_last, ids, len(q.norm))
        return _fetch_names(r, list(ids))
    finally:
        r.close()


def _short_query(r: _Raw, q: AnalyzedName, tokens: list[str], prefix_last: bool, ids: dict[int, None]) -> None:
    """One or two characters: exact short names, names that start so, and the commonest completions."""
    joined = "".join(tokens)
    _postings(r, [joined], SHORT_LIMIT, ids)
    _norm_lookup(r, q.norm, "", SHORT_LIMIT, ids, exact=False)
    if prefix_last:
        _postings(r, list(_prefix_terms(r, joined)), SHORT_LIMIT, ids)


def _term_query(r: _Raw, tokens: list[str], prefix_last: bool, ids: dict[int, None], length: int) -> None:
    last = len(tokens) - 1
    head = tokens[:6]
    order = [(i, j) for i in range(len(head)) for j in range(len(head))
             if i != j and (abs(i - j) == 1 or len(head) <= 3)]
    exact = _vocab(r, set(tokens) | {head[i] + head[j] for i, j in order})
    # A word that is common as typed is taken as meant; a rare or unknown one may be a typo.
    fuzzy = _fuzzy_terms(r, [t for k, t in enumerate(tokens) if FUZZY_MIN <= len(t) <= FUZZY_MAX
                             and exact.get(t, 0) < FUZZY_UNLESS_DF
                             and not (prefix_last and k == last and len(t) <= FUZZY_MIN)])
    groups: list[_Group] = []
    spellings: list[list[str]] = []
    for k, t in enumerate(tokens):
        # read in this order: the word as typed, its completions (commonest first), then close spellings
        terms: dict[str, int] = {}
        if t in exact:
            terms[t] = exact[t]
        if prefix_last and k == last:
            for term, df in sorted(_prefix_terms(r, t).items(), key=lambda kv: -kv[1]):
                terms.setdefault(term, df)
        close = sorted(fuzzy.get(t, {}).items(), key=lambda kv: -kv[1])
        for term, df in close:
            terms.setdefault(term, df)
        spellings.append([t] + [term for term, _ in close[:PAIR_SPELLINGS]])
        if terms:
            groups.append(_Group(terms))
    # two words joined, also as corrected: "smitth smith" finds the term "smithsmith"
    pair_terms = dict.fromkeys(a + b for i, j in order for a in spellings[i] for b in spellings[j])
    exact.update(_vocab(r, [p for p in pair_terms if p not in exact]))
    for pair in pair_terms:
        if pair in exact:
            groups.append(_Group({pair: exact[pair]}))
    if prefix_last and len(tokens) >= 2:
        completions = _prefix_terms(r, tokens[-2] + tokens[-1])
        if completions:
            groups.append(_Group(completions))
    if not groups:
        return
    groups.sort(key=lambda g: g.df)
    cap = TYPING_CANDIDATES if prefix_last else MAX_CANDIDATES
    budget = cap
    for g in groups:
        if g.df > budget and g is not groups[0]:
            break
        budget -= _postings(r, list(g.terms), budget, ids, length)
        if budget <= 0:
            break
    if not prefix_last and groups[0].df > cap and len(groups) > 1:
        _intersect(r, groups[0], groups[1], ids, cap)


def known_terms(conn: Connection, terms: Iterable[str], memo: ReadMemo | None = None) -> set[str]:
    """The terms that some indexed name holds."""
    r = _Raw(conn, memo)
    try:
        return set(_vocab(r, terms))
    finally:
        r.close()


def term_frequencies(conn: Connection, terms: Iterable[str], memo: ReadMemo | None = None) -> dict[str, int]:
    """How many indexed names hold each term (terms no name holds are left out)."""
    r = _Raw(conn, memo)
    try:
        return _vocab(r, terms)
    finally:
        r.close()


def name_total(conn: Connection, memo: ReadMemo | None = None) -> int:
    """About how many names are indexed: the largest id (ids are given in sequence; duplicates leave gaps)."""
    r = _Raw(conn, memo)  # asked for every name looked up: a plain cursor costs a fraction of a statement object
    try:
        return int(r.rows("SELECT coalesce(max(id), 0) FROM search_names")[0][0])
    finally:
        r.close()


def _vocab(r: _Raw, terms: Iterable[str]) -> dict[str, int]:
    wanted = sorted({t[:MAX_TERM] for t in terms if t})
    if not wanted:
        return {}
    rows = r.rows(f"SELECT term, df FROM search_vocab WHERE term IN ({r.marks(len(wanted))})", wanted)
    return {term: df for term, df in rows}


def _fuzzy_terms(r: _Raw, tokens: list[str]) -> dict[str, dict[str, int]]:
    """For each token, dictionary terms within its edit budget (other than the token itself)."""
    if not tokens:
        return {}
    keys = sorted({variant_key(v) for t in tokens for v in deletion_variants(t)})
    rows = r.rows("SELECT DISTINCT d.term, v.df FROM search_deletes d JOIN search_vocab v ON v.term = d.term "
                  f"WHERE d.variant IN ({r.marks(len(keys))}) ORDER BY d.term", keys)
    out: dict[str, dict[str, int]] = {}
    for t in tokens:
        edits = max_edits(t)
        near = {term: df for term, df in rows
                if term != t and DamerauLevenshtein.distance(t, term, score_cutoff=edits) <= edits}
        if near:
            out[t] = near
    return out


def _prefix_terms(r: _Raw, prefix: str) -> dict[str, int]:
    """The most frequent dictionary terms that start with the prefix."""
    prefix = prefix[:MAX_TERM]
    if len(prefix) <= PREFIX_TABLE_MAX:
        rows = r.rows("SELECT term, df FROM search_prefixes WHERE prefix = ? ORDER BY rank", [prefix])
        return {term: df for term, df in rows}
    rows = r.rows(f"SELECT term, df FROM search_vocab WHERE term >= ? AND term < ? ORDER BY term LIMIT {PREFIX_SCAN}",
                  [prefix, prefix + "\U0010ffff"])
    best = heapq.nlargest(PREFIX_TOP, rows, key=lambda row: (row[1], -len(row[0])))
    return {term: df for term, df in best}


def _postings(r: _Raw, terms: list[str], limit: int, ids: dict[int, None], around: int = 0) -> int:
    """Add names holding each term, up to `limit` in all, those closest in length to `around` first;
    returns how many were new."""
    added = 0
    for term in terms:
        if added >= limit:
            break
        share = limit - added
        if around > 0:  # both sides of the length in one statement (a round trip less to a server)
            both = r.rows("SELECT 0, name_id, nlen FROM (SELECT name_id, nlen FROM search_terms WHERE term = ? "
                          "AND nlen >= ? ORDER BY nlen, name_id LIMIT ?) longer UNION ALL "
                          "SELECT 1, name_id, nlen FROM (SELECT name_id, nlen FROM search_terms WHERE term = ? "
                          "AND nlen < ? ORDER BY nlen DESC, name_id DESC LIMIT ?) shorter",
                          [term, around, share, term, around, share])
            longer = sorted(((row[1], row[2]) for row in both if row[0] == 0), key=lambda row: (row[1], row[0]))
            shorter = sorted(((row[1], row[2]) for row in both if row[0] == 1), key=lambda row: (-row[1], -row[0]))
            if len(longer) >= share // 2:
                rows = sorted(longer + shorter, key=lambda row: abs(row[1] - around))
            else:
                rows = longer + shorter[: share - len(longer)]
        else:
            rows = r.rows("SELECT name_id, nlen FROM search_terms WHERE term = ? AND nlen >= ? "
                          "ORDER BY nlen, name_id LIMIT ?", [term, around, share])
        for name_id, _ in rows[:share]:
            if name_id not in ids:
                ids[name_id] = None
                added += 1
    return added


def _intersect(r: _Raw, first: _Group, second: _Group, ids: dict[int, None], cap: int) -> None:
    """Names holding a term of both groups, scanning a bounded number of postings of the first."""
    a, b = list(first.terms), list(second.terms)
    rows = r.rows(
        f"SELECT x.name_id FROM (SELECT term, nlen, name_id FROM search_terms WHERE term IN ({r.marks(len(a))}) "
        f"ORDER BY term, nlen, name_id LIMIT {INTERSECT_SCAN}) x WHERE EXISTS (SELECT 1 FROM search_terms y "
        f"WHERE y.term IN ({r.marks(len(b))}) AND y.nlen = x.nlen AND y.name_id = x.name_id) "
        f"ORDER BY x.term, x.nlen, x.name_id LIMIT {cap}",
        a + b)
    for (name_id,) in rows:
        ids.setdefault(name_id, None)


def _norm_lookup(r: _Raw, norm: str, forms: str, limit: int, ids: dict[int, None], exact: bool) -> None:
    """Names whose normalized form is the query's (those with the query's legal forms first) or starts with it."""
    if not norm:
        return
    if exact:
        rows = r.rows(f"SELECT id FROM search_names WHERE norm = ? ORDER BY CASE WHEN forms = ? THEN 0 ELSE 1 END, "
                      f"id LIMIT {int(limit)}", [norm, forms])
    else:
        rows = r.rows(f"SELECT id FROM search_names WHERE norm >= ? AND norm < ? ORDER BY norm, id LIMIT {int(limit)}",
                      [norm, norm + "\U0010ffff"])
    for (name_id,) in rows:
        ids.setdefault(name_id, None)


def _fetch_names(r: _Raw, name_ids: list[int]) -> list[NameCandidate]:
    """The names, in the order they were found (best evidence first)."""
    found: dict[int, NameCandidate] = r.memo.names if r.memo is not None else {}
    wanted = [i for i in name_ids if i not in found]
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        sql = ("SELECT id, entity_id, name, matched_on, norm, forms FROM search_names "
               f"WHERE id IN ({r.marks(len(chunk))})")
        found.update((row[0], NameCandidate(*row)) for row in r.rows(sql, chunk, remember=False))  # kept by id
    return [found[i] for i in name_ids if i in found]


def identifier_matches(conn: Connection, scheme: str | None, values: list[str]) -> list[tuple[str, str, str, str]]:
    """(entity id, scheme, value, display) for exact identifier lookups, in the order of `values`."""
    out: list[tuple[str, str, str, str]] = []
    for value in values:
        q = "SELECT entity_id, scheme, value, display FROM search_identifiers WHERE value = :v"
        params: dict[str, Any] = {"v": value}
        if scheme:
            q += " AND scheme = :s"
            params["s"] = scheme
        q += " ORDER BY id"
        out.extend(tuple(r) for r in conn.execute(text(q), params).all())
    return out
