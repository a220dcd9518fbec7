"""Search and check: what the salesperson typed → ranked entities with their stored statuses, and the
match decision of `domain.matching` (the same for the window, `check` and `batch`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import Connection

from desktop_app.domain import matching
from desktop_app.domain.determination import default_determination
from desktop_app.domain.identifiers import registrable_domain
from desktop_app.domain.matching import (
    ALTERNATIVE_FLOOR,
    FORMER_NAME_COST,
    MATCH_MARGIN,
    MATCH_THRESHOLD,
    Decision,
    GroupNote,
    Rarity,
    Scored,
    name_score,
)
from desktop_app.domain.model import Entity
from desktop_app.domain.names import (
    AnalyzedName,
    correct_weak_typos,
    name_variants,
    weak_typo_candidates,
)
from desktop_app.domain.query import ClassifiedQuery, classify
from desktop_app.services.context import AppContext
from desktop_app.services.determinations import ensure_current
from desktop_app.store import queries, search_index

__all__ = ["ALTERNATIVE_FLOOR", "FORMER_NAME_COST", "MATCH_MARGIN", "MATCH_THRESHOLD", "CheckOutcome", "SearchHit",
           "SearchResult", "check", "check_many", "find", "name_score", "pick_match", "search"]


@dataclass(frozen=True)
class SearchHit:
    entity_id: str
    name: str  # the entity's primary name
    country: str | None
    status: str
    restricted_min: float
    restricted_max: float
    score: float
    matched_on: str  # name, alias, local name, domain, lei …
    matched_text: str  # the name or identifier that matched
    shares: bool = True  # shares a distinctive word or an identifier with the query
    kind: str = "company"  # company, person, state_body, fund, other


@dataclass(frozen=True)
class SearchResult:
    query: ClassifiedQuery
    hits: tuple[SearchHit, ...]
    decision: Decision | None = None  # set by `find` and `check`: which hit (if any) is the match

    @property
    def match(self) -> SearchHit | None:
        if self.decision is None or self.decision.match is None:
            return None
        return next((h for h in self.hits if h.entity_id == self.decision.match), None)

    def is_possible(self, hit: SearchHit) -> bool:
        """A hit shown for checking only: not the match."""
        return self.decision is not None and hit.entity_id != self.decision.match


@dataclass(frozen=True)
class CheckOutcome:
    query: str
    match: SearchHit | None
    alternatives: tuple[SearchHit, ...]  # possible matches to check, at most five
    group: GroupNote | None = field(default=None)


def query_variants(conn: Connection | None, text: str, memo: search_index.ReadMemo | None = None
                   ) -> list[AnalyzedName]:
    """What was typed, in comparable form(s): misspelt weak words read as meant, numbers also in their
    other spellings ("44" / "forty four", "3" / "iii") and common transliteration variants folded."""
    variants = name_variants(text)[:2]
    if conn is not None:
        suspects = set().union(*(weak_typo_candidates(v) for v in variants))
        unknown = suspects - search_index.known_terms(conn, suspects, memo) if suspects else set()
        if unknown:
            variants = [correct_weak_typos(v, unknown) for v in variants]
    return variants


def rarity(conn: Connection, variants: list[AnalyzedName], memo: search_index.ReadMemo | None = None) -> Rarity:
    """How rare the query's words are among the names on file."""
    words: set[str] = set()
    for v in variants:
        q = matching.prepare(v)
        words.update(q.distinctive)
        words.update(matching.brand_terms(q))
    return Rarity(search_index.term_frequencies(conn, words, memo), search_index.name_total(conn, memo))


def _name_hits(conn: Connection, text: str, prefix: bool, limit: int,
               memo: search_index.ReadMemo | None = None, completing: bool = False) -> list[Scored]:
    """Names scored for the text; `completing`: only names the text may be the start of (the completions
    shown beside a decision, which has scored the others)."""
    variants = query_variants(conn, text, memo)
    finding = list(variants)
    syllables = None if prefix else matching.syllable_variant(variants[0])  # "Zhong Xing" / "Zhongxing": 中兴
    if syllables is not None:
        variants.append(syllables)
        if len(syllables.tokens) > len(variants[0].tokens) + 1:  # words of three syllables or more
            finding.append(syllables)  # are found by their syllables, as names so written are indexed
    # other spellings (numbers, transliteration) find names; the scorer reads them in one spelling
    spellings = [v for v in matching.spelling_variants(variants[0]) if v.tokens not in {x.tokens for x in variants}]
    cands = search_index.name_candidates(conn, finding + spellings[:2], prefix, memo)
    if completing:
        cands = matching.completing(variants[0], cands)
    best = matching.score_candidates(variants, cands, prefix, rarity(conn, variants, memo),
                                       literal=matching.acronyms(text), typed=text,
                                       rerank=matching.COMPLETION_RERANK if completing else matching.RERANK)
    ranked = sorted(best.values(), key=lambda s: (-s.score, s.entity_id))
    places = matching.prepare(variants[0]).place_countries
    if places and ranked:
        top = ranked[: limit * 2]
        countries = {k: e.origin_country for k, e in queries.merged_entities(conn, [s.entity_id for s in top]).items()}
        ranked = sorted(matching.narrow_by_place({s.entity_id: s for s in top}, countries, places).values(),
                        key=lambda s: (-s.score, s.entity_id))
    return [Scored(s.entity_id, matching.shown_score(s.score), s.matched_on, s.matched_text, s.shares)
            for s in ranked[:limit]]


_checked_stores: set[int] = set()


def _ensure_index(ctx: AppContext) -> None:
    """Build the index once for a database upgraded from a schema whose index it cannot use."""
    if id(ctx.store) in _checked_stores:
        return
    with ctx.store.read() as conn:
        stale = search_index.needs_rebuild(conn)
    if stale:
        with ctx.store.write("build the search index", exclusive=True) as conn:
            search_index.rebuild(conn)
    _checked_stores.add(id(ctx.store))


def _ranked(conn: Connection, q: ClassifiedQuery, limit: int, prefix: bool,
            memo: search_index.ReadMemo | None = None, completing: bool = False) -> list[Scored]:
    found: list[Scored] = []
    if q.kind in ("email", "domain"):
        for depth, host in enumerate(q.hosts):
            rows = search_index.identifier_matches(conn, "domain", [host])
            found.extend(Scored(r[0], 100.0 - 2 * depth, "domain", r[2]) for r in rows)
            if rows:
                break
    elif q.kind in ("lei", "identifier") and q.identifier:
        rows = search_index.identifier_matches(conn, None, [q.identifier])
        found.extend(Scored(r[0], 100.0, r[1], r[3]) for r in rows)
    if not found or q.kind in ("identifier", "name"):
        text = q.text
        if q.kind in ("email", "domain") and q.hosts:
            # "gazprom.ru" not on file as a domain still finds the name "Gazprom"
            text = (registrable_domain(q.hosts[0]) or q.hosts[-1]).split(".")[0]
        found.extend(_name_hits(conn, text, prefix and q.kind == "name", limit * 2, memo, completing))
        if q.kind == "domain" and text != q.text:  # a name written like a domain: "01.AI", "My.Com"
            found.extend(_name_hits(conn, q.text, False, limit * 2, memo))
    seen: dict[str, Scored] = {}
    for hit in found:
        if hit.entity_id not in seen or hit.score > seen[hit.entity_id].score:
            seen[hit.entity_id] = hit
    return sorted(seen.values(), key=lambda h: -h.score)[:limit]  # stable: ties keep the finer name order


def _hits(conn: Connection, ctx: AppContext, ranked: list[Scored]) -> tuple[SearchHit, ...]:
    ids = [h.entity_id for h in ranked]
    entities = queries.merged_entities(conn, ids)
    statuses = queries.stored_statuses(conn, ctx.policy.sha256, ids, default_determination(ctx.policy))
    return _hits_of(ranked, entities, statuses)


def _hits_of(ranked: list[Scored], entities: Mapping[str, Entity],
             statuses: Mapping[str, tuple[str, float, float]]) -> tuple[SearchHit, ...]:
    hits = []
    for s in ranked:
        e = entities.get(s.entity_id)
        if e is None:
            continue
        status, lo, hi = statuses[s.entity_id]
        hits.append(SearchHit(s.entity_id, e.name, e.origin_country, status, lo, hi, s.score, s.matched_on,
                              s.matched_text, s.shares, e.kind))
    return tuple(hits)


def search(ctx: AppContext, raw: str, limit: int = 20, prefix: bool = True) -> SearchResult:
    """Ranked entities for what was typed, without a decision (the CLI's `search`); never raises."""
    q = classify(raw)
    if q.kind == "empty":
        return SearchResult(q, ())
    _ensure_index(ctx)
    with ctx.store.read() as conn:
        return SearchResult(q, _hits(conn, ctx, _ranked(conn, q, limit, prefix)))


def _decided(ctx: AppContext, raw: str) -> tuple[SearchResult, list[Scored]]:
    q = classify(raw)
    if q.kind == "empty":
        return SearchResult(q, (), Decision(None, ())), []
    _ensure_index(ctx)
    with ctx.store.read() as conn:
        decision, shown, ranked = _decision(conn, q)
        return SearchResult(q, _hits(conn, ctx, shown), decision), ranked


def _decision(conn: Connection, q: ClassifiedQuery, memo: search_index.ReadMemo | None = None
              ) -> tuple[Decision, list[Scored], list[Scored]]:
    """The one decision on a classified query: (decision, the hits to show, match first, all ranked)."""
    ranked = _ranked(conn, q, 10, prefix=False, memo=memo)
    known: dict[str, set[str]] = {}

    def ancestors_of(entity_id: str) -> set[str]:
        if not known and ranked:  # the group rule reads the owners of hits tied at the top or above the threshold
            floor = min(ranked[0].score - MATCH_MARGIN, MATCH_THRESHOLD)
            known.update(queries.ancestor_map(conn, [s.entity_id for s in ranked if s.score >= floor]))
        if entity_id not in known:
            known[entity_id] = queries.ancestor_ids(conn, entity_id)
        return known[entity_id]

    decision = matching.decide(ranked, ancestors_of)
    keep = {decision.match, *decision.possible}
    shown = [s for s in ranked if s.entity_id in keep]
    if decision.match is not None and all(s.entity_id != decision.match for s in shown):
        shown.insert(0, next(s for s in ranked if s.entity_id == decision.match))
    shown.sort(key=lambda s: s.entity_id != decision.match)  # the match first, then the possible ones
    return decision, shown, ranked


def pick_match(hits: tuple[SearchHit, ...]) -> tuple[SearchHit | None, tuple[SearchHit, ...]]:
    """The match rule of the one decision applied to hits already found (a list screened by country)."""
    decision = matching.decide([Scored(h.entity_id, h.score, h.matched_on, h.matched_text, h.shares) for h in hits])
    match = next((h for h in hits if h.entity_id == decision.match), None)
    return match, tuple(h for h in hits if h.entity_id in decision.possible)


def check(ctx: AppContext, raw: str, fresh: bool = True) -> CheckOutcome:
    """The one decision for what was typed: the match (or none) and the possible matches to check;
    `fresh=False` when the caller has just made sure the stored statuses are current (a list screened
    in one go)."""
    if fresh:
        ensure_current(ctx)
    result, _ = _decided(ctx, raw)
    match = result.match
    return CheckOutcome(raw, match, tuple(h for h in result.hits if h is not match),
                        result.decision.group if result.decision else None)


def check_many(ctx: AppContext, raws: Iterable[str]) -> dict[str, CheckOutcome]:
    """`check(ctx, raw, fresh=False)` for each of `raws` (a list screened in chunks), in one read of the
    database: the entities and stored statuses of all the hits are read together, not per query."""
    _ensure_index(ctx)
    decided: dict[str, tuple[ClassifiedQuery, Decision, list[Scored]]] = {}
    with ctx.store.read() as conn:
        for raw in dict.fromkeys(raws):
            q = classify(raw)
            if q.kind == "empty":
                decided[raw] = (q, Decision(None, ()), [])
            else:
                decision, shown, _ = _decision(conn, q)
                decided[raw] = (q, decision, shown)
        ids = list(dict.fromkeys(s.entity_id for _, _, shown in decided.values() for s in shown))
        entities = queries.merged_entities(conn, ids)
        statuses = queries.stored_statuses(conn, ctx.policy.sha256, ids, default_determination(ctx.policy))
    out = {}
    for raw, (q, decision, shown) in decided.items():
        result = SearchResult(q, _hits_of(shown, entities, statuses), decision)
        match = result.match
        out[raw] = CheckOutcome(raw, match, tuple(h for h in result.hits if h is not match), decision.group)
    return out


def find(ctx: AppContext, raw: str, limit: int = matching.POSSIBLE_MAX) -> SearchResult:
    """What the window shows for the text typed so far: `check`'s decision, then, when nothing matches,
    names the last word may be the start of ("Tenc" → Tencent …) as possible matches, at most `limit`
    possible matches in all. Both searches read the index in one go: what the first read, the second
    does not read again."""
    q = classify(raw)
    if q.kind == "empty":
        return SearchResult(q, (), Decision(None, ()))
    _ensure_index(ctx)
    memo = search_index.ReadMemo()
    with ctx.store.read() as conn:
        decision, shown, _ = _decision(conn, q, memo)
        if decision.match is not None or q.kind != "name" or len(shown) >= limit:
            return SearchResult(q, _hits(conn, ctx, shown), decision)  # a match, or as many possible ones as shown
        seen = {s.entity_id for s in shown}
        more = [s for s in _ranked(conn, q, limit * 2, prefix=True, memo=memo, completing=True)
                if s.entity_id not in seen and matching.is_possible(s)]
        hits = _hits(conn, ctx, shown + more)
    # an entity read no more (removed meanwhile) leaves no gap: the first `limit` that are on file
    hits = hits[:limit]
    return SearchResult(q, hits, Decision(None, tuple(h.entity_id for h in hits), decision.group))
