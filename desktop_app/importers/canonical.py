"""Reads the canonical dataset format (a folder or a .zip of one) and validates every field."""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import itertools
import re
import tomllib
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import IO, Any

from desktop_app.domain.countries import is_country
from desktop_app.domain.identifiers import is_valid_lei, registrable_domain
from desktop_app.importers.records import (
    CanonicalDataset,
    DatasetError,
    DatasetMeta,
    EntityRecord,
    IdentifierRecord,
    NameRecord,
    RelationshipRecord,
    SourceRecord,
)

COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # file: (all columns, required columns)
    "entities.csv": (
        (
            "id",
            "kind",
            "name",
            "hq_country",
            "incorporation_country",
            "residence_country",
            "status",
            "ownership",
            "lei",
            "website",
            "source_id",
            "public_float",
        ),
        ("id", "kind", "name"),
    ),
    "names.csv": (("entity_id", "name", "type", "lang", "source_id"), ("entity_id", "name")),
    "identifiers.csv": (("entity_id", "scheme", "value", "source_id"), ("entity_id", "scheme", "value")),
    "relationships.csv": (
        ("owner_id", "owned_id", "kind", "share_min", "share_max", "start_date", "end_date", "source_id", "note"),
        ("owner_id", "owned_id", "kind"),
    ),
    "sources.csv": (("id", "title", "url", "publisher", "as_of", "license"), ("id",)),
}
REQUIRED_FILES = ("dataset.toml", "entities.csv", "sources.csv")
META_KEYS = {"id", "title", "version", "as_of", "publisher", "license", "description"}
ENTITY_KINDS = {"company", "person", "state_body", "fund", "other"}
NAME_TYPES = {"alias", "former", "local", "trade", "transliteration"}
REL_KINDS = {"ownership", "voting", "control"}
_ID = re.compile(r"^[^\s:][^:]{0,199}$")
_DATASET_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_SCHEME = re.compile(r"^[a-z][a-z0-9_.-]{0,49}$")
MAX_FIELD = 10_000
Progress = Callable[[str, int], None]


class _Reader:
    """Uniform access to the files of a folder or a zip archive (never extracted to disk)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.hasher = hashlib.sha256()
        self.files: dict[str, Callable[[], bytes]] = {}
        self.members: dict[str, zipfile.ZipInfo] = {}
        self.archive: zipfile.ZipFile | None = None
        if path.is_dir():
            for child in sorted(path.iterdir()):
                if child.is_file():
                    self.files[child.name] = child.read_bytes
        elif zipfile.is_zipfile(path):
            archive = zipfile.ZipFile(path)
            members = [m for m in archive.infolist() if not m.is_dir()]
            names = [PurePosixPath(m.filename) for m in members]
            roots = {p.parts[0] for p in names if len(p.parts) > 1}
            prefix = ""
            if not any(len(p.parts) == 1 and p.name == "dataset.toml" for p in names) and len(roots) == 1:
                prefix = next(iter(roots)) + "/"
            for member in members:
                if member.filename.startswith(prefix) and "/" not in member.filename[len(prefix) :]:
                    self.files[member.filename[len(prefix) :]] = functools.partial(archive.read, member)
                    self.members[member.filename[len(prefix) :]] = member
            self.archive = archive
        else:
            raise DatasetError(str(path), [f"{path}: not a dataset folder or .zip archive"])

    def read(self, name: str) -> bytes | None:
        loader = self.files.get(name)
        if loader is None:
            return None
        data = loader()
        self.hasher.update(name.encode() + b"\0" + data + b"\0")
        return data

    def open(self, name: str) -> io.RawIOBase | None:
        """A binary stream of one file; what is read is added to the content hash."""
        if name not in self.files:
            return None
        if self.archive is not None:
            raw: IO[bytes] = self.archive.open(self.members[name])
        else:
            raw = (self.path / name).open("rb")
        self.hasher.update(name.encode() + b"\0")
        return _Hashing(raw, self.hasher)


class _Hashing(io.RawIOBase):
    """Passes reads through and feeds them to a hash."""

    def __init__(self, raw: IO[bytes], hasher: Any) -> None:
        self.raw, self.hasher = raw, hasher

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        self.hasher.update(data)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.raw.close()
        super().close()


@dataclass(frozen=True)
class CheckedDataset:
    """A dataset that passed every check: its description, content hash and row counts."""

    path: Path
    meta: DatasetMeta
    content_sha256: str
    counts: dict[str, int]


TABLE_ORDER = ("sources.csv", "entities.csv", "names.csv", "identifiers.csv", "relationships.csv")
Record = SourceRecord | EntityRecord | NameRecord | IdentifierRecord | RelationshipRecord


def check_dataset(path: Path, progress: Progress | None = None) -> CheckedDataset:
    """Read and check every field of a dataset without keeping its rows; raise DatasetError listing every problem."""
    reader, problems = _open_reader(path)
    counts: dict[str, int] = dict.fromkeys(TABLE_ORDER, 0)
    meta = _read_meta(reader.read("dataset.toml") or b"", problems)
    for table, _ in _scan(reader, problems, progress):
        counts[table] += 1
    if problems or meta is None:
        raise DatasetError(str(path), problems or ["dataset.toml:0:-: unusable"])
    return CheckedDataset(path, meta, reader.hasher.hexdigest(), counts)


def dataset_records(checked: CheckedDataset) -> Iterator[tuple[str, Record]]:
    """The records of a checked dataset, table by table (sources first); re-read, not kept in memory.

    Raises DatasetError if the files changed since they were checked.
    """
    reader, problems = _open_reader(checked.path)
    _read_meta(reader.read("dataset.toml") or b"", problems)
    yield from _scan(reader, problems, None)
    if problems or reader.hasher.hexdigest() != checked.content_sha256:
        raise DatasetError(str(checked.path), problems or [f"{checked.path}: the files changed while importing"])


class DatasetStream:
    """A dataset read once: its records are checked as they are read and handed on while none has failed.

    `records()` goes on reading after a problem, to report every one, but hands on nothing more, and at
    the end raises DatasetError listing them all: a loader that writes inside one transaction and lets
    the error roll it back imports the dataset whole or not at all, reading the files only once.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._reader, self.problems = _open_reader(path)
        meta = _read_meta(self._reader.read("dataset.toml") or b"", self.problems)
        if self.problems or meta is None:
            raise DatasetError(str(path), self.problems or ["dataset.toml:0:-: unusable"])
        self.meta: DatasetMeta = meta
        self.counts: dict[str, int] = dict.fromkeys(TABLE_ORDER, 0)

    def size_hint(self, *names: str) -> int:
        """Uncompressed bytes of the named files (0 for those missing)."""
        total = 0
        for name in names:
            if name in self._reader.members:
                total += self._reader.members[name].file_size
            elif name in self._reader.files and self._reader.archive is None:
                total += (self.path / name).stat().st_size
        return total

    def records(self, progress: Progress | None = None) -> Iterator[tuple[str, Record]]:
        counts, problems = self.counts, self.problems
        for table, record in _scan(self._reader, problems, progress):
            if not problems:
                counts[table] += 1
                yield table, record
        if problems:
            raise DatasetError(str(self.path), problems)

    @property
    def content_sha256(self) -> str:
        """The hash of everything read (complete once `records()` is exhausted)."""
        return self._reader.hasher.hexdigest()


def _open_reader(path: Path) -> tuple[_Reader, list[str]]:
    reader = _Reader(path)
    problems: list[str] = []
    for name in REQUIRED_FILES:
        if name not in reader.files:
            problems.append(f"{name}:0:-: required file is missing")
    for name in reader.files:
        if name.endswith(".csv") and name not in COLUMNS:
            problems.append(f"{name}:0:-: unknown file (expected one of {', '.join(sorted(COLUMNS))})")
    if problems:
        raise DatasetError(str(path), problems)
    return reader, problems


def read_dataset(path: Path, progress: Progress | None = None) -> CanonicalDataset:
    """Check a dataset and return all its records in memory (for small datasets and tests)."""
    checked = check_dataset(path, progress)
    ds = CanonicalDataset(meta=checked.meta, content_sha256=checked.content_sha256)
    lists: dict[str, list[Any]] = {
        "sources.csv": ds.sources,
        "entities.csv": ds.entities,
        "names.csv": ds.names,
        "identifiers.csv": ds.identifiers,
        "relationships.csv": ds.relationships,
    }
    for table, record in dataset_records(checked):
        lists[table].append(record)
    return ds


def _read_meta(raw: bytes, problems: list[str]) -> DatasetMeta | None:
    f = "dataset.toml"
    try:
        doc: dict[str, Any] = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        problems.append(f"{f}:0:-: not UTF-8 ({exc.reason} at byte {exc.start})")
        return None
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"{f}:{getattr(exc, 'lineno', 0)}:-: not valid TOML: {exc}")
        return None
    for key in sorted(set(doc) - META_KEYS):
        problems.append(f"{f}:0:{key}: unknown key")
    for key in ("id", "title", "version", "as_of"):
        if key not in doc:
            problems.append(f"{f}:0:{key}: required key is missing")
    dataset_id = str(doc.get("id", ""))
    if "id" in doc and not _DATASET_ID.match(dataset_id):
        problems.append(f"{f}:0:id: {dataset_id!r} must be letters, digits, '.', '_' or '-' (at most 100)")
    as_of = doc.get("as_of")
    if isinstance(as_of, str):
        try:
            as_of = date.fromisoformat(as_of)
        except ValueError:
            problems.append(f"{f}:0:as_of: {as_of!r} is not a date (YYYY-MM-DD)")
            as_of = None
    elif "as_of" in doc and not isinstance(as_of, date):
        problems.append(f"{f}:0:as_of: {as_of!r} is not a date (YYYY-MM-DD)")
        as_of = None
    if not isinstance(as_of, date):
        return None
    return DatasetMeta(
        id=dataset_id,
        title=str(doc.get("title", "")),
        version=str(doc.get("version", "")),
        as_of=as_of,
        publisher=str(doc.get("publisher", "")),
        license=str(doc.get("license", "")),
        description=str(doc.get("description", "")),
    )


def _rows(
    name: str, stream: io.RawIOBase, whole: Callable[[], bytes], problems: list[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    text = io.TextIOWrapper(io.BufferedReader(stream, 1 << 20), encoding="utf-8-sig", newline="")
    try:
        yield from _csv_rows(name, text, problems)
    except UnicodeDecodeError:
        data = whole()  # only on this error path: find the offending byte and its line
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            problems.append(
                f"{name}:{line}:-: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                "save the file as UTF-8"
            )
    finally:
        text.close()


def _sniff_delimiter(header_line: str) -> str:
    """',' unless the header row is plainly separated by ';' or tabs (a spreadsheet saved in a European locale)."""
    counts = {sep: header_line.count(sep) for sep in ",;\t"}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > counts[","] else ","


def _csv_rows(name: str, text: IO[str], problems: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    columns, required = COLUMNS[name]
    first = text.readline()
    delimiter = _sniff_delimiter(first)
    reader = csv.reader(itertools.chain([first] if first else [], text), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        problems.append(f"{name}:1:-: empty file (a header row is required)")
        return
    except csv.Error as exc:
        problems.append(f"{name}:1:-: {exc}")
        return
    header = [h.strip() for h in header]
    bad = False
    for col in header:
        if col not in columns:
            hint = ""
            if any(sep in col for sep in ";\t|"):
                hint = "; the fields seem to be separated by something other than commas — save the file as CSV"
            problems.append(f"{name}:1:{col}: unknown column (allowed: {', '.join(columns)}){hint}")
            bad = True
    for col in required:
        if col not in header:
            problems.append(f"{name}:1:{col}: required column is missing")
            bad = True
    if len(set(header)) != len(header):
        problems.append(f"{name}:1:-: a column appears twice")
        bad = True
    if bad:
        return
    try:
        for row in reader:
            line = reader.line_num
            if not row or row == [""]:
                continue
            if len(row) != len(header):
                problems.append(f"{name}:{line}:-: {len(row)} fields, the header has {len(header)}")
                continue
            record = {}
            for col, value in zip(header, row, strict=True):
                if len(value) > MAX_FIELD:
                    problems.append(f"{name}:{line}:{col}: value longer than {MAX_FIELD} characters")
                record[col] = value.strip()
            yield line, record
    except csv.Error as exc:
        message = "contains a NUL character" if "NUL" in str(exc) else str(exc)
        problems.append(f"{name}:{reader.line_num}:-: {message}")


def _opt(value: str | None) -> str | None:
    return value if value else None


def _scan(reader: _Reader, problems: list[str], progress: Progress | None) -> Iterator[tuple[str, Record]]:
    """Check every row of every table in order, yielding the records; problems are collected, not raised."""

    def rows(f: str) -> Iterator[tuple[int, dict[str, str]]]:
        stream = reader.open(f)
        if stream is None:
            return
        n = 0
        for n, (line, r) in enumerate(_rows(f, stream, reader.files[f], problems), 1):
            if progress and n % 100_000 == 0:
                progress(f"Checking {f}", n)
            yield line, r
        if progress:
            progress(f"Checked {f}", n)

    def err(f: str, line: int, col: str, msg: str) -> None:
        problems.append(f"{f}:{line}:{col}: {msg}")

    def parse_date(f: str, line: int, col: str, value: str) -> date | None:
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            err(f, line, col, f"{value!r} is not a date (YYYY-MM-DD)")
            return None

    def country(f: str, line: int, col: str, value: str) -> str | None:
        if value and not is_country(value):
            err(f, line, col, f"{value!r} is not an ISO 3166-1 alpha-2 country code")
        return value or None

    def ident(f: str, line: int, col: str, value: str) -> None:
        if not value:
            err(f, line, col, "required value is empty")
        elif not _ID.match(value):
            err(f, line, col, f"{value[:60]!r} is not a usable id (no ':' and at most 200 characters)")

    # sources
    f = "sources.csv"
    source_ids: set[str] = set()
    for line, r in rows(f):
        ident(f, line, "id", r["id"])
        if r["id"] in source_ids:
            err(f, line, "id", f"duplicate source id {r['id']!r}")
        source_ids.add(r["id"])
        url = r.get("url", "")
        if url and not re.match(r"^(https?|ftp|file)://\S+$", url):
            err(f, line, "url", f"{url[:80]!r} is not a URL")
        yield (
            f,
            (
                SourceRecord(
                    r["id"],
                    r.get("title", ""),
                    url,
                    r.get("publisher", ""),
                    parse_date(f, line, "as_of", r.get("as_of", "")),
                    r.get("license", ""),
                )
            ),
        )

    def source(f: str, line: int, value: str | None) -> str | None:
        if value and value not in source_ids:
            err(f, line, "source_id", f"source {value!r} is not in sources.csv")
        return value or None

    # entities
    f = "entities.csv"
    entity_ids: set[str] = set()
    leis: dict[str, int] = {}
    for line, r in rows(f):
        ident(f, line, "id", r["id"])
        if r["id"] in entity_ids:
            err(f, line, "id", f"duplicate entity id {r['id']!r}")
        entity_ids.add(r["id"])
        kind = r["kind"]
        if kind not in ENTITY_KINDS:
            err(f, line, "kind", f"{kind!r} is not one of {', '.join(sorted(ENTITY_KINDS))}")
        if not r["name"]:
            err(f, line, "name", "required value is empty")
        status = r.get("status", "") or "active"
        if status not in ("active", "inactive"):
            err(f, line, "status", f"{status!r} is not active or inactive")
        ownership = r.get("ownership", "")
        if ownership not in ("", "complete", "partial"):
            err(f, line, "ownership", f"{ownership!r} is not complete, partial or blank")
        lei = r.get("lei", "").upper()
        if lei:
            if not is_valid_lei(lei):
                err(f, line, "lei", f"{lei!r} is not a valid LEI (20 characters, ISO 17442 check digits)")
            elif lei in leis:
                err(f, line, "lei", f"LEI {lei} is also given on line {leis[lei]}")
            else:
                leis[lei] = line
        website = r.get("website", "")
        if website and registrable_domain(website) is None:
            err(f, line, "website", f"{website[:80]!r} is not a web address or domain")
        public_float: float | None = None
        raw_float = r.get("public_float", "")
        if raw_float:
            try:
                public_float = float(raw_float)
            except ValueError:
                err(f, line, "public_float", f"{raw_float[:40]!r} is not a number")
            else:
                if not 0.0 <= public_float <= 100.0:
                    err(f, line, "public_float", f"{raw_float!r} is outside 0–100")
                    public_float = None
        yield (
            f,
            (
                EntityRecord(
                    id=r["id"],
                    kind=kind,
                    name=r["name"],
                    hq_country=country(f, line, "hq_country", r.get("hq_country", "")),
                    incorporation_country=country(f, line, "incorporation_country", r.get("incorporation_country", "")),
                    residence_country=country(f, line, "residence_country", r.get("residence_country", "")),
                    status=status,
                    ownership=_opt(ownership),
                    lei=_opt(lei),
                    website=_opt(website),
                    source_id=source(f, line, r.get("source_id")),
                    public_float=public_float,
                )
            ),
        )

    def entity_ref(f: str, line: int, col: str, value: str) -> None:
        if not value:
            err(f, line, col, "required value is empty")
        elif value not in entity_ids:
            err(f, line, col, f"entity {value[:80]!r} is not in entities.csv")

    f = "names.csv"
    for line, r in rows(f):
        entity_ref(f, line, "entity_id", r["entity_id"])
        if not r["name"]:
            err(f, line, "name", "required value is empty")
        name_type = r.get("type", "") or "alias"
        if name_type not in NAME_TYPES:
            err(f, line, "type", f"{name_type!r} is not one of {', '.join(sorted(NAME_TYPES))}")
        lang = r.get("lang", "")
        if lang and not _LANG.match(lang):
            err(f, line, "lang", f"{lang!r} is not a BCP 47 language tag")
        yield f, (NameRecord(r["entity_id"], r["name"], name_type, _opt(lang), source(f, line, r.get("source_id"))))

    f = "identifiers.csv"
    for line, r in rows(f):
        entity_ref(f, line, "entity_id", r["entity_id"])
        scheme = r["scheme"].lower()
        value = r["value"]
        if not _SCHEME.match(scheme):
            err(f, line, "scheme", f"{r['scheme']!r} is not a scheme name (lowercase letters, digits, '_', '-')")
        if not value:
            err(f, line, "value", "required value is empty")
        elif scheme == "lei":
            value = value.upper()
            if not is_valid_lei(value):
                err(f, line, "value", f"{value!r} is not a valid LEI")
        elif scheme == "domain":
            domain = registrable_domain(value)
            if domain is None:
                err(f, line, "value", f"{value[:80]!r} is not a domain")
            else:
                value = value.lower().strip().rstrip(".")
        yield f, (IdentifierRecord(r["entity_id"], scheme, value, source(f, line, r.get("source_id"))))

    f = "relationships.csv"
    for line, r in rows(f):
        entity_ref(f, line, "owner_id", r["owner_id"])
        entity_ref(f, line, "owned_id", r["owned_id"])
        if r["owner_id"] and r["owner_id"] == r["owned_id"]:
            err(f, line, "owned_id", "an entity cannot own itself")
        kind = r["kind"]
        if kind not in REL_KINDS:
            err(f, line, "kind", f"{kind!r} is not one of {', '.join(sorted(REL_KINDS))}")
        shares: list[float | None] = []
        for col in ("share_min", "share_max"):
            raw = r.get(col, "").rstrip("%").strip()
            if not raw:
                shares.append(None)
                continue
            try:
                value_f = float(raw)
            except ValueError:
                err(f, line, col, f"{r[col]!r} is not a number")
                shares.append(None)
                continue
            if not 0.0 <= value_f <= 100.0 or value_f != value_f:
                err(f, line, col, f"{raw} is outside 0–100 (percent)")
                shares.append(None)
                continue
            shares.append(value_f)
        lo, hi = shares
        if lo is not None and hi is not None and lo > hi:
            err(f, line, "share_min", f"share_min {lo} is greater than share_max {hi}")
        # One bound alone: "at least lo" or "at most hi".
        if lo is not None and hi is None and r.get("share_max", "") == "":
            hi = 100.0
        if hi is not None and lo is None and r.get("share_min", "") == "":
            lo = 0.0
        start = parse_date(f, line, "start_date", r.get("start_date", ""))
        end = parse_date(f, line, "end_date", r.get("end_date", ""))
        if start and end and end < start:
            err(f, line, "end_date", f"end_date {end} is before start_date {start}")
        yield (
            f,
            (
                RelationshipRecord(
                    r["owner_id"],
                    r["owned_id"],
                    kind,
                    lo,
                    hi,
                    start,
                    end,
                    source(f, line, r.get("source_id")),
                    _opt(r.get("note", "")),
                )
            ),
        )
