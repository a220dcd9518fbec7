"""Search and check: what the salesperson typed → ranked entities with their stored statuses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlalchemy import Connection

from desktop_app.domain.determination import default_determination
from desktop_app.domain.identifiers import registrable_domain
from desktop_app.domain.names import (
    WEAK_WORDS,
    AnalyzedName,
    correct_weak_typos,
    name_variants,
    weak_typo_candidates,
)
from desktop_app.domain.query import ClassifiedQuery, classify
from desktop_app.services.context import AppContext
from desktop_app.services.determinations import ensure_current
from desktop_app.store import queries, search_index

# Tuned on tests/search/eval_queries.csv: below 82 look-alikes ("Gazprom Media", "Apple Bank") would be
# taken as matches; 86 keeps a margin of safety, since a wrong match is worse than no match.
MATCH_THRESHOLD = 86.0  # score the best candidate must reach to be the match
MATCH_MARGIN = 3.0  # lead it must have over a different entity (a legal form makes 3 to 6 points)


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
    kind: str = "company"  # company, person, state_body, fund, other


@dataclass(frozen=True)
class SearchResult:
    query: ClassifiedQuery
    hits: tuple[SearchHit, ...]


FORMER_NAME_COST = 3.0  # a name no longer used is weaker evidence: "Yandex" is MKPAO Yandex, not Nebius
RERANK = 200  # candidates scored in full; the rest are first sifted by vectorised rapidfuzz
_FORM_CANON = {"limited": "ltd", "corporation": "corp", "incorporated": "inc", "company": "co",
               "private": "pte", "pvt": "pte"}


def _complete(q: list[str], c: list[str]) -> list[str]:
    """The query with its last, partly typed word completed from the candidate's words."""
    last = q[-1]
    if last in c:
        return q
    taken = set(q[:-1])
    for word in c:
        if word.startswith(last) and word not in taken:
            return [*q[:-1], word]
    return q


def name_score(query: AnalyzedName, candidate_norm: str, prefix: bool = False) -> float:
    """0–100: how alike two names are. Distinctive words decide; weak words and legal forms only nudge.

    Spacing does not matter ("byte dance" ≈ "bytedance"), nor word order; a name that holds the
    query's words and more scores lower the more it adds ("tencent" → "Tencent Music": 82).
    """
    c_all = candidate_norm.split()
    if not query.tokens or not c_all:
        return 0.0
    qd = list(query.distinctive)
    cd = [t for t in c_all if t not in WEAK_WORDS] or c_all
    q_all = list(query.tokens)
    if prefix:
        qd = _complete(qd, cd)
        q_all = _complete(q_all, c_all)
    qs, cs = " ".join(qd), " ".join(cd)
    qj, cj = qs.replace(" ", ""), cs.replace(" ", "")
    d = max(fuzz.ratio(qj, cj), fuzz.token_sort_ratio(qs, cs))
    if len(qd) > 1 or len(cd) > 1:
        # A candidate that lacks words the user typed is further off than one that adds words.
        cover = min(len(qj), len(cj)) / max(len(qj), len(cj))
        floor = 0.6 if len(qj) > len(cj) else 0.75
        d = max(d, fuzz.token_set_ratio(qs, cs) * (floor + (1.0 - floor) * cover))
    if prefix and len(qj) >= 2 and cj.startswith(qj):
        d = max(d, 90.0 + 10.0 * len(qj) / len(cj))
    q_full = " ".join(q_all)
    return 0.9 * d + 0.1 * max(fuzz.ratio(q_full, candidate_norm), fuzz.token_sort_ratio(q_full, candidate_norm))


def _forms(tokens: Iterable[str]) -> set[str]:
    return {_FORM_CANON.get(t, t) for t in tokens}


def form_adjustment(query_forms: set[str], candidate_forms: str) -> float:
    """Legal forms never make a match, but they tell apart entities whose names are otherwise equal:
    a form the user typed that the name lacks costs 5 points, a form the name adds costs 3, and a name
    written without any form (a brand or alias) costs 6 when the user typed one ("tiktok pte" is
    TikTok Pte. Ltd. rather than the brand "TikTok" of TikTok Ltd.)."""
    cf = _forms(candidate_forms.split())
    if not query_forms:
        return -0.3 if cf else 0.0  # "ByteDance" is closer to the alias "ByteDance" than to "Bytedance K.K."
    if not cf:
        return -6.0
    return -5.0 * min(2, len(query_forms - cf)) - 3.0 * min(2, len(cf - query_forms))


def _sift(q: AnalyzedName, cands: list[search_index.NameCandidate], prefix: bool
          ) -> list[search_index.NameCandidate]:
    """The candidates worth scoring in full: those found first (the query's own normalized name, the
    rarest terms), and the best by cheap vectorised rapidfuzz scores on distinctive words, on the
    words joined, and on all words in any order."""
    if len(cands) <= RERANK:
        return cands
    qs = " ".join(q.distinctive)
    qj = qs.replace(" ", "")
    spaced = [" ".join(t for t in c.norm.split() if t not in WEAK_WORDS) or c.norm for c in cands]
    joined = [s.replace(" ", "") for s in spaced]
    part = RERANK // 4
    keep = set(range(part))
    keep |= {i for _, _, i in process.extract(qs, spaced, scorer=fuzz.token_set_ratio, limit=part)}
    keep |= {i for _, _, i in process.extract(qj, joined, scorer=fuzz.ratio, limit=part)}
    keep |= {i for _, _, i in process.extract(q.norm, [c.norm for c in cands], scorer=fuzz.token_sort_ratio,
                                              limit=part)}
    if prefix:
        keep |= {i for i, j in enumerate(joined) if j.startswith(qj)}
    return [cands[i] for i in sorted(keep)]


def query_variants(conn: Connection | None, text: str) -> list[AnalyzedName]:
    """What was typed, in comparable form(s), with misspelt weak words read as meant."""
    variants = name_variants(text)[:2]
    if conn is None:
        return variants
    suspects = set().union(*(weak_typo_candidates(v) for v in variants))
    if not suspects:
        return variants
    unknown = suspects - search_index.known_terms(conn, suspects)
    return [correct_weak_typos(v, unknown) for v in variants] if unknown else variants


def score_candidates(variants: list[AnalyzedName], cands: list[search_index.NameCandidate], prefix: bool,
                     sift: bool = True) -> dict[str, tuple[float, str, str]]:
    """Each candidate entity's best (score, matched on, matched name) for the query's comparable forms."""
    q_forms = _forms(variants[0].legal_forms)
    best: dict[str, tuple[float, str, str]] = {}
    for q in variants:
        for c in (_sift(q, cands, prefix) if sift else cands):
            score = name_score(q, c.norm, prefix) + form_adjustment(q_forms, c.forms)
            if c.matched_on == "name":
                score += 0.05  # the primary name wins ties with an alias
            elif c.matched_on == "former name":
                score -= FORMER_NAME_COST
            prev = best.get(c.entity_id)
            if prev is None or score > prev[0]:
                best[c.entity_id] = (score, c.matched_on, c.name)
    return best


def _name_hits(conn: Connection, text: str, prefix: bool, limit: int) -> list[tuple[str, float, str, str]]:
    variants = query_variants(conn, text)
    cands = search_index.name_candidates(conn, variants, prefix)
    best = score_candidates(variants, cands, prefix)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))[:limit]
    return [(eid, max(0.0, min(100.0, round(s, 1))), on, name) for eid, (s, on, name) in ranked]


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


def search(ctx: AppContext, raw: str, limit: int = 20, prefix: bool = True) -> SearchResult:
    """Ranked entities for what was typed; never raises for any text."""
    q = classify(raw)
    if q.kind == "empty":
        return SearchResult(q, ())
    _ensure_index(ctx)
    found: list[tuple[str, float, str, str]] = []
    with ctx.store.read() as conn:
        if q.kind in ("email", "domain"):
            for depth, host in enumerate(q.hosts):
                rows = search_index.identifier_matches(conn, "domain", [host])
                found.extend((r[0], 100.0 - 2 * depth, "domain", r[2]) for r in rows)
                if rows:
                    break
        elif q.kind in ("lei", "identifier") and q.identifier:
            rows = search_index.identifier_matches(conn, None, [q.identifier])
            found.extend((r[0], 100.0, r[1], r[3]) for r in rows)
        if not found or q.kind in ("identifier", "name"):
            text = q.text
            if q.kind in ("email", "domain") and q.hosts:
                # "gazprom.ru" not on file as a domain still finds the name "Gazprom"
                text = (registrable_domain(q.hosts[0]) or q.hosts[-1]).split(".")[0]
            found.extend(_name_hits(conn, text, prefix and q.kind == "name", limit * 2))
        seen: dict[str, tuple[str, float, str, str]] = {}
        for hit in found:
            if hit[0] not in seen or hit[1] > seen[hit[0]][1]:
                seen[hit[0]] = hit
        ranked = sorted(seen.values(), key=lambda h: -h[1])[:limit]  # stable: ties keep the finer name order
        ids = [h[0] for h in ranked]
        entities = queries.merged_entities(conn, ids)
        statuses = queries.stored_statuses(conn, ctx.policy.sha256, ids, default_determination(ctx.policy))
    hits = []
    for entity_id, score, on, text in ranked:
        e = entities.get(entity_id)
        if e is None:
            continue
        status, lo, hi = statuses[entity_id]
        hits.append(SearchHit(entity_id, e.name, e.origin_country, status, lo, hi, score, on, text, e.kind))
    return SearchResult(q, tuple(hits))


@dataclass(frozen=True)
class CheckOutcome:
    query: str
    match: SearchHit | None
    alternatives: tuple[SearchHit, ...]


def pick_match(hits: tuple[SearchHit, ...]) -> tuple[SearchHit | None, tuple[SearchHit, ...]]:
    """The best hit if it reaches the threshold and clearly leads every different entity."""
    if not hits:
        return None, ()
    best = hits[0]
    runner = hits[1] if len(hits) > 1 else None
    exact = ("domain", "lei", "registration")
    clear = runner is None or best.score - runner.score >= MATCH_MARGIN or (
        best.matched_on in exact and runner.matched_on not in exact)
    if best.score >= MATCH_THRESHOLD and clear:
        return best, hits[1:6]
    return None, hits[:5]


ALTERNATIVE_FLOOR = 60.0  # candidates scoring lower are not worth showing as possible matches


def group_parent(ctx: AppContext, hits: tuple[SearchHit, ...]) -> SearchHit | None:
    """Among hits tied at the top, the one that owns most of the others, if they form one ownership family.

    A domain, brand or short name is often shared by a group's companies ("tiktok.com", "Temu"):
    the group's parent among them is what the query names.
    """
    if len(hits) < 2 or hits[0].score < MATCH_THRESHOLD:
        return None
    tied = [h for h in hits if hits[0].score - h.score < MATCH_MARGIN]
    if len(tied) < 2:
        return None
    with ctx.store.read() as conn:
        ancestors = {h.entity_id: queries.ancestor_ids(conn, h.entity_id) for h in tied}
    owns = {h.entity_id: sum(h.entity_id in ancestors[o.entity_id] for o in tied if o is not h) for h in tied}
    ranked = sorted(tied, key=lambda h: -owns[h.entity_id])
    top, second = ranked[0], ranked[1]
    if owns[top.entity_id] == 0 or owns[top.entity_id] == owns[second.entity_id]:
        return None
    family = ancestors[top.entity_id] | {top.entity_id}
    if all(family & (ancestors[h.entity_id] | {h.entity_id}) for h in tied):
        return top
    return None


def check(ctx: AppContext, raw: str, fresh: bool = True) -> CheckOutcome:
    """The match for what was typed, if any, and the close candidates; `fresh=False` when the caller has
    just made sure the stored statuses are current (a list screened in one go)."""
    if fresh:
        ensure_current(ctx)
    result = search(ctx, raw, limit=10, prefix=False)
    match, alternatives = pick_match(result.hits)
    if match is None:
        parent = group_parent(ctx, result.hits)
        if parent is not None:
            match, alternatives = parent, tuple(h for h in result.hits if h is not parent)[:5]
    alternatives = tuple(a for a in alternatives if a.score >= ALTERNATIVE_FLOOR)
    return CheckOutcome(raw, match, alternatives)
