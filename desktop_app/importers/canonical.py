"""Reads the canonical dataset format (a folder or a .zip of one) and validates every field."""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import re
import tomllib
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

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
        else:
            raise DatasetError(str(path), [f"{path}: not a dataset folder or .zip archive"])

    def read(self, name: str) -> bytes | None:
        loader = self.files.get(name)
        if loader is None:
            return None
        data = loader()
        self.hasher.update(name.encode() + b"\0" + data + b"\0")
        return data


def read_dataset(path: Path, progress: Progress | None = None) -> CanonicalDataset:
    """Parse and validate a canonical dataset; raise DatasetError listing every problem."""
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

    meta = _read_meta(reader.read("dataset.toml") or b"", problems)
    tables: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for name in COLUMNS:
        data = reader.read(name)
        tables[name] = [] if data is None else list(_rows(name, data, problems))
        if progress:
            progress(f"Read {name}", len(tables[name]))
    ds = CanonicalDataset(meta=meta or DatasetMeta("?", "?", "?", date.min), content_sha256=reader.hasher.hexdigest())
    _validate(ds, tables, problems)
    if problems:
        raise DatasetError(str(path), problems)
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


def _rows(name: str, data: bytes, problems: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(
            f"{name}:{line}:-: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8"
        )
        return
    if "\x00" in text:
        problems.append(f"{name}:{text[: text.index(chr(0))].count(chr(10)) + 1}:-: contains a NUL character")
        return
    columns, required = COLUMNS[name]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
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
            problems.append(f"{name}:1:{col}: unknown column (allowed: {', '.join(columns)})")
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
        problems.append(f"{name}:{reader.line_num}:-: {exc}")


def _opt(value: str | None) -> str | None:
    return value if value else None


def _validate(ds: CanonicalDataset, tables: dict[str, list[tuple[int, dict[str, str]]]], problems: list[str]) -> None:
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
    for line, r in tables[f]:
        ident(f, line, "id", r["id"])
        if r["id"] in source_ids:
            err(f, line, "id", f"duplicate source id {r['id']!r}")
        source_ids.add(r["id"])
        url = r.get("url", "")
        if url and not re.match(r"^(https?|ftp|file)://\S+$", url):
            err(f, line, "url", f"{url[:80]!r} is not a URL")
        ds.sources.append(
            SourceRecord(
                r["id"],
                r.get("title", ""),
                url,
                r.get("publisher", ""),
                parse_date(f, line, "as_of", r.get("as_of", "")),
                r.get("license", ""),
            )
        )

    def source(f: str, line: int, value: str | None) -> str | None:
        if value and value not in source_ids:
            err(f, line, "source_id", f"source {value!r} is not in sources.csv")
        return value or None

    # entities
    f = "entities.csv"
    entity_ids: set[str] = set()
    leis: dict[str, int] = {}
    for line, r in tables[f]:
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
        ds.entities.append(
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
            )
        )

    def entity_ref(f: str, line: int, col: str, value: str) -> None:
        if not value:
            err(f, line, col, "required value is empty")
        elif value not in entity_ids:
            err(f, line, col, f"entity {value[:80]!r} is not in entities.csv")

    f = "names.csv"
    for line, r in tables[f]:
        entity_ref(f, line, "entity_id", r["entity_id"])
        if not r["name"]:
            err(f, line, "name", "required value is empty")
        name_type = r.get("type", "") or "alias"
        if name_type not in NAME_TYPES:
            err(f, line, "type", f"{name_type!r} is not one of {', '.join(sorted(NAME_TYPES))}")
        lang = r.get("lang", "")
        if lang and not _LANG.match(lang):
            err(f, line, "lang", f"{lang!r} is not a BCP 47 language tag")
        ds.names.append(
            NameRecord(r["entity_id"], r["name"], name_type, _opt(lang), source(f, line, r.get("source_id")))
        )

    f = "identifiers.csv"
    for line, r in tables[f]:
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
        ds.identifiers.append(IdentifierRecord(r["entity_id"], scheme, value, source(f, line, r.get("source_id"))))

    f = "relationships.csv"
    for line, r in tables[f]:
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
        ds.relationships.append(
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
        )
