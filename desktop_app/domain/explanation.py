"""Explains one entity's determination: rules that fired, evidence chain, sources, plain-language rationale."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from desktop_app.domain.countries import country_name
from desktop_app.domain.determination import (
    Bounds,
    Evaluator,
    Origin,
    OwnerEdge,
    OwnershipGraph,
    compute_bounds,
    status_of,
)
from desktop_app.domain.model import Entity, Relationship, Status
from desktop_app.domain.policy import Policy, format_percent
from desktop_app.domain.register import entity_sentences, relation_of, relationship_sentence

RULE_TITLES: dict[str, str] = {
    "restricted-origin": "Headquartered in a restricted jurisdiction",
    "majority-owned": "Owned beyond the threshold by restricted parties, directly or indirectly",
    "controlled": "Controlled by a restricted party",
    "review-band": "Restricted ownership within the review band",
    "unresolved": "The data cannot rule out ownership beyond the threshold",
    "person-review": "Significant holding by a person resident in a restricted jurisdiction",
    "uncertain-origin": "Headquartered in a jurisdiction the policy treats as uncertain",
    "unknown-ownership": "Ownership not established: eligible needs positive evidence",
    "below-threshold": "Restricted ownership at or below the threshold",
}

MAX_CHAIN_NODES = 400
MAX_PATHS = 25
PATH_STEPS = 20_000  # paths explored for the evidence list


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    clause: str | None


@dataclass(frozen=True)
class ChainOwner:
    entity_id: str
    kind: str
    share_min: float | None
    share_max: float | None
    source_id: str | None
    note: str | None


@dataclass(frozen=True)
class ChainNode:
    entity_id: str
    name: str
    kind: str
    hq_country: str | None
    incorporation_country: str | None
    status: Status
    restricted_min: float
    restricted_max: float
    owners: tuple[ChainOwner, ...]
    source_id: str | None
    depth: int


@dataclass(frozen=True)
class PathHop:
    entity_id: str
    name: str
    share_min: float
    share_max: float
    status: Status
    control: bool = False  # held by control alone, not by shares: reads "controls", never "0%"


@dataclass(frozen=True)
class EvidencePath:
    """From the entity up to an ultimate owner; the effective share multiplies along the way."""

    hops: tuple[PathHop, ...]
    effective_min: float
    effective_max: float


@dataclass(frozen=True)
class Explanation:
    entity_id: str
    status: Status
    restricted_min: float
    restricted_max: float
    rules: tuple[Rule, ...]
    rationale: str
    steps: tuple[str, ...]
    chain: tuple[ChainNode, ...]
    paths: tuple[EvidencePath, ...]
    source_ids: tuple[str, ...]
    policy_id: str
    policy_sha256: str
    as_of: date
    truncated: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)
    # What a salesperson must find out before a review can be settled, in plain words.
    to_find_out: tuple[str, ...] = field(default_factory=tuple)


def _pct(x: float) -> str:
    return format_percent(x)


def _interval(lo: float, hi: float) -> str:
    return _pct(lo) if abs(hi - lo) < 1e-9 else f"{_pct(lo).rstrip('%')}–{_pct(hi)}"


class _Writer:
    """Builds the sentences of a rationale for one target, visiting each entity once."""

    def __init__(
        self,
        entities: Mapping[str, Entity],
        graph: OwnershipGraph,
        values: Mapping[str, Bounds],
        policy: Policy,
        clause_refs: Mapping[str, str],
    ) -> None:
        self.entities = entities
        self.graph = graph
        self.values = values
        self.policy = policy
        self.ev = Evaluator(graph, policy)
        self.refs = clause_refs
        self.steps: list[str] = []
        self.fired: list[str] = []
        self.seen: set[str] = set()
        self.to_find_out: list[str] = []

    def find_out(self, what: str) -> None:
        if what not in self.to_find_out:
            self.to_find_out.append(what)

    def ref(self, rule: str) -> str:
        if rule not in self.fired:
            self.fired.append(rule)
        return f" [{self.refs[rule]}]" if rule in self.refs else ""

    def name(self, entity_id: str) -> str:
        e = self.entities.get(entity_id)
        return e.name if e else entity_id

    def where(self, entity_id: str) -> str:
        e = self.entities.get(entity_id)
        code = e.origin_country if e else None
        return f"{code}" if code else "country unknown"

    def value(self, entity_id: str) -> Bounds:
        return self.ev.value(entity_id, self.values)

    def owners_unknown(self, entity_id: str) -> bool:
        """No owner on file and ownership not marked complete (persons and state bodies excepted)."""
        return entity_id not in self.graph.closed and not any(
            e.holds_shares or e.control for e in self.graph.owners.get(entity_id, [])
        )

    def origin_sentence(self, entity_id: str) -> str:
        e = self.entities.get(entity_id)
        name = self.name(entity_id)
        if e is None:
            return f"{name} is restricted by itself{self.ref('restricted-origin')}."
        if e.kind == "person":
            return (
                f"{name} is a person resident in {country_name(e.origin_country)} ({e.origin_country}), "
                f"a restricted jurisdiction, and the policy treats such persons as restricted"
                f"{self.ref('restricted-origin')}."
            )
        if e.kind == "state_body":
            return (
                f"{name} is a state body of {country_name(e.origin_country)} ({e.origin_country}), "
                f"a restricted jurisdiction{self.ref('restricted-origin')}."
            )
        if e.hq_country:
            return (
                f"{name} is headquartered in {country_name(e.hq_country)} ({e.hq_country}), "
                f"a restricted jurisdiction{self.ref('restricted-origin')}."
            )
        return (
            f"{name} is incorporated in {country_name(e.incorporation_country)} ({e.incorporation_country}), "
            f"a restricted jurisdiction; no headquarters are on file, so incorporation decides"
            f"{self.ref('restricted-origin')}."
        )

    def contributions(self, entity_id: str) -> list[tuple[OwnerEdge, float]]:
        """Each owner's proven restricted contribution to `entity_id`, largest first."""
        out = []
        for edge in self.graph.owners.get(entity_id, []):
            if not edge.holds_shares:
                continue
            c = edge.low * self.ev.weight(self.value(edge.owner_id).low) / 100.0
            if c > 0:
                out.append((edge, c))
        out.sort(key=lambda t: (-t[1], t[0].owner_id))
        return out

    def explain_restricted(self, entity_id: str, target: str) -> None:
        """Sentences proving L(entity) from the restricted origins down, owners first."""
        if entity_id in self.seen:
            return
        self.seen.add(entity_id)
        origin = self.graph.origins.get(entity_id)
        if origin is Origin.RESTRICTED:
            self.steps.append(self.origin_sentence(entity_id))
            return
        name = self.name(entity_id)
        for edge in self.graph.owners.get(entity_id, []):
            if edge.control and self.policy.exceeds(self.value(edge.owner_id).low):
                self.explain_restricted(edge.owner_id, target)
                self.steps.append(
                    f"{name} is controlled by {self.name(edge.owner_id)} → restricted{self.ref('controlled')}."
                )
                return
        contribs = self.contributions(entity_id)
        for edge, _ in contribs:
            self.explain_restricted(edge.owner_id, target)
        low = self.value(entity_id).low
        verdict = "restricted" if self.policy.exceeds(low) else f"{_pct(low)} restricted"
        if entity_id == target and self.policy.exceeds(low):
            indirect = any(self.graph.origins.get(e.owner_id) is not Origin.RESTRICTED for e, _ in contribs)
            how = "indirectly" if indirect else "directly"
            verdict = (
                f"{self.policy.threshold_words} owned, {how}, by parties headquartered in a restricted jurisdiction"
            )
        rule = "majority-owned" if self.policy.exceeds(low) else None
        suffix = self.ref(rule) if rule else ""
        if len(contribs) == 1:
            edge, c = contribs[0]
            owner = self.value(edge.owner_id)
            if self.policy.exceeds(owner.low):
                self.steps.append(
                    f"{name} is {_interval(edge.low, edge.high)} owned by {self.name(edge.owner_id)} "
                    f"→ {verdict}{suffix}."
                )
            else:
                self.steps.append(
                    f"{name} is {_interval(edge.low, edge.high)} owned by {self.name(edge.owner_id)}, itself "
                    f"{_pct(owner.low)} restricted, which passes on {_pct(c)} → {verdict}{suffix}."
                )
            return
        parts = []
        for edge, c in contribs:
            owner = self.value(edge.owner_id)
            if self.policy.exceeds(owner.low):
                parts.append(f"{_interval(edge.low, edge.high)} by {self.name(edge.owner_id)}")
            else:
                parts.append(
                    f"{_interval(edge.low, edge.high)} by {self.name(edge.owner_id)} ({_pct(owner.low)} restricted, "
                    f"passing on {_pct(c)})"
                )
        ranged = any(edge.high > edge.low for edge, _ in contribs)
        basis = " (counting the lower end of each range)" if ranged else ""
        self.steps.append(
            f"{name} is owned {'; '.join(parts)}: {_pct(low)} restricted in total{basis} → {verdict}{suffix}."
        )

    def range_parts(self, entity_id: str) -> list[tuple[str, float, float]]:
        """Every owner that adds to the low or the high end of `entity_id`'s restricted share, with its interval.

        Returns (phrase, passed on at least, passed on at most), proven part first: "BAIC (CN) holds 9.98%",
        "Tenaciou3 Prospect (HK) holds 4.85–10.8%, itself 0–100% restricted, passing on 0–10.8%".
        """
        out = []
        for edge in self.graph.owners.get(entity_id, []):
            if not edge.holds_shares:
                continue
            owner = self.value(edge.owner_id)
            c_lo = edge.low * self.ev.weight(owner.low) / 100.0
            c_hi = edge.high * self.ev.weight(owner.high) / 100.0
            if c_hi <= 1e-9:
                continue
            who = f"{self.name(edge.owner_id)} ({self.where(edge.owner_id)})"
            text = (f"{who} holds {_interval(edge.low, edge.high)}" if edge.known
                    else f"{who} holds a share that is not known (up to {_pct(edge.high)})")
            if not self.policy.exceeds(owner.low):
                if owner.high - owner.low > 1e-9:
                    text += (f", itself {_interval(owner.low, owner.high)} restricted, passing on "
                             f"{_interval(c_lo, c_hi)}")
                elif abs(c_lo - edge.low) > 1e-9 or abs(c_hi - edge.high) > 1e-9:
                    text += f", passing on {_interval(c_lo, c_hi)}"
            out.append((text, c_lo, c_hi))
        out.sort(key=lambda t: (-t[1], -t[2], t[0]))
        return out

    def unresolved_reasons(self, entity_id: str) -> list[str]:
        """Why H exceeds what L proves: unrecorded shares, unknown shares, uncertain owners."""
        reasons = []
        name = self.name(entity_id)
        edges = [e for e in self.graph.owners.get(entity_id, []) if e.holds_shares]
        origin = self.graph.origins.get(entity_id)
        if origin is Origin.UNCERTAIN:
            reasons.append("its headquarters are in a jurisdiction the policy treats as uncertain")
        if origin is Origin.NO_COUNTRY:
            self.find_out(f"Where {name} is headquartered")
        if self.owners_unknown(entity_id):
            self.find_out(f"Who owns {name}, and where its owners are headquartered")
        elif entity_id not in self.graph.closed:
            rest = 100.0 - sum(e.low for e in edges)
            if rest > 0:
                reasons.append(
                    f"{_pct(rest)} of {name}'s shares have no recorded owner and its ownership is not "
                    f"marked complete"
                )
                if rest < 100.0 - 1e-9:
                    self.find_out(f"Who holds the other {_pct(rest)} of {name}")
                else:  # no recorded owner states a share
                    self.find_out(f"Who else holds shares of {name}")
        for edge in edges:
            owner = self.value(edge.owner_id)
            if owner.high <= 0 or self.ev.weight(owner.high) <= 0:
                continue
            owner_name = self.name(edge.owner_id)
            if not edge.known:
                reasons.append(f"the share held by {owner_name} is not known (up to {_pct(edge.high)})")
                self.find_out(f"The share {owner_name} holds in {name}")
            elif owner.high > owner.low:
                if self.owners_unknown(edge.owner_id) and edge.owner_id not in self.graph.origins:
                    reasons.append(
                        f"{owner_name}, which holds {_interval(edge.low, edge.high)}, has no owner on file itself"
                    )
                    self.find_out(f"Who owns {owner_name}")
                elif self.graph.origins.get(edge.owner_id) is Origin.NO_COUNTRY:
                    reasons.append(
                        f"{owner_name}, which holds {_interval(edge.low, edge.high)}, has no country on file"
                    )
                    self.find_out(f"Where {owner_name} is headquartered")
                else:
                    reasons.append(
                        f"{owner_name} ({_interval(edge.low, edge.high)}) is itself "
                        f"{_interval(owner.low, owner.high)} restricted"
                    )
            elif edge.high > edge.low:
                reasons.append(f"{owner_name} holds between {_pct(edge.low)} and {_pct(edge.high)}")
        for edge in self.graph.owners.get(entity_id, []):
            if (
                edge.control
                and not self.policy.exceeds(self.value(edge.owner_id).low)
                and self.policy.exceeds(self.value(edge.owner_id).high)
            ):
                reasons.append(f"{self.name(edge.owner_id)}, which controls it, may be restricted")
        return reasons


def explain(
    target: str,
    entities: Mapping[str, Entity],
    relationships: Sequence[Relationship],
    policy: Policy,
    as_of: date,
    stored: Mapping[str, tuple[float, float]] | None = None,
) -> Explanation:
    """Explain `target` from its ancestor subgraph (entities and relationships given by the caller).

    `stored`: every subgraph entity's restricted share [L, H] as computed over the whole graph for this
    policy and date (the stored statuses), when the caller knows them current and the subgraph whole.
    They are the bounds the subgraph would give (an entity's bounds depend on its owners alone), so
    they are used instead of solving the subgraph again — unless persons resident in a restricted
    jurisdiction are tracked for review and one is on file above the target, as stored statuses do
    not keep the persons' share.
    """
    graph = OwnershipGraph.build(entities.values(), relationships, policy, as_of)
    if stored is not None and not _tracks_persons(graph, policy):
        values = {entity_id: Bounds(lo, hi) for entity_id, (lo, hi) in stored.items()}
    else:
        values = compute_bounds(graph, policy)
    ev = Evaluator(graph, policy)
    for entity_id in {target, *entities, *(e.owner_id for edges in graph.owners.values() for e in edges)}:
        if entity_id not in values:  # companies with nothing on file: fixed by origin and coverage alone
            values[entity_id] = ev.value(entity_id, values)
    bounds = values[target]
    status = status_of(bounds, policy)
    clause_refs = {rule: text.split(" ", 1)[0] for rule, text in policy.clauses.items() if text.startswith("§")}
    w = _Writer(entities, graph, values, policy, clause_refs)
    name = w.name(target)
    t = policy.threshold_words
    origin = graph.origins.get(target)

    if status == "restricted":
        w.explain_restricted(target, target)
    else:
        contribs = w.contributions(target)
        if origin is Origin.UNCERTAIN:
            e = entities.get(target)
            code = e.origin_country if e else None
            w.steps.append(
                f"{name} is headquartered in {country_name(code)} ({code}), which the policy treats "
                f"as uncertain: its restricted share is at most 100% unless the data decides"
                f"{w.ref('uncertain-origin')}."
            )
        parts = w.range_parts(target)
        for edge, _ in contribs:
            w.explain_restricted(edge.owner_id, target)
        if parts:
            held = "; ".join(text for text, _, _ in parts)
            ranged = bounds.high - bounds.low > 1e-9
            share = f"restricted share {_interval(bounds.low, bounds.high)}"
            if bounds.low >= policy.review_band_floor:
                w.steps.append(
                    f"{held}: {_pct(bounds.low)} restricted in total"
                    + (f" ({share})" if ranged else "")
                    + f", within the review band "
                    f"{_pct(policy.review_band_floor)}–{_pct(policy.threshold)}{w.ref('review-band')}."
                )
            elif status == "eligible":
                others = "no other restricted owner" + (" on file" if len(parts) == 1 else "s on file")
                if ranged:
                    summary = f"{share}; even its upper end is not above the {_pct(policy.threshold)} threshold"
                else:
                    total = "" if len(parts) == 1 else f"{_pct(bounds.low)} in total, "
                    summary = f"{total}below the {_pct(policy.threshold)} threshold"
                w.steps.append(f"{held}: {summary}; {others}{w.ref('below-threshold')}.")
            else:
                w.steps.append(f"{held}: {share}, of which {_pct(bounds.low)} is proven.")
        if policy.exceeds(bounds.high):
            # Silence first, in plain words: what is missing and must be established before selling.
            if origin is Origin.NO_COUNTRY:
                w.steps.append(
                    f"{name}'s country is not on file: where it is headquartered must be established before "
                    f"selling{w.ref('unknown-ownership')}."
                )
            if w.owners_unknown(target):
                w.steps.append(
                    f"No owner of {name} is on file: its ownership must be established before selling"
                    f"{w.ref('unknown-ownership')}."
                )
            reasons = w.unresolved_reasons(target)
            if reasons or not w.fired:
                because = "; ".join(reasons) if reasons else "an owner's restricted share is not settled"
                w.steps.append(
                    f"The data cannot rule out {t} ({_interval(bounds.low, bounds.high)} restricted): "
                    f"{because}{w.ref('unresolved')}."
                )
        if policy.persons == "review" and bounds.persons > policy.review_band_floor:
            persons = _restricted_persons(target, entities, graph, policy)
            who = ", ".join(persons) if persons else "persons resident in a restricted jurisdiction"
            w.steps.append(
                f"{who} may hold up to {_pct(bounds.persons)} of {name}, above the "
                f"{_pct(policy.review_band_floor)} floor{w.ref('person-review')}."
            )
        if status == "eligible" and not contribs and not parts:
            e = entities.get(target)
            recorded = [edge for edge in graph.owners.get(target, []) if edge.holds_shares or edge.control]
            where = ""
            if e is not None and e.origin_country:
                verb = "resident" if e.kind == "person" else "headquartered"
                if e.kind != "person" and not e.hq_country:
                    verb = "incorporated"
                where = (
                    f"{name} is {verb} in {country_name(e.origin_country)} ({e.origin_country}), "
                    f"not a restricted jurisdiction. "
                )
            elif e is not None:
                where = f"No headquarters or incorporation country is on file for {name}. "
            if not recorded:
                if e is not None and e.kind in ("person", "state_body"):
                    w.steps.append(f"{where}No restricted owner is known{w.ref('below-threshold')}.")
                else:
                    w.steps.append(
                        f"{where}The data marks {name}'s ownership as complete with no controlling owner "
                        f"on file{w.ref('below-threshold')}."
                    )
            else:
                names = ", ".join(w.name(edge.owner_id) for edge in recorded[:5])
                more = f" and {len(recorded) - 5} more" if len(recorded) > 5 else ""
                w.steps.append(
                    f"{where}None of its recorded owners ({names}{more}) is restricted; restricted "
                    f"ownership is at most {_pct(bounds.high)}{w.ref('below-threshold')}."
                )
        target_entity = entities.get(target)
        if (
            status == "eligible"
            and target_entity is not None
            and target_entity.ownership == "complete"
            and graph.owners.get(target)
            and not _from_register(target, entities, relationships, as_of)
        ):
            if target_entity.public_float is not None:
                w.steps.append(
                    f"The owners on file account for the shareholding; the rest ({_pct(target_entity.public_float)}) "
                    f"is public float, held in stakes below the disclosure threshold."
                )
            else:
                w.steps.append("The owners on file account for the shareholding (the rest is dispersed).")
        if status == "review" and not w.fired:
            w.ref("unresolved")
    w.steps.extend(_register_sentences(target, entities, relationships, as_of, w.name))

    chain, truncated = _chain(target, entities, graph, values, relationships, policy, as_of)
    paths = _paths(target, entities, graph, values, policy)
    rules = tuple(Rule(r, RULE_TITLES[r], policy.clauses.get(r)) for r in w.fired)
    sources = sorted(
        {
            s
            for s in [entities[n.entity_id].source_id for n in chain if n.entity_id in entities]
            + [o.source_id for n in chain for o in n.owners]
            if s
        }
    )
    head = {"restricted": "RESTRICTED", "review": "REVIEW", "eligible": "ELIGIBLE"}[status]
    rationale = f"{head} under {policy.id} ({policy.version}). " + " ".join(w.steps)
    return Explanation(
        entity_id=target,
        status=status,
        restricted_min=bounds.low,
        restricted_max=bounds.high,
        rules=rules,
        rationale=rationale,
        steps=tuple(w.steps),
        chain=chain,
        paths=paths,
        source_ids=tuple(sources),
        policy_id=policy.id,
        policy_sha256=policy.sha256,
        as_of=as_of,
        truncated=truncated,
        to_find_out=tuple(w.to_find_out),
    )


def _tracks_persons(graph: OwnershipGraph, policy: Policy) -> bool:
    """Whether some entity's persons share may be above zero (stored statuses do not keep it)."""
    return policy.persons == "review" and any(o is Origin.RESTRICTED_PERSON for o in graph.origins.values())


def _from_register(
    target: str, entities: Mapping[str, Entity], relationships: Sequence[Relationship], as_of: date
) -> bool:
    """Whether a register (GLEIF) speaks of the target's parents: then it, not a shareholding, is quoted."""
    e = entities.get(target)
    if e is not None and e.note:
        return True
    return any(r.owned_id == target and r.valid_on(as_of) and relation_of(r.note) for r in relationships)


def _register_sentences(
    target: str,
    entities: Mapping[str, Entity],
    relationships: Sequence[Relationship],
    as_of: date,
    name_of: Callable[[str], str],
) -> list[str]:
    """What a register (GLEIF) says about the target's parents, in its own terms."""
    order = {"IS_DIRECTLY_CONSOLIDATED_BY": 0, "IS_ULTIMATELY_CONSOLIDATED_BY": 1, "IS_INTERNATIONAL_BRANCH_OF": 2}
    rels = [r for r in relationships if r.owned_id == target and r.valid_on(as_of) and relation_of(r.note)]
    rels.sort(key=lambda r: (order.get(relation_of(r.note) or "", 9), r.owner_id))
    out = [s for r in rels if (s := relationship_sentence(r.note, name_of(r.owner_id), r.start_date))]
    e = entities.get(target)
    return out + entity_sentences(e.note if e else None)


def _restricted_persons(
    target: str, entities: Mapping[str, Entity], graph: OwnershipGraph, policy: Policy
) -> list[str]:
    out, stack, seen = [], [target], {target}
    while stack:
        node = stack.pop()
        for edge in graph.owners.get(node, []):
            if edge.owner_id in seen:
                continue
            seen.add(edge.owner_id)
            if graph.origins.get(edge.owner_id) is Origin.RESTRICTED_PERSON:
                e = entities.get(edge.owner_id)
                out.append(f"{e.name if e else edge.owner_id} ({e.origin_country if e else '?'})")
            stack.append(edge.owner_id)
    return sorted(out)


def _chain(
    target: str,
    entities: Mapping[str, Entity],
    graph: OwnershipGraph,
    values: Mapping[str, Bounds],
    relationships: Sequence[Relationship],
    policy: Policy,
    as_of: date,
) -> tuple[tuple[ChainNode, ...], bool]:
    """The target and its owners up to the ultimate owners, breadth first, with recorded shares."""
    by_owned: dict[str, list[Relationship]] = {}
    for rel in relationships:
        if rel.valid_on(as_of):
            by_owned.setdefault(rel.owned_id, []).append(rel)
    zero = Bounds(0.0, 100.0, 0.0)
    order: list[tuple[str, int]] = [(target, 0)]
    seen = {target}
    i = 0
    truncated = False
    owners_of: dict[str, list[Relationship]] = {}  # the shown nodes' relationships, largest share first
    while i < len(order):
        node, depth = order[i]
        i += 1
        rels = by_owned.get(node, [])
        if len(rels) > 1:
            rels.sort(key=_chain_order)
        owners_of[node] = rels
        for rel in rels:
            if rel.owner_id not in seen:
                if len(order) >= MAX_CHAIN_NODES:
                    truncated = True
                    break
                seen.add(rel.owner_id)
                order.append((rel.owner_id, depth + 1))
    nodes = []
    for node, depth in order:
        e = entities.get(node)
        b = values.get(node, zero)
        owners = tuple(
            ChainOwner(
                r.owner_id,
                r.kind,
                r.share.low if r.share else None,
                r.share.high if r.share else None,
                r.source_id,
                r.note,
            )
            for r in owners_of[node]
        )
        nodes.append(
            ChainNode(
                entity_id=node,
                name=e.name if e else node,
                kind=e.kind if e else "other",
                hq_country=e.hq_country if e else None,
                incorporation_country=e.incorporation_country if e else None,
                status=status_of(b, policy),
                restricted_min=b.low,
                restricted_max=b.high,
                owners=owners,
                source_id=e.source_id if e else None,
                depth=depth,
            )
        )
    return tuple(nodes), truncated


def _chain_order(r: Relationship) -> tuple[float, str]:
    """Owners in a chain: the largest recorded share first, then by id (a sort is stable: ties keep order)."""
    return -(r.share.high if r.share else 0), r.owner_id


def _paths(
    target: str, entities: Mapping[str, Entity], graph: OwnershipGraph, values: Mapping[str, Bounds], policy: Policy
) -> tuple[EvidencePath, ...]:
    """The MAX_PATHS best simple paths from the target to ultimate owners: those ending at a restricted
    owner first, then review, then eligible; within each, largest effective share first.

    Best first: a path's key is (the best status any owner beyond it can have, its effective share so far,
    its entities); extending a path never improves its key, so the first MAX_PATHS complete paths taken
    from the queue are the best ones, and a group with fan-in at every level (thousands of paths) is not
    enumerated. PATH_STEPS bounds the work all the same.
    """
    zero = Bounds(0.0, 100.0, 0.0)
    rank = {"restricted": 0, "review": 1, "eligible": 2}
    statuses: dict[str, Status] = {}

    def status(entity_id: str) -> Status:
        st = statuses.get(entity_id)
        if st is None:
            st = statuses[entity_id] = status_of(values.get(entity_id, zero), policy)
        return st

    def extends(entity_id: str) -> bool:
        return graph.origins.get(entity_id) is not Origin.RESTRICTED

    # best[e]: the best status of e or of any entity above it (a path through e can end no better)
    best: dict[str, int] = {}
    todo = [target]
    while todo:
        node = todo.pop()
        if node in best:
            continue
        best[node] = rank[status(node)]
        if extends(node):
            todo.extend(e.owner_id for e in graph.owners.get(node, []) if e.owner_id not in best)
    changed = True
    while changed:
        changed = False
        for node, b in best.items():
            if b and extends(node):
                low = min((best[e.owner_id] for e in graph.owners.get(node, [])), default=b)
                if low < b:
                    best[node] = low
                    changed = True

    # queue entries: (key rank, -effective max, entity ids, complete?, effective min, effective max, edge shares)
    # edge shares: (min, max, held by control alone)
    Entry = tuple[int, float, tuple[str, ...], bool, float, float, tuple[tuple[float, float, bool], ...]]
    queue: list[Entry] = [(best[target], -100.0, (target,), False, 100.0, 100.0, ((100.0, 100.0, False),))]
    found: list[EvidencePath] = []
    budget = PATH_STEPS
    while queue and len(found) < MAX_PATHS and budget > 0:
        budget -= 1
        _, neg_hi, ids, complete, lo, hi, shares = heapq.heappop(queue)
        node = ids[-1]
        if complete:
            hops = tuple(
                PathHop(e, entities[e].name if e in entities else e, a, b, status(e), c)
                for e, (a, b, c) in zip(ids, shares, strict=True)
            )
            found.append(EvidencePath(hops, round(lo, 6), -neg_hi))
            continue
        pushed = False
        if extends(node):
            for edge in graph.owners.get(node, []):
                if edge.owner_id in ids:
                    continue
                whole = edge.control and not edge.holds_shares
                new_lo = lo * (100.0 if whole else edge.low) / 100.0
                new_hi = hi * (100.0 if whole else edge.high) / 100.0
                heapq.heappush(queue, (best[edge.owner_id], -round(new_hi, 6), (*ids, edge.owner_id), False,
                                       new_lo, new_hi, (*shares, (edge.low, edge.high, whole))))
                pushed = True
        if not pushed and len(ids) > 1:
            heapq.heappush(queue, (rank[status(node)], neg_hi, ids, True, lo, hi, shares))
    return tuple(found)
