"""Values the whole application speaks in: entities, relationships and share intervals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

EntityKind = Literal["company", "person", "state_body", "fund", "other"]
RelationshipKind = Literal["ownership", "voting", "control"]
Status = Literal["restricted", "review", "eligible"]
OwnershipCoverage = Literal["complete", "partial"]

ENTITY_KINDS: tuple[EntityKind, ...] = ("company", "person", "state_body", "fund", "other")
RELATIONSHIP_KINDS: tuple[RelationshipKind, ...] = ("ownership", "voting", "control")
STATUSES: tuple[Status, ...] = ("restricted", "review", "eligible")


@dataclass(frozen=True, slots=True)
class Share:
    """A share as the data knows it, in percent: exactly (low == high) or within a range."""

    low: float
    high: float

    def __post_init__(self) -> None:
        if not 0.0 <= self.low <= self.high <= 100.0:
            raise ValueError(f"share must satisfy 0 <= low <= high <= 100, got [{self.low}, {self.high}]")

    @property
    def exact(self) -> bool:
        return self.low == self.high


@dataclass(frozen=True, slots=True)
class Entity:
    """One party of the ownership graph, as the determination engine needs it."""

    id: str
    name: str
    kind: EntityKind = "company"
    hq_country: str | None = None
    incorporation_country: str | None = None
    residence_country: str | None = None
    ownership: OwnershipCoverage | None = None
    source_id: str | None = None
    note: str | None = None  # what a register states about its parents (domain.register note format)
    public_float: float | None = None  # listed companies: percent held by the public below the disclosure threshold

    @property
    def origin_country(self) -> str | None:
        """Where the entity is directed from: headquarters, else incorporation, else residence."""
        if self.kind == "person":
            return self.residence_country or self.hq_country
        return self.hq_country or self.incorporation_country


@dataclass(frozen=True, slots=True)
class Relationship:
    """owner → owned; `share` is None when the data does not say how much."""

    owner_id: str
    owned_id: str
    kind: RelationshipKind = "ownership"
    share: Share | None = None
    start_date: date | None = None
    end_date: date | None = None
    source_id: str | None = None
    note: str | None = None

    def valid_on(self, day: date) -> bool:
        """In force on `day`: started on or before it and not yet ended (end_date is the first day without it)."""
        if self.start_date is not None and self.start_date > day:
            return False
        return self.end_date is None or day < self.end_date
