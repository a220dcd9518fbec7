"""The determination engine: restricted-share intervals [L, H] over the ownership graph.

Implements DESIGN "Determination semantics": cascade with look-through (or pure cascade),
unknown shares capped by the other owners' minimum, partial/complete coverage, control,
persons per policy, uncertain jurisdictions, and cycles solved per strongly connected
component by monotone iteration from 0% to the least fixed point.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from desktop_app.domain.model import Entity, EntityKind, Relationship, Status
from desktop_app.domain.policy import Policy

# Values are kept on a 1e-9 percent grid: decimal inputs that meet the threshold exactly compare
# exactly, and the fixed-point iteration (monotone on a finite grid) always terminates.
_DIGITS = 9
_MAX_ROUNDS = 1_000_000


class Origin(IntEnum):
    """What an entity is by itself, before looking at its owners."""

    NONE = 0
    RESTRICTED = 1  # headquartered in (or a state body of) a restricted jurisdiction
    UNCERTAIN = 2  # headquartered in an uncertain jurisdiction: [0%, 100%]
    RESTRICTED_PERSON = 3  # natural person resident in a restricted jurisdiction (policy decides)
    NO_COUNTRY = 4  # a company, fund or other non-person with neither country on file: [0%, 100%]


def classify_origin(kind: EntityKind | str, country: str | None, policy: Policy) -> Origin:
    """Origin of an entity from its kind and origin country (HQ, else incorporation; residence for persons)."""
    if not country:
        return Origin.NONE if kind == "person" else Origin.NO_COUNTRY
    if country in policy.restricted_jurisdictions:
        if kind == "person":
            return Origin.RESTRICTED if policy.persons == "restrict" else Origin.RESTRICTED_PERSON
        return Origin.RESTRICTED
    if country in policy.uncertain_jurisdictions and kind != "person":
        return Origin.UNCERTAIN
    return Origin.NONE


@dataclass(frozen=True, slots=True)
class OwnerEdge:
    """All valid relationships from one owner to one owned entity, combined."""

    owner_id: str
    low: float  # effective minimum share (unknown → 0)
    high: float  # effective maximum share (unknown → 100 − the other owners' minimum)
    known: bool  # the data states the share
    control: bool  # a control relationship exists
    kinds: tuple[str, ...]  # relationship kinds behind this edge

    @property
    def holds_shares(self) -> bool:
        return "ownership" in self.kinds or "voting" in self.kinds


@dataclass(frozen=True, slots=True)
class Bounds:
    """Restricted share [low, high] and the share traceable to restricted-resident persons."""

    low: float
    high: float
    persons: float = 0.0


ZERO = Bounds(0.0, 0.0, 0.0)
FULL = Bounds(100.0, 100.0, 0.0)
UNKNOWN = Bounds(0.0, 100.0, 0.0)  # nothing on file rules a restricted owner in or out


def combine_owner_edges(relationships: Iterable[Relationship]) -> list[OwnerEdge]:
    """Combine one owned entity's valid relationships per owner (the larger of ownership and voting counts)."""
    rels = list(relationships)
    if len(rels) == 1 and rels[0].kind != "control":  # the common case: one owner, one relationship
        rel = rels[0]
        kinds: tuple[str, ...] = (str(rel.kind),)
        if rel.share is None:
            return [OwnerEdge(rel.owner_id, 0.0, 100.0, False, False, kinds)]
        return [OwnerEdge(rel.owner_id, rel.share.low, rel.share.high, True, False, kinds)]
    if len({rel.owner_id for rel in rels}) == len(rels) and all(rel.kind != "control" for rel in rels):
        # one relationship per owner, none of control (most owned entities): each is its owner's edge
        rels.sort(key=lambda r: r.owner_id)
        total_min = sum(r.share.low for r in rels if r.share is not None)
        unknown_high = max(0.0, min(100.0, 100.0 - total_min))
        return [
            OwnerEdge(r.owner_id, 0.0, unknown_high, False, False, (str(r.kind),))
            if r.share is None
            else OwnerEdge(r.owner_id, r.share.low, r.share.high, True, False, (str(r.kind),))
            for r in rels
        ]
    per_owner: dict[str, list[Relationship]] = {}
    for rel in rels:
        per_owner.setdefault(rel.owner_id, []).append(rel)
    raw: list[tuple[str, float | None, float | None, bool, tuple[str, ...]]] = []
    for owner_id in sorted(per_owner):
        rels = per_owner[owner_id]
        shares = [r.share for r in rels if r.kind != "control" and r.share is not None]
        share_rels = [r for r in rels if r.kind != "control"]
        control = any(r.kind == "control" for r in rels)
        kinds = tuple(sorted({str(r.kind) for r in rels}))
        if shares:
            raw.append((owner_id, max(s.low for s in shares), max(s.high for s in shares), control, kinds))
        elif share_rels:
            raw.append((owner_id, None, None, control, kinds))
        else:
            raw.append((owner_id, 0.0, 0.0, control, kinds))
    total_min = sum(lo for _, lo, _, _, _ in raw if lo is not None)
    edges = []
    for owner_id, lo, hi, control, kinds in raw:
        if lo is None or hi is None:
            edges.append(OwnerEdge(owner_id, 0.0, max(0.0, min(100.0, 100.0 - total_min)), False, control, kinds))
        else:
            edges.append(OwnerEdge(owner_id, lo, hi, True, control, kinds))
    return edges


def closes_ownership(kind: EntityKind | str, ownership: str | None) -> bool:
    """True when the owners on file are all that matter: marked `complete`, or a person or state body.

    Persons and state bodies are not owned by anybody the policy looks at; every other entity whose
    ownership is not marked complete may have unrecorded owners, which count toward H (DESIGN: eligible
    needs positive evidence).
    """
    return ownership == "complete" or kind in ("person", "state_body")


@dataclass(frozen=True)
class OwnershipGraph:
    """The valid ownership graph on one date: origins, coverage and combined owner edges.

    Entities that are not named in `closed` have ownership that is not known to be complete: the share
    no recorded owner covers counts toward H. Entities the graph does not mention at all are companies
    with a country, no restricted origin and no owners on file: [0%, 100%].
    """

    origins: Mapping[str, Origin]  # entities with a non-NONE origin
    closed: frozenset[str]  # entities whose recorded owners are all that matter (complete, person, state body)
    owners: Mapping[str, list[OwnerEdge]]  # owned id → its combined owner edges

    @staticmethod
    def build(
        entities: Iterable[Entity], relationships: Iterable[Relationship], policy: Policy, as_of: date
    ) -> OwnershipGraph:
        basics = ((e.id, e.kind, e.origin_country, e.ownership) for e in entities)
        return OwnershipGraph.from_basics(basics, relationships, policy, as_of)

    @staticmethod
    def from_basics(
        basics: Iterable[tuple[str, str, str | None, str | None]],
        relationships: Iterable[Relationship],
        policy: Policy,
        as_of: date,
    ) -> OwnershipGraph:
        """From (id, kind, origin country, ownership coverage) rows, as bulk readers provide them."""
        origins: dict[str, Origin] = {}
        closed = set()
        for entity_id, kind, country, ownership in basics:
            origin = classify_origin(kind, country, policy)
            if origin is not Origin.NONE:
                origins[entity_id] = origin
            if closes_ownership(kind, ownership):
                closed.add(entity_id)
        by_owned: dict[str, list[Relationship]] = {}
        for rel in relationships:
            if rel.valid_on(as_of) and rel.owner_id != rel.owned_id:
                by_owned.setdefault(rel.owned_id, []).append(rel)
        owners = {owned: combine_owner_edges(rels) for owned, rels in by_owned.items()}
        return OwnershipGraph(origins, frozenset(closed), owners)


def _round(x: float) -> float:
    return round(min(100.0, max(0.0, x)), _DIGITS)


class Evaluator:
    """Applies the policy's aggregation rule to one entity given its owners' bounds."""

    def __init__(self, graph: OwnershipGraph, policy: Policy) -> None:
        self.graph = graph
        self.policy = policy
        self.lookthrough = policy.indirect == "cascade-lookthrough"
        self.track_persons = policy.persons == "review"

    def base(self, entity_id: str) -> Bounds | None:
        """Bounds fixed by origin alone, or None when the owners decide."""
        origin = self.graph.origins.get(entity_id, Origin.NONE)
        if origin is Origin.RESTRICTED:
            return FULL
        if origin is Origin.RESTRICTED_PERSON:
            return Bounds(0.0, 0.0, 100.0 if self.track_persons else 0.0)
        if entity_id not in self.graph.owners:
            if origin in (Origin.UNCERTAIN, Origin.NO_COUNTRY):
                return UNKNOWN
            return ZERO if entity_id in self.graph.closed else UNKNOWN
        return None

    def value(self, entity_id: str, value_of: Mapping[str, Bounds]) -> Bounds:
        """An entity's current bounds: computed, else fixed by its origin and coverage alone."""
        found = value_of.get(entity_id)
        if found is not None:
            return found
        return self.base(entity_id) or ZERO

    def weight(self, value: float) -> float:
        if self.policy.exceeds(value):
            return 100.0
        return value if self.lookthrough else 0.0

    def evaluate(self, entity_id: str, value_of: Mapping[str, Bounds]) -> Bounds:
        fixed = self.base(entity_id)
        if fixed is not None:
            return fixed
        low = high_complete = persons = 0.0
        min_sum = min_weighted_high = 0.0
        forced_low = forced_high = False
        for edge in self.graph.owners[entity_id]:
            owner = self.value(edge.owner_id, value_of)
            w_low, w_high = self.weight(owner.low), self.weight(owner.high)
            if edge.control:
                forced_low = forced_low or self.policy.exceeds(owner.low)
                forced_high = forced_high or self.policy.exceeds(owner.high)
            if not edge.holds_shares:
                continue
            low += edge.low * w_low / 100.0
            high_complete += edge.high * w_high / 100.0
            min_sum += edge.low
            min_weighted_high += edge.low * w_high / 100.0
            persons += edge.high * owner.persons / 100.0
        if entity_id in self.graph.closed:
            high = high_complete
        else:
            # Ownership not known to be complete: the unrecorded rest (at most 100 − Σ min) could be
            # held by restricted parties.
            high = max(high_complete, min_weighted_high + max(0.0, 100.0 - min_sum))
        if forced_low:
            low = 100.0
        if forced_high:
            high = 100.0
        if self.graph.origins.get(entity_id) in (Origin.UNCERTAIN, Origin.NO_COUNTRY):
            high = 100.0
        low = _round(low)
        return Bounds(low, max(low, _round(high)), _round(persons))


def compute_bounds(graph: OwnershipGraph, policy: Policy) -> dict[str, Bounds]:
    """Bounds for every entity the graph names (origin, owners or closed coverage); all others are
    companies with nothing on file: [0%, 100%] (`default_determination`)."""
    ev = Evaluator(graph, policy)
    values: dict[str, Bounds] = {}
    for entity_id in graph.origins:
        fixed = ev.base(entity_id)
        if fixed is not None:
            values[entity_id] = fixed
    for entity_id in graph.closed:
        if entity_id not in values and entity_id not in graph.owners:
            values[entity_id] = ev.base(entity_id) or ZERO
    for component in strongly_connected_components(graph.owners):
        if len(component) == 1 and not _self_loop(graph, component[0]):
            entity_id = component[0]
            values[entity_id] = ev.evaluate(entity_id, values)
            continue
        for entity_id in component:
            values[entity_id] = ev.base(entity_id) or ZERO
        for _ in range(_MAX_ROUNDS):
            changed = False
            for entity_id in component:
                new = ev.evaluate(entity_id, values)
                if new != values[entity_id]:
                    values[entity_id] = new
                    changed = True
            if not changed:
                break
    return values


def _self_loop(graph: OwnershipGraph, entity_id: str) -> bool:
    return any(e.owner_id == entity_id for e in graph.owners.get(entity_id, ()))


def strongly_connected_components(owners: Mapping[str, list[OwnerEdge]]) -> list[list[str]]:
    """Tarjan's algorithm without recursion over owned → owner edges; owners come out first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in owners:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            edges = owners.get(node, ())
            recursed = False
            while i < len(edges):
                nxt = edges[i].owner_id
                i += 1
                if nxt not in index:
                    if nxt not in owners:  # a root owner: its own component, no edges
                        index[nxt] = low[nxt] = counter
                        counter += 1
                        continue
                    work.append((node, i))
                    work.append((nxt, 0))
                    recursed = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if recursed:
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                out.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return out


def status_of(bounds: Bounds, policy: Policy) -> Status:
    """restricted if L passes the threshold; eligible if H cannot and no review rule fires; else review."""
    if policy.exceeds(bounds.low):
        return "restricted"
    if policy.exceeds(bounds.high):
        return "review"
    if bounds.low >= policy.review_band_floor and bounds.low > 0:
        return "review"
    if policy.persons == "review" and bounds.persons > policy.review_band_floor:
        return "review"
    return "eligible"


def default_determination(policy: Policy) -> tuple[Status, float, float]:
    """The determination of a company with a country, no restricted origin, no owners on file and
    ownership not marked complete: nothing is known, so [0%, 100%].

    Stored statuses omit such entities: a missing row means exactly this.
    """
    return status_of(UNKNOWN, policy), UNKNOWN.low, UNKNOWN.high
