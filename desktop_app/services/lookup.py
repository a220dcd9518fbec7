"""Search and check: what the salesperson typed → ranked entities with their stored statuses."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from sqlalchemy import Connection

from desktop_app.domain.names import distinctive_tokens, legal_form_tokens, name_tokens
from desktop_app.domain.query import ClassifiedQuery, classify
from desktop_app.services.context import AppContext
from desktop_app.services.determinations import ensure_current
from desktop_app.store import queries, search_index

MATCH_THRESHOLD = 88.0  # score a best candidate must reach to be taken as the match
MATCH_MARGIN = 4.0  # lead it must have over a different entity


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


@dataclass(frozen=True)
class SearchResult:
    query: ClassifiedQuery
    hits: tuple[SearchHit, ...]


def name_score(query_norm: str, candidate_norm: str, query_tokens: list[str], candidate_tokens: list[str],
               prefix: bool = False) -> float:
    """0–100: how alike two normalized names are; weak words alone never make them alike."""
    if not query_norm or not candidate_norm:
        return 0.0
    full = max(fuzz.ratio(query_norm, candidate_norm),
               fuzz.ratio(query_norm.replace(" ", ""), candidate_norm.replace(" ", "")),
               fuzz.token_sort_ratio(query_norm, candidate_norm))
    if prefix and len(query_norm) >= 2 and candidate_norm.startswith(query_norm):
        full = max(full, 75.0 + 25.0 * len(query_norm) / len(candidate_norm))
    qd, cd = distinctive_tokens(query_tokens), distinctive_tokens(candidate_tokens)
    if qd and cd:
        d = max(fuzz.ratio(" ".join(qd), " ".join(cd)), fuzz.ratio("".join(qd), "".join(cd)),
                fuzz.token_set_ratio(" ".join(qd), " ".join(cd)) - 5)
        if prefix and " ".join(cd).startswith(" ".join(qd)) and len(" ".join(qd)) >= 2:
            d = max(d, full)
        return round(0.8 * d + 0.2 * full, 1)
    return round(full, 1)


def _name_hits(conn: Connection, text: str, prefix: bool, limit: int) -> list[tuple[str, float, str, str]]:
    q_tokens = name_tokens(text)
    q_norm = " ".join(q_tokens)
    best: dict[str, tuple[float, str, str]] = {}
    for c in search_index.name_candidates(conn, q_tokens, prefix):
        c_tokens = c.norm.split()
        score = name_score(q_norm, c.norm, q_tokens, c_tokens, prefix)
        if c.matched_on == "name":
            score += 0.05  # the primary name wins ties with an alias
        prev = best.get(c.entity_id)
        if prev is None or score > prev[0]:
            best[c.entity_id] = (score, c.matched_on, c.name)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))
    q_forms = set(legal_form_tokens(text))
    if q_forms and ranked:
        # Legal forms never make a match, but they tell apart entities whose names are otherwise equal.
        top = ranked[:30]
        adjusted = []
        for eid, (score, on, name) in top:
            c_forms = set(legal_form_tokens(name))
            penalty = 6.0 * len(q_forms - c_forms) + 4.0 * len(c_forms - q_forms)
            adjusted.append((eid, (max(0.0, score - penalty), on, name)))
        ranked = sorted(adjusted, key=lambda kv: (-kv[1][0], kv[0])) + ranked[30:]
    ranked = ranked[:limit]
    return [(eid, min(100.0, round(s, 1)), on, name) for eid, (s, on, name) in ranked]


def search(ctx: AppContext, raw: str, limit: int = 20, prefix: bool = True) -> SearchResult:
    """Ranked entities for what was typed; never raises for any text."""
    q = classify(raw)
    found: list[tuple[str, float, str, str]] = []
    with ctx.store.engine.connect() as conn:
        if q.kind in ("email", "domain"):
            for depth, host in enumerate(q.hosts):
                rows = search_index.identifier_matches(conn, "domain", [host])
                found.extend((r[0], 100.0 - 2 * depth, "domain", r[2]) for r in rows)
                if rows:
                    break
        elif q.kind in ("lei", "identifier") and q.identifier:
            rows = search_index.identifier_matches(conn, None, [q.identifier])
            found.extend((r[0], 100.0, r[1], r[3]) for r in rows)
        if q.kind not in ("empty",) and (not found or q.kind in ("identifier", "name")):
            text = q.text
            if q.kind in ("email", "domain") and q.hosts:
                text = q.hosts[-1].split(".")[0]  # "tiktok.com" also searches the name "tiktok"
            found.extend(_name_hits(conn, text, prefix, limit * 2))
        seen: dict[str, tuple[str, float, str, str]] = {}
        for hit in found:
            if hit[0] not in seen or hit[1] > seen[hit[0]][1]:
                seen[hit[0]] = hit
        ranked = sorted(seen.values(), key=lambda h: (-h[1], h[0]))[:limit]
        ids = [h[0] for h in ranked]
        entities = queries.merged_entities(conn, ids)
        statuses = queries.stored_statuses(conn, ctx.policy.sha256, ids)
    hits = []
    for entity_id, score, on, text in ranked:
        e = entities.get(entity_id)
        if e is None:
            continue
        status, lo, hi = statuses.get(entity_id, ("eligible", 0.0, 0.0))
        hits.append(SearchHit(entity_id, e.name, e.origin_country, status, lo, hi, score, on, text))
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
    clear = runner is None or best.score - runner.score >= MATCH_MARGIN or (
        best.matched_on in ("domain", "lei", "registration") and runner.matched_on not in ("domain", "lei", "registration"))
    if best.score >= MATCH_THRESHOLD and clear:
        return best, hits[1:6]
    return None, hits[:5]


def check(ctx: AppContext, raw: str) -> CheckOutcome:
    ensure_current(ctx)
    result = search(ctx, raw, limit=10, prefix=False)
    match, alternatives = pick_match(result.hits)
    return CheckOutcome(raw, match, alternatives)
