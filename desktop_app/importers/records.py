"""Canonical records every importer yields and the one loader writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from desktop_app.domain.determination import OwnershipGraph, compute_bounds, default_determination, status_of
from desktop_app.domain.model import Entity, Relationship, Share, Status
from desktop_app.domain.policy import Policy


@dataclass(frozen=True, slots=True)
class DatasetMeta:
    id: str
    title: str
    version: str
    as_of: date
    publisher: str = ""
    license: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class SourceRecord:
    id: str
    title: str
    url: str
    publisher: str
    as_of: date | None
    license: str


@dataclass(frozen=True, slots=True)
class EntityRecord:
    id: str
    kind: str
    name: str
    hq_country: str | None
    incorporation_country: str | None
    residence_country: str | None
    status: str
    ownership: str | None
    lei: str | None
    website: str | None
    source_id: str | None
    # What a register states about the entity's parents beyond relationships (GLEIF reporting
    # exceptions, fund relations), in domain.register's note format; quoted in rationales.
    note: str | None = None
    # Listed companies: percent held by the public in holdings each below the disclosure threshold.
    public_float: float | None = None


@dataclass(frozen=True, slots=True)
class NameRecord:
    entity_id: str
    name: str
    type: str
    lang: str | None
    source_id: str | None


@dataclass(frozen=True, slots=True)
class IdentifierRecord:
    entity_id: str
    scheme: str
    value: str
    source_id: str | None


@dataclass(frozen=True, slots=True)
class RelationshipRecord:
    owner_id: str
    owned_id: str
    kind: str
    share_min: float | None
    share_max: float | None
    start_date: date | None
    end_date: date | None
    source_id: str | None
    note: str | None


@dataclass
class CanonicalDataset:
    """A whole dataset, validated, ready for the loader."""

    meta: DatasetMeta
    content_sha256: str
    sources: list[SourceRecord] = field(default_factory=list)
    entities: list[EntityRecord] = field(default_factory=list)
    names: list[NameRecord] = field(default_factory=list)
    identifiers: list[IdentifierRecord] = field(default_factory=list)
    relationships: list[RelationshipRecord] = field(default_factory=list)


class DatasetError(Exception):
    """A dataset that cannot be imported; `problems` lists every 'file:line:field: message'."""

    def __init__(self, origin: str, problems: list[str]) -> None:
        self.origin = origin
        self.problems = problems
        count = len(problems)
        super().__init__(f"{origin}: {count} problem{'s' if count != 1 else ''} found; nothing was imported")


def determine_dataset(
    ds: CanonicalDataset, policy: Policy, as_of: date
) -> dict[str, tuple[Status, float, float]]:
    """Every entity's (status, restricted min, restricted max) within this one dataset, by the domain engine.

    For checking a dataset on its own (the reference data's validator and report), without a database:
    entities are not merged with other datasets.
    """
    entities = [
        Entity(
            id=e.id,
            name=e.name,
            kind=e.kind,  # type: ignore[arg-type]
            hq_country=e.hq_country,
            incorporation_country=e.incorporation_country,
            residence_country=e.residence_country,
            ownership=e.ownership,  # type: ignore[arg-type]
            public_float=e.public_float,
        )
        for e in ds.entities
    ]
    rels = [
        Relationship(
            r.owner_id,
            r.owned_id,
            r.kind,  # type: ignore[arg-type]
            None
            if r.share_min is None and r.share_max is None
            else Share(0.0 if r.share_min is None else r.share_min, 100.0 if r.share_max is None else r.share_max),
            r.start_date,
            r.end_date,
        )
        for r in ds.relationships
    ]
    values = compute_bounds(OwnershipGraph.build(entities, rels, policy, as_of), policy)
    default = default_determination(policy)
    return {
        e.id: (status_of(values[e.id], policy), values[e.id].low, values[e.id].high) if e.id in values else default
        for e in entities
    }
