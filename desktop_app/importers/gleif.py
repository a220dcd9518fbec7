"""The GLEIF golden copy (Level 1 LEI-CDF, Level 2 RR-CDF relationships and reporting exceptions) as canonical records.

Follows DESIGN "Open ownership data". Two passes, like the canonical reader: the first reads every
file, checks every field and keeps only what Level 1 records need from Level 2 (each LEI's
coverage flags and fund notes, packed small); the second re-reads Level 1 and the relationships and
yields canonical records for the one loader, checking that the files did not change in between.
"""

from __future__ import annotations

import hashlib
import re
import time
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from desktop_app.domain.countries import is_country
from desktop_app.domain.register import (
    COMPLETE_REASONS,
    EXCEPTION_CATEGORIES,
    EXCEPTION_REASONS,
    FUND_RELATIONS,
    PARENT_RELATIONS,
    PARTIAL_REASONS,
    exception_note,
    fund_note,
    relationship_note,
)
from desktop_app.importers.gleif_files import (
    EXCEPTIONS,
    KIND_TITLES,
    LEVEL1,
    RELATIONSHIPS,
    CountingReader,
    GleifFile,
    gather,
)
from desktop_app.importers.gleif_rows import Row, read_rows
from desktop_app.importers.records import (
    DatasetError,
    DatasetMeta,
    EntityRecord,
    NameRecord,
    RelationshipRecord,
    SourceRecord,
)

DATASET_ID = "gleif"
# The shape of an LEI. Check digits are not enforced: GLEIF publishes a few annulled LEIs whose check
# digits do not verify, and it is the issuer; they are kept as published.
_LEI_SHAPE = re.compile(r"^[A-Z0-9]{20}$")
MAX_PROBLEMS = 1000
CHUNK = 20_000
DOWNLOAD_PAGES = {
    LEVEL1: "https://www.gleif.org/en/lei-data/gleif-golden-copy/download-the-golden-copy",
    RELATIONSHIPS: "https://www.gleif.org/en/lei-data/gleif-golden-copy/download-the-golden-copy",
    EXCEPTIONS: "https://www.gleif.org/en/lei-data/gleif-golden-copy/download-the-golden-copy",
}
NAME_TYPES = {
    "PREVIOUS_LEGAL_NAME": "former",
    "TRADING_OR_OPERATING_NAME": "trade",
    "ALTERNATIVE_LANGUAGE_LEGAL_NAME": "local",
    "AUTO_ASCII_TRANSLITERATED_LEGAL_NAME": "transliteration",
    "PREFERRED_ASCII_TRANSLITERATED_LEGAL_NAME": "transliteration",
}
ENTITY_KINDS = {
    "": "company",
    "GENERAL": "company",
    "BRANCH": "company",
    "SOLE_PROPRIETOR": "company",
    "FUND": "fund",
    "RESIDENT_GOVERNMENT_ENTITY": "state_body",
    "INTERNATIONAL_ORGANIZATION": "other",
}
INACTIVE_REGISTRATIONS = {"RETIRED", "MERGED", "ANNULLED"}
RELATIONSHIP_STATUSES = {"ACTIVE", "INACTIVE"}
_NAME_GROUPS = (
    ("Entity.OtherEntityNames.OtherEntityName", 0),
    ("Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName", 1),
)
Progress = Callable[[str, int, int], None]
Record = SourceRecord | EntityRecord | NameRecord | RelationshipRecord

# Coverage of one LEI, packed into an int: bits 0–9 the direct-parent exception reasons, 10–19 the
# ultimate-parent ones (in EXCEPTION_REASONS order), then the flags below.
_PARENT = 1 << 20  # an active consolidation parent or head office is on file
_LEVEL2 = 1 << 21  # some Level 2 information exists
_COMPLETE_MASK = sum(1 << EXCEPTION_REASONS.index(r) for r in COMPLETE_REASONS)
_COMPLETE_MASK |= _COMPLETE_MASK << 10
_PARTIAL_MASK = sum(1 << EXCEPTION_REASONS.index(r) for r in PARTIAL_REASONS)
_PARTIAL_MASK |= _PARTIAL_MASK << 10


def ownership_of(bits: int) -> str | None:
    """DESIGN: partial when a parent exists but is not disclosed; complete when the parent is known or none exists."""
    if bits & _PARTIAL_MASK:
        return "partial"
    if bits & (_PARENT | _COMPLETE_MASK):
        return "complete"
    return None


def exceptions_of(bits: int) -> list[tuple[str, str]]:
    """(category, reason) pairs packed in `bits`."""
    out = []
    for c, category in enumerate(EXCEPTION_CATEGORIES):
        for r, reason in enumerate(EXCEPTION_REASONS):
            if bits & (1 << (r + 10 * c)):
                out.append((category, reason))
    return out


@dataclass
class _Level2:
    """What pass 1 keeps for pass 2: small per-LEI facts, never whole records."""

    coverage: dict[str, int] = field(default_factory=dict)
    funds: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # fund LEI → (relation, other LEI)
    nodes: set[str] = field(default_factory=set)  # every LEI a relationship names
    names: dict[str, str] = field(default_factory=dict)  # legal names of fund managers / umbrellas
    dangling: list[str] = field(default_factory=list)  # LEIs named by a relationship, absent from Level 1


@dataclass(frozen=True)
class CheckedGleif:
    """A golden copy that passed every check: its files, description, hashes and counts."""

    files: dict[str, GleifFile]
    meta: DatasetMeta
    content_sha256: str
    file_sha256: dict[str, str]
    counts: dict[str, int]
    dates: dict[str, date]
    level2: _Level2


class _Problems:
    """Collects `file:line:field: message`, keeping the first MAX_PROBLEMS and counting the rest."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.more = 0

    def add(self, label: str, line: int, col: str, message: str) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(f"{label}:{line}:{col}: {message}")
        else:
            self.more += 1

    def for_file(self, gf: GleifFile) -> Callable[[int, str, str], None]:
        return lambda line, col, message: self.add(gf.label, line, col, message)

    def listed(self) -> list[str]:
        return self.items + ([f"… and {self.more:,} more problems"] if self.more else [])


def _is_lei(value: str) -> bool:
    return _LEI_SHAPE.match(value) is not None


def parse_date(value: str) -> date:
    """GLEIF dates: ISO 8601 date-times ('2018-06-15T00:00:00.000Z') or, in older files, Unix milliseconds."""
    v = value.strip()
    if v.isdigit() and len(v) > 8:
        return datetime.fromtimestamp(int(v) / 1000, tz=UTC).date()
    return date.fromisoformat(v[:10])


def _country(value: str | None) -> str | None:
    if not value:
        return None
    code = value.strip().upper()
    return code if is_country(code) else None


def _jurisdiction_country(value: str | None) -> str | None:
    """'US-DE' → 'US'; 'GB' → 'GB'."""
    if not value:
        return None
    return _country(value.strip().split("-", 1)[0])


class _Progress:
    """Records counted, with the total estimated from how far into the file on disk the reader is."""

    def __init__(self, progress: Progress | None, phase: str, size: int) -> None:
        self.progress, self.phase, self.size = progress, phase, max(size, 1)
        self.stream: CountingReader | None = None
        self.last = 0.0

    def opened(self, stream: CountingReader) -> None:
        self.stream = stream

    def tick(self, done: int, total: int | None = None) -> None:
        if self.progress is None:
            return
        now = time.monotonic()
        if done % 2000 and now - self.last < 0.2:
            return
        self.last = now
        if total is None:
            pos = self.stream.position() if self.stream is not None else 0
            total = int(done * self.size / pos) if pos > 0 and done > 0 else 0
            total = max(total, done)
        self.progress(self.phase, done, total)


def _publication(gf: GleifFile, meta: dict[str, str]) -> date:
    content = meta.get("ContentDate", "")
    if content:
        try:
            return parse_date(content)
        except ValueError:
            pass
    if gf.published is not None:
        return gf.published
    return datetime.fromtimestamp(gf.path.stat().st_mtime, tz=UTC).date()


def check_gleif(paths: Sequence[Path], progress: Progress | None = None) -> CheckedGleif:
    """Read and check every record of the golden-copy files; raise DatasetError listing every problem."""
    files = gather(paths)
    problems = _Problems()
    level2 = _Level2()
    dates: dict[str, date] = {}
    hashes: dict[str, str] = {}
    counts = dict.fromkeys(("entities.csv", "names.csv", "identifiers.csv", "relationships.csv"), 0)
    counts["sources.csv"] = len(files)
    fund_parents: set[str] = set()
    if RELATIONSHIPS in files:
        gf = files[RELATIONSHIPS]
        meta: dict[str, str] = {}
        counts["relationships.csv"] = _check_relationships(gf, problems, level2, fund_parents, meta, progress)
        dates[RELATIONSHIPS], hashes[RELATIONSHIPS] = _publication(gf, meta), meta.get("sha256", "")
    if EXCEPTIONS in files:
        gf = files[EXCEPTIONS]
        meta = {}
        _check_exceptions(gf, problems, level2, meta, progress)
        dates[EXCEPTIONS], hashes[EXCEPTIONS] = _publication(gf, meta), meta.get("sha256", "")
    gf = files[LEVEL1]
    meta = {}
    entities, names = _check_level1(gf, problems, level2, fund_parents, meta, progress)
    dates[LEVEL1], hashes[LEVEL1] = _publication(gf, meta), meta.get("sha256", "")
    level2.dangling = sorted(level2.nodes)
    level2.nodes = set()
    counts["entities.csv"] = entities + len(level2.dangling)
    counts["names.csv"] = names
    if problems.items:
        raise DatasetError(", ".join(f.label for f in files.values()), problems.listed())
    as_of = min(dates.values())
    stamp = files[LEVEL1].stamp or dates[LEVEL1].isoformat()
    digest = hashlib.sha256("".join(f"{k}:{hashes[k]};" for k in sorted(hashes)).encode()).hexdigest()
    meta_out = DatasetMeta(
        id=DATASET_ID,
        title="GLEIF golden copy",
        version=stamp,
        as_of=as_of,
        publisher="Global Legal Entity Identifier Foundation (GLEIF)",
        license="CC0 1.0",
        description="Legal entities (Level 1), their accounting-consolidation parents (Level 2) and the "
        "reasons given where no parent is reported.",
    )
    return CheckedGleif(files, meta_out, digest, hashes, counts, dates, level2)


def _check_relationships(
    gf: GleifFile,
    problems: _Problems,
    level2: _Level2,
    fund_parents: set[str],
    meta: dict[str, str],
    progress: Progress | None,
) -> int:
    p = problems.for_file(gf)
    ticker = _Progress(progress, f"Checking {KIND_TITLES[RELATIONSHIPS]}", gf.size())
    count = 0
    for n, (line, row) in enumerate(read_rows(gf, p, meta, ticker.opened), 1):
        ticker.tick(n)
        rel = _relationship_fields(row, line, p)
        if rel is None:
            continue
        child, parent, rtype, active, _start, end = rel
        if rtype in FUND_RELATIONS:
            level2.coverage[child] = level2.coverage.get(child, 0) | _LEVEL2
            if active:
                level2.funds.setdefault(child, []).append((rtype, parent))
                fund_parents.add(parent)
            continue
        level2.nodes.add(child)
        level2.nodes.add(parent)
        flag = _PARENT if active and (end is None or end > date.today()) else 0
        level2.coverage[child] = level2.coverage.get(child, 0) | _LEVEL2 | flag
        count += 1
    return count


def _relationship_fields(
    row: Row, line: int, p: Callable[[int, str, str], None]
) -> tuple[str, str, str, bool, date | None, date | None] | None:
    """(child, parent, type, active, start, end) of one relationship record, or None with problems reported."""
    ok = True
    leis = []
    for col in ("Relationship.StartNode.NodeID", "Relationship.EndNode.NodeID"):
        value = row.get(col, "").upper()
        if not value:
            p(line, col, "required value is empty")
            ok = False
        elif not _is_lei(value):
            p(line, col, f"{value[:40]!r} is not a valid LEI")
            ok = False
        leis.append(value)
    rtype = row.get("Relationship.RelationshipType", "")
    if rtype not in PARENT_RELATIONS and rtype not in FUND_RELATIONS:
        known = ", ".join(sorted(PARENT_RELATIONS | FUND_RELATIONS))
        p(line, "Relationship.RelationshipType", f"unknown relationship type {rtype[:60]!r} (known: {known})")
        ok = False
    status = row.get("Relationship.RelationshipStatus", "")
    if status not in RELATIONSHIP_STATUSES:
        p(line, "Relationship.RelationshipStatus", f"{status[:40]!r} is not ACTIVE or INACTIVE")
        ok = False
    start = end = None
    # Dates come from the RELATIONSHIP_PERIOD slot only (not accounting or filing periods).
    for i in range(1, 10):
        kind = row.get(f"Relationship.Period.{i}.periodType")
        if kind is None:
            if f"Relationship.Period.{i}.startDate" not in row and i > 5:
                break
            continue
        if kind != "RELATIONSHIP_PERIOD":
            continue
        for key in ("startDate", "endDate"):
            raw = row.get(f"Relationship.Period.{i}.{key}")
            if not raw:
                continue
            try:
                day = parse_date(raw)
            except (ValueError, OverflowError, OSError):
                p(line, f"Relationship.Period.{i}.{key}", f"{raw[:40]!r} is not a date")
                ok = False
                continue
            if key == "startDate":
                start = day
            else:
                end = day
    if start and end and end < start:
        p(line, "Relationship.Period", f"the relationship period ends ({end}) before it starts ({start})")
        ok = False
    if not ok:
        return None
    if leis[0] == leis[1]:
        p(line, "Relationship.EndNode.NodeID", "a relationship from an entity to itself")
        return None
    return leis[0], leis[1], rtype, status == "ACTIVE", start, end


def _check_exceptions(
    gf: GleifFile, problems: _Problems, level2: _Level2, meta: dict[str, str], progress: Progress | None
) -> None:
    p = problems.for_file(gf)
    ticker = _Progress(progress, f"Checking {KIND_TITLES[EXCEPTIONS]}", gf.size())
    for n, (line, row) in enumerate(read_rows(gf, p, meta, ticker.opened), 1):
        ticker.tick(n)
        lei = row.get("LEI", "").upper()
        ok = True
        if not lei:
            p(line, "LEI", "required value is empty")
            ok = False
        elif not _is_lei(lei):
            p(line, "LEI", f"{lei[:40]!r} is not a valid LEI")
            ok = False
        category = row.get("ExceptionCategory", "")
        if category not in EXCEPTION_CATEGORIES:
            p(line, "ExceptionCategory", f"unknown exception category {category[:60]!r} "
              f"(known: {', '.join(EXCEPTION_CATEGORIES)})")
            ok = False
        bits = 0
        reasons = [v for k, v in row.items() if k.startswith("ExceptionReason.")]
        if not reasons:
            p(line, "ExceptionReason", "required value is empty")
            ok = False
        for reason in reasons:
            if reason not in EXCEPTION_REASONS:
                p(line, "ExceptionReason", f"unknown exception reason {reason[:60]!r} "
                  f"(known: {', '.join(EXCEPTION_REASONS)})")
                ok = False
            elif ok:
                bits |= 1 << (EXCEPTION_REASONS.index(reason) + 10 * EXCEPTION_CATEGORIES.index(category))
        if ok:
            level2.coverage[lei] = level2.coverage.get(lei, 0) | _LEVEL2 | bits


def _check_level1(
    gf: GleifFile,
    problems: _Problems,
    level2: _Level2,
    fund_parents: set[str],
    meta: dict[str, str],
    progress: Progress | None,
) -> tuple[int, int]:
    p = problems.for_file(gf)
    ticker = _Progress(progress, f"Checking {KIND_TITLES[LEVEL1]}", gf.size())
    seen = array("q")  # hashes of every LEI: duplicates found by sorting, in 8 bytes per record
    entities = names = 0
    for n, (line, row) in enumerate(read_rows(gf, p, meta, ticker.opened), 1):
        ticker.tick(n)
        entity, entity_names = _level1_record(row, line, p, None)
        if entity is None:
            continue
        lei = entity.lei or ""
        seen.append(hash(lei))
        level2.nodes.discard(lei)
        if lei in fund_parents:
            level2.names[lei] = entity.name
        entities += 1
        names += len(entity_names)
    if len(seen) != len(set(seen)):
        _report_duplicates(gf, seen, p)
    return entities, names


def _report_duplicates(gf: GleifFile, seen: array[int], p: Callable[[int, str, str], None]) -> None:
    counts: dict[int, int] = {}
    for h in seen:
        counts[h] = counts.get(h, 0) + 1
    suspects = {h for h, c in counts.items() if c > 1}
    first: dict[str, int] = {}
    for line, row in read_rows(gf, lambda *_: None, {}):
        lei = row.get("LEI", "").upper()
        if hash(lei) not in suspects:
            continue
        if lei in first:
            p(line, "LEI", f"LEI {lei} is also given on line {first[lei]}")
        else:
            first[lei] = line


def _level1_record(
    row: Row, line: int, p: Callable[[int, str, str], None], level2: _Level2 | None
) -> tuple[EntityRecord | None, list[NameRecord]]:
    """One Level 1 record as an entity and its other names; with `level2`, its ownership and notes."""
    ok = True
    lei = row.get("LEI", "").upper()
    if not lei:
        p(line, "LEI", "required value is empty")
        ok = False
    elif not _is_lei(lei):
        p(line, "LEI", f"{lei[:40]!r} is not a valid LEI")
        ok = False
    name = row.get("Entity.LegalName", "")
    if not name:
        p(line, "Entity.LegalName", "required value is empty")
        ok = False
    category = row.get("Entity.EntityCategory", "")
    kind = ENTITY_KINDS.get(category)
    if kind is None:
        p(line, "Entity.EntityCategory", f"unknown entity category {category[:60]!r} "
          f"(known: {', '.join(k for k in ENTITY_KINDS if k)})")
        ok = False
    entity_id = f"lei:{lei}"
    entity_names: list[NameRecord] = []
    seen_names = {name.casefold()}
    for prefix, transliterated in _NAME_GROUPS:
        for i in range(1, 100):
            other = row.get(f"{prefix}.{i}")
            if other is None:
                if f"{prefix}.{i}.type" not in row and i > 5:
                    break
                continue
            ntype = row.get(f"{prefix}.{i}.type", "")
            mapped = NAME_TYPES.get(ntype)
            if transliterated and ntype == "":
                mapped = "transliteration"
            if mapped is None:
                p(line, f"{prefix}.{i}.type", f"unknown name type {ntype[:60]!r} (known: {', '.join(NAME_TYPES)})")
                ok = False
                continue
            if other.casefold() in seen_names:
                continue
            seen_names.add(other.casefold())
            lang = row.get(f"{prefix}.{i}.xmllang") if mapped == "local" else None
            entity_names.append(NameRecord(entity_id, other, mapped, lang or None, LEVEL1))
    if not ok or kind is None:
        return None, []
    registration = row.get("Registration.RegistrationStatus", "")
    inactive = row.get("Entity.EntityStatus", "") == "INACTIVE" or registration in INACTIVE_REGISTRATIONS
    ownership = note = None
    if level2 is not None:
        bits = level2.coverage.get(lei, 0)
        ownership = ownership_of(bits)
        lines = [exception_note(category_, reason) for category_, reason in exceptions_of(bits)]
        for relation, other_lei in level2.funds.get(lei, []):
            lines.append(fund_note(relation, other_lei, level2.names.get(other_lei)))
        note = "\n".join(lines) or None
    entity = EntityRecord(
        id=entity_id,
        kind=kind,
        name=name,
        hq_country=_country(row.get("Entity.HeadquartersAddress.Country")),
        incorporation_country=_jurisdiction_country(row.get("Entity.LegalJurisdiction"))
        or _country(row.get("Entity.LegalAddress.Country")),
        residence_country=None,
        status="inactive" if inactive else "active",
        ownership=ownership,
        lei=lei,
        website=None,
        source_id=LEVEL1,
        note=note,
    )
    return entity, entity_names


def gleif_records(checked: CheckedGleif, progress: Progress | None = None) -> Iterator[tuple[str, Record]]:
    """The canonical records of a checked golden copy; Level 1 and relationships are re-read, not kept.

    Raises DatasetError if a file changed since it was checked.
    """
    level2 = checked.level2
    for kind, gf in checked.files.items():
        yield "sources.csv", SourceRecord(
            id=kind,
            title=f"GLEIF golden copy, {KIND_TITLES[kind]} ({gf.label})",
            url=DOWNLOAD_PAGES[kind],
            publisher="Global Legal Entity Identifier Foundation (GLEIF)",
            as_of=checked.dates[kind],
            license="CC0 1.0",
        )
    problems = _Problems()
    gf = checked.files[LEVEL1]
    meta: dict[str, str] = {}
    entities: list[Record] = []
    names: list[Record] = []
    for line, row in read_rows(gf, problems.for_file(gf), meta):
        entity, entity_names = _level1_record(row, line, problems.for_file(gf), level2)
        if entity is None:
            continue
        entities.append(entity)
        names.extend(entity_names)
        if len(entities) >= CHUNK:
            yield from (("entities.csv", e) for e in entities)
            yield from (("names.csv", n) for n in names)
            entities, names = [], []
    _same(checked, LEVEL1, meta, problems)
    for lei in level2.dangling:
        # A parent Level 1 does not describe: kept, named by its LEI, so the chain shows where it leads.
        entities.append(
            EntityRecord(f"lei:{lei}", "company", lei, None, None, None, "active",
                         ownership_of(level2.coverage.get(lei, 0)), lei, None, RELATIONSHIPS)
        )
    yield from (("entities.csv", e) for e in entities)
    yield from (("names.csv", n) for n in names)
    level2.coverage.clear()
    level2.funds.clear()
    if RELATIONSHIPS not in checked.files:
        return
    gf = checked.files[RELATIONSHIPS]
    meta = {}
    rr_date = checked.dates[RELATIONSHIPS]
    p = problems.for_file(gf)
    for n, (line, row) in enumerate(read_rows(gf, p, meta), 1):
        rel = _relationship_fields(row, line, p)
        if rel is None:
            continue
        child, parent, rtype, active, start, end = rel
        if rtype in FUND_RELATIONS:
            continue
        if not active and (end is None or end > rr_date):
            # Inactive in the register: it ended, on a date the record does not state, by the file's date.
            end = max(rr_date, start) if start else rr_date
        share = _quantifier(row)
        yield "relationships.csv", RelationshipRecord(
            owner_id=f"lei:{parent}",
            owned_id=f"lei:{child}",
            kind="control",
            share_min=share,
            share_max=share,
            start_date=start,
            end_date=end,
            source_id=RELATIONSHIPS,
            note=relationship_note(rtype, n),
        )
    _same(checked, RELATIONSHIPS, meta, problems)


def _quantifier(row: Row) -> float | None:
    """A consolidation percentage, where the record gives one in percent."""
    for i in range(1, 6):
        amount = row.get(f"Relationship.Quantifiers.{i}.QuantifierAmount")
        if amount is None:
            continue
        if row.get(f"Relationship.Quantifiers.{i}.QuantifierUnits", "PERCENTAGE") != "PERCENTAGE":
            continue
        try:
            value = float(amount)
        except ValueError:
            continue
        if 0.0 <= value <= 100.0:
            return value
    return None


def _same(checked: CheckedGleif, kind: str, meta: dict[str, str], problems: _Problems) -> None:
    if problems.items or meta.get("sha256") != checked.file_sha256.get(kind):
        gf = checked.files[kind]
        raise DatasetError(gf.label, problems.listed() or [f"{gf.label}:0:-: the file changed while importing"])
