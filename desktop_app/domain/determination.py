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


def classify_origin(kind: EntityKind | str, country: str | None, policy: Policy) -> Origin:
    """Origin of an entity from its kind and origin country (HQ, else incorporation; residence for persons)."""
    if not country:
        return Origin.NONE
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


def combine_owner_edges(relationships: Iterable[Relationship]) -> list[OwnerEdge]:
    """Combine one owned entity's valid relationships per owner (the larger of ownership and voting counts)."""
    rels = list(relationships)
    if len(rels) == 1 and rels[0].kind != "control":  # the common case: one owner, one relationship
        rel = rels[0]
        kinds: tuple[str, ...] = (str(rel.kind),)
        if rel.share is None:
            return [OwnerEdge(rel.owner_id, 0.0, 100.0, False, False, kinds)]
        return [OwnerEdge(rel.owner_id, rel.share.low, rel.share.high, True, False, kinds)]
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


@dataclass(frozen=True)
class OwnershipGraph:
    """The valid ownership graph on one date: origins, coverage and combined owner edges."""

    origins: Mapping[str, Origin]  # entities with a non-NONE origin
    partial: frozenset[str]  # entities whose ownership is marked partial
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
        partial = set()
        for entity_id, kind, country, ownership in basics:
            origin = classify_origin(kind, country, policy)
            if origin is not Origin.NONE:
                origins[entity_id] = origin
            if ownership == "partial":
                partial.add(entity_id)
        by_owned: dict[str, list[Relationship]] = {}
        for rel in relationships:
            if rel.valid_on(as_of) and rel.owner_id != rel.owned_id:
                by_owned.setdefault(rel.owned_id, []).append(rel)
        owners = {owned: combine_owner_edges(rels) for owned, rels in by_owned.items()}
        return OwnershipGraph(origins, frozenset(partial), owners)


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
            return Bounds(0.0, 100.0, 0.0) if origin is Origin.UNCERTAIN else ZERO
        return None

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
            owner = value_of.get(edge.owner_id, ZERO)
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
        if entity_id in self.graph.partial:
            # The unrecorded rest (at most 100 − Σ min) could be held by restricted parties.
            high = max(high_complete, min_weighted_high + max(0.0, 100.0 - min_sum))
        else:
            high = high_complete
        if forced_low:
            low = 100.0
        if forced_high:
            high = 100.0
        if self.graph.origins.get(entity_id) is Origin.UNCERTAIN:
            high = 100.0
        low = _round(low)
        return Bounds(low, max(low, _round(high)), _round(persons))


def compute_bounds(graph: OwnershipGraph, policy: Policy) -> dict[str, Bounds]:
    """Bounds for every entity that has owners or an origin; all others are 0%."""
    ev = Evaluator(graph, policy)
    values: dict[str, Bounds] = {}
    for entity_id in graph.origins:
        fixed = ev.base(entity_id)
        if fixed is not None:
            values[entity_id] = fixed
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
    """The determination of an entity with no restricted origin and no owners on file.

    Stored statuses omit such entities: a missing row means exactly this.
    """
    return status_of(ZERO, policy), ZERO.low, ZERO.high
