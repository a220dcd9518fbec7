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

from desktop_app.domain.countries import country_names
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
DOWNLOAD_PAGE = "https://www.gleif.org/en/lei-data/gleif-golden-copy/download-the-golden-copy"
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
_REASON_MASK = (1 << 20) - 1
_COUNTRIES = frozenset(country_names())


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
    """What the Level 2 pass keeps for Level 1: small per-LEI facts, never whole records."""

    coverage: dict[str, int] = field(default_factory=dict)
    funds: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # fund LEI → (relation, other LEI)
    nodes: set[str] = field(default_factory=set)  # every LEI a relationship names


@dataclass
class CheckedGleif:
    """A golden copy whose Level 2 files passed every check; Level 1 is checked while it is read.

    `counts` starts with an estimate of the Level 1 records (for progress) and holds the true counts,
    and `content_sha256` the hash of all three files, once `gleif_records` has run to its end.
    """

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
    """Find the golden-copy files and check every Level 2 record; raise DatasetError listing every problem.

    Level 1, by far the largest file, is read once, by `gleif_records`, which checks it as it goes.
    """
    files = gather(paths)
    problems = _Problems()
    level2 = _Level2()
    dates: dict[str, date] = {}
    hashes: dict[str, str] = {}
    counts = dict.fromkeys(("entities.csv", "names.csv", "identifiers.csv", "relationships.csv"), 0)
    counts["sources.csv"] = len(files)
    if RELATIONSHIPS in files:
        gf = files[RELATIONSHIPS]
        meta: dict[str, str] = {}
        counts["relationships.csv"] = _check_relationships(gf, problems, level2, meta, progress)
        dates[RELATIONSHIPS], hashes[RELATIONSHIPS] = _publication(gf, meta), meta.get("sha256", "")
    if EXCEPTIONS in files:
        gf = files[EXCEPTIONS]
        meta = {}
        _check_exceptions(gf, problems, level2, meta, progress)
        dates[EXCEPTIONS], hashes[EXCEPTIONS] = _publication(gf, meta), meta.get("sha256", "")
    if problems.items:
        # Nothing will be written: list Level 1's problems too, so that one round of fixes is enough.
        gf = files[LEVEL1]
        p = problems.for_file(gf)
        for line, row in read_rows(gf, p, {}):
            _level1_record(row, line, p, level2)
        raise DatasetError(", ".join(f.label for f in files.values()), problems.listed())
    gf = files[LEVEL1]
    dates[LEVEL1] = _publication(gf, {"ContentDate": gf.content_date() or ""})
    counts["entities.csv"] = gf.estimate_records()
    as_of = min(dates.values())
    stamp = gf.stamp or dates[LEVEL1].isoformat()
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
    return CheckedGleif(files, meta_out, _digest(hashes), hashes, counts, dates, level2)


def _digest(hashes: dict[str, str]) -> str:
    return hashlib.sha256("".join(f"{k}:{hashes[k]};" for k in sorted(hashes)).encode()).hexdigest()


def _check_relationships(
    gf: GleifFile, problems: _Problems, level2: _Level2, meta: dict[str, str], progress: Progress | None
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
            continue
        level2.nodes.add(child)
        level2.nodes.add(parent)
        flag = _PARENT if active and (end is None or end > date.today()) else 0
        level2.coverage[child] = level2.coverage.get(child, 0) | _LEVEL2 | flag
        count += 1
    return count


_PERIOD_KEYS = tuple(
    (
        f"Relationship.Period.{i}.periodType",
        ((f"Relationship.Period.{i}.startDate", True), (f"Relationship.Period.{i}.endDate", False)),
    )
    for i in range(1, 11)
)


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
    for type_key, date_keys in _PERIOD_KEYS:
        if row.get(type_key) != "RELATIONSHIP_PERIOD":
            continue
        for key, is_start in date_keys:
            raw = row.get(key)
            if not raw:
                continue
            try:
                day = parse_date(raw)
            except (ValueError, OverflowError, OSError):
                p(line, key, f"{raw[:40]!r} is not a date")
                ok = False
                continue
            if is_start:
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
        reasons = [v for k, v in row.items() if v and k.startswith("ExceptionReason.")]
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


def _report_duplicates(gf: GleifFile, seen: array[int], p: Callable[[int, str, str], None]) -> None:
    """Name the lines of LEIs given twice (rare: found by their hashes, confirmed by a second read)."""
    counts: dict[int, int] = {}
    for h in seen:
        counts[h] = counts.get(h, 0) + 1
    suspects = {h for h, c in counts.items() if c > 1}
    first: dict[str, int] = {}
    for line, row in read_rows(gf, lambda *_: None, {}):
        code = row.get("LEI", "").upper()
        if hash(code) not in suspects:
            continue
        if code in first:
            p(line, "LEI", f"LEI {code} is also given on line {first[code]}")
        else:
            first[code] = line


# (value, type, language) keys of other names, numbered from 1 without gaps as the golden copy numbers them.
_NAME_KEYS = tuple(
    (
        transliterated,
        tuple((f"{prefix}.{i}", f"{prefix}.{i}.type", f"{prefix}.{i}.xmllang") for i in range(1, 21)),
    )
    for prefix, transliterated in (
        ("Entity.OtherEntityNames.OtherEntityName", False),
        ("Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName", True),
    )
)


def _names(row: Row, entity_id: str, legal: str, line: int, p: Callable[[int, str, str], None]) -> list[NameRecord]:
    """Other names of a Level 1 record."""
    out: list[NameRecord] = []
    seen = {legal.casefold()}
    get = row.get
    for transliterated, keys in _NAME_KEYS:
        for key, type_key, lang_key in keys:
            value = get(key)
            if not value:
                break
            _one_name(out, seen, entity_id, value, get(type_key) or "", get(lang_key), transliterated, type_key,
                      line, p)
    return out


def _one_name(
    out: list[NameRecord],
    seen: set[str],
    entity_id: str,
    value: str,
    ntype: str,
    lang: str | None,
    transliterated: bool,
    type_key: str,
    line: int,
    p: Callable[[int, str, str], None],
) -> None:
    mapped = NAME_TYPES.get(ntype) or ("transliteration" if transliterated and not ntype else None)
    if mapped is None:
        p(line, type_key, f"unknown name type {ntype[:60]!r} (known: {', '.join(NAME_TYPES)})")
        return
    folded = value.casefold()
    if folded in seen:
        return
    seen.add(folded)
    out.append(NameRecord(entity_id, value, mapped, (lang or None) if mapped == "local" else None, LEVEL1))


def _level1_record(
    row: Row, line: int, p: Callable[[int, str, str], None], level2: _Level2
) -> tuple[EntityRecord | None, list[NameRecord]]:
    """One Level 1 record as an entity (with its ownership and register notes) and its other names."""
    ok = True
    code = row.get("LEI", "").upper()
    if not code:
        p(line, "LEI", "required value is empty")
        ok = False
    elif not _is_lei(code):
        p(line, "LEI", f"{code[:40]!r} is not a valid LEI")
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
    entity_id = "lei:" + code
    names = _names(row, entity_id, name, line, p)
    if not ok or kind is None:
        return None, []
    countries = _COUNTRIES
    hq = row.get("Entity.HeadquartersAddress.Country")
    jurisdiction = row.get("Entity.LegalJurisdiction")
    legal = row.get("Entity.LegalAddress.Country")
    incorporation = jurisdiction[:2] if jurisdiction and jurisdiction[:2] in countries else None
    if incorporation is None and legal in countries:
        incorporation = legal
    inactive = (
        row.get("Entity.EntityStatus") == "INACTIVE"
        or row.get("Registration.RegistrationStatus") in INACTIVE_REGISTRATIONS
    )
    bits = level2.coverage.get(code, 0)
    note = None
    funds = level2.funds.get(code)
    if bits & _REASON_MASK or funds:
        lines = [exception_note(c, r) for c, r in exceptions_of(bits)]
        lines.extend(fund_note(relation, other, None) for relation, other in funds or ())
        note = "\n".join(lines)
    entity = EntityRecord(
        id=entity_id,
        kind=kind,
        name=name,
        hq_country=hq if hq in countries else None,
        incorporation_country=incorporation,
        residence_country=None,
        status="inactive" if inactive else "active",
        ownership=ownership_of(bits),
        lei=code,
        website=None,
        source_id=LEVEL1,
        note=note,
    )
    return entity, names


def gleif_records(checked: CheckedGleif, progress: Progress | None = None) -> Iterator[tuple[str, Record]]:
    """The canonical records of a golden copy: Level 1 is read and checked once, here.

    Records are yielded until a Level 1 problem appears; reading goes on to list every problem, then
    DatasetError is raised, so the loader's transaction is rolled back and nothing changes. Raises
    DatasetError too if the relationship file changed since it was checked.
    """
    level2 = checked.level2
    for kind, gf in checked.files.items():
        yield "sources.csv", SourceRecord(
            id=kind,
            title=f"GLEIF golden copy, {KIND_TITLES[kind]} ({gf.label})",
            url=DOWNLOAD_PAGE,
            publisher="Global Legal Entity Identifier Foundation (GLEIF)",
            as_of=checked.dates[kind],
            license="CC0 1.0",
        )
    problems = _Problems()
    gf = checked.files[LEVEL1]
    p = problems.for_file(gf)
    meta: dict[str, str] = {}
    seen = array("q")  # hashes of every LEI: duplicates found by sorting, in 8 bytes per record
    entities: list[Record] = []
    names: list[Record] = []
    n_entities = n_names = 0
    for line, row in read_rows(gf, p, meta):
        entity, entity_names = _level1_record(row, line, p, level2)
        if entity is None or problems.items:
            continue
        code = entity.lei or ""
        seen.append(hash(code))
        level2.nodes.discard(code)
        entities.append(entity)
        names.extend(entity_names)
        if len(entities) >= CHUNK:
            n_entities, n_names = n_entities + len(entities), n_names + len(names)
            yield from (("entities.csv", e) for e in entities)
            yield from (("names.csv", n) for n in names)
            entities, names = [], []
    if not problems.items and len(seen) != len(set(seen)):
        _report_duplicates(gf, seen, p)
    if problems.items:
        raise DatasetError(gf.label, problems.listed())
    checked.file_sha256[LEVEL1] = meta.get("sha256", "")
    for code in sorted(level2.nodes):
        # A parent Level 1 does not describe: kept, named by its LEI, so the chain shows where it leads.
        entities.append(
            EntityRecord(f"lei:{code}", "company", code, None, None, None, "active",
                         ownership_of(level2.coverage.get(code, 0)), code, None, RELATIONSHIPS)
        )
    n_entities, n_names = n_entities + len(entities), n_names + len(names)
    yield from (("entities.csv", e) for e in entities)
    yield from (("names.csv", n) for n in names)
    level2.coverage.clear()
    level2.funds.clear()
    level2.nodes.clear()
    checked.counts["entities.csv"], checked.counts["names.csv"] = n_entities, n_names
    if RELATIONSHIPS in checked.files:
        yield from _relationships(checked, problems)
    checked.content_sha256 = _digest(checked.file_sha256)


def _relationships(checked: CheckedGleif, problems: _Problems) -> Iterator[tuple[str, Record]]:
    gf = checked.files[RELATIONSHIPS]
    meta: dict[str, str] = {}
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
    if problems.items or meta.get("sha256") != checked.file_sha256.get(RELATIONSHIPS):
        raise DatasetError(gf.label, problems.listed() or [f"{gf.label}:0:-: the file changed while importing"])


def _quantifier(row: Row) -> float | None:
    """A consolidation percentage, where the record gives one in percent."""
    for i in range(1, 6):
        amount = row.get(f"Relationship.Quantifiers.{i}.QuantifierAmount")
        if amount is None:
            continue
        if (row.get(f"Relationship.Quantifiers.{i}.QuantifierUnits") or "PERCENTAGE") != "PERCENTAGE":
            continue
        try:
            value = float(amount)
        except ValueError:
            continue
        if 0.0 <= value <= 100.0:
            return value
    return None
