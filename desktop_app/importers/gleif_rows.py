"""Reads GLEIF golden-copy records, CSV or XML, as rows keyed by the golden-copy column names.

Both formats come out alike (an empty value may be absent or ""): a dict from dotted column names (`Entity.LegalName`,
`Relationship.Period.2.periodType`, `ExceptionReason.1` …) to text, with the line the record starts
on. CSV columns are found by name, never by position; headers that drifted between golden-copy
versions are read under one name (`Relationship.Qualifiers.1.QuantifierAmount` of older files is
`Relationship.Quantifiers.1.QuantifierAmount`). XML is parsed incrementally and every record is
cleared once read, so memory does not grow with the file.
"""

from __future__ import annotations

import csv
import io
import operator
import re
from collections.abc import Callable, Iterator
from typing import Any

from lxml import etree

from desktop_app.importers.gleif_files import (
    EXCEPTIONS,
    LEVEL1,
    RELATIONSHIPS,
    CountingReader,
    DamagedFile,
    GleifFile,
)

Row = dict[str, str]
Problem = Callable[[int, str, str], None]  # (line, field, message)

REQUIRED: dict[str, tuple[str, ...]] = {
    LEVEL1: ("LEI", "Entity.LegalName", "Entity.LegalAddress.Country"),
    RELATIONSHIPS: (
        "Relationship.StartNode.NodeID",
        "Relationship.EndNode.NodeID",
        "Relationship.RelationshipType",
        "Relationship.RelationshipStatus",
    ),
    EXCEPTIONS: ("LEI", "ExceptionCategory", "ExceptionReason.1"),
}
_WANTED: dict[str, re.Pattern[str]] = {
    LEVEL1: re.compile(
        r"^(LEI|Entity\.LegalName(\.xmllang)?|Entity\.(Legal|Headquarters)Address\.Country|Entity\.LegalJurisdiction"
        r"|Entity\.EntityCategory|Entity\.EntityStatus|Registration\.RegistrationStatus"
        r"|Entity\.(Transliterated)?OtherEntityNames\.(Transliterated)?OtherEntityName\.\d+(\.xmllang|\.type)?)$"
    ),
    RELATIONSHIPS: re.compile(
        r"^(Relationship\.(StartNode|EndNode)\.NodeID(Type)?|Relationship\.Relationship(Type|Status)"
        r"|Relationship\.Period\.\d+\.(startDate|endDate|periodType)"
        r"|Relationship\.Quantifiers\.\d+\.(MeasurementMethod|QuantifierAmount|QuantifierUnits))$"
    ),
    EXCEPTIONS: re.compile(r"^(LEI|ExceptionCategory|ExceptionReason\.\d+|ExceptionReference\.\d+)$"),
}
_QUANTIFIER = re.compile(r"^Relationship\.Qualifiers\.(\d+)\.(MeasurementMethod|QuantifierAmount|QuantifierUnits)$")
_EXCEPTION_FIELD = re.compile(
    r"^(?:Exception\.)?(LEI|ExceptionCategory|ExceptionReason|ExceptionReference)(?:\.(\d+))?$"
)


def canonical_column(kind: str, header: str) -> str:
    """One name for a column whatever golden-copy version wrote it."""
    h = header.strip().lstrip("\ufeff").strip().strip('"')
    if kind == RELATIONSHIPS:
        m = _QUANTIFIER.match(h)
        if m:
            return f"Relationship.Quantifiers.{m.group(1)}.{m.group(2)}"
    elif kind == EXCEPTIONS:
        m = _EXCEPTION_FIELD.match(h)
        if m:
            name, n = m.groups()
            return f"{name}.{n or 1}" if name in ("ExceptionReason", "ExceptionReference") else name
    return h


def read_rows(
    gf: GleifFile,
    problem: Problem,
    meta: dict[str, str],
    opened: Callable[[CountingReader], None] | None = None,
) -> Iterator[tuple[int, Row]]:
    """Every record of the file as (line, row); structural problems go to `problem`.

    `meta` receives what the file says about itself (`ContentDate` from an XML header) and, at the
    end, the SHA-256 of its bytes: the stream is read to its end, so the hash covers the whole file.
    `opened` is given the open stream (to follow its position for progress).
    """
    stream = gf.open()
    if opened is not None:
        opened(stream)
    try:
        reader = _csv_rows if gf.fmt == "csv" else _xml_rows
        yield from reader(gf, stream, problem, meta)
        stream.read_all_hash()
    except DamagedFile as exc:
        problem(0, "-", str(exc))
    finally:
        meta["sha256"] = stream.hasher.hexdigest()
        stream.release()


# CSV ---------------------------------------------------------------------------------------------


def _csv_rows(gf: GleifFile, stream: Any, problem: Problem, meta: dict[str, str]) -> Iterator[tuple[int, Row]]:
    text = io.TextIOWrapper(io.BufferedReader(stream, 1 << 20), encoding="utf-8-sig", newline="")
    reader = csv.reader(text, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        problem(1, "-", "empty file (a header row is required)")
        return
    except (csv.Error, UnicodeDecodeError) as exc:
        problem(1, "-", f"unreadable header: {exc}")
        return
    columns = [canonical_column(gf.kind, h) for h in header]
    wanted = _WANTED[gf.kind]
    picked = [(name, i) for i, name in enumerate(columns) if wanted.match(name)]
    present = {name for name, _ in picked}
    missing = [c for c in REQUIRED[gf.kind] if c not in present]
    for col in missing:
        problem(1, col, "required column is missing")
    if missing:
        return
    width = len(header)
    line = 1
    names = [name for name, _ in picked]
    pick = operator.itemgetter(*(i for _, i in picked))
    try:
        for row in reader:
            line = reader.line_num
            if len(row) != width:
                if not row or row == [""]:
                    continue
                problem(line, "-", f"{len(row)} fields, the header has {width}")
                continue
            # Empty cells stay as "": readers test values, never the presence of a key.
            yield line, dict(zip(names, pick(row), strict=True))
    except csv.Error as exc:
        problem(reader.line_num, "-", "contains a NUL character" if "NUL" in str(exc) else str(exc))
    except UnicodeDecodeError as exc:
        problem(line + 1, "-", f"not UTF-8 text ({exc.reason}); the file is damaged")


# XML ---------------------------------------------------------------------------------------------

_NS_LEI = "{http://www.gleif.org/data/schema/leidata/2016}"
_NS_RR = "{http://www.gleif.org/data/schema/rr/2016}"
_NS_REPEX = "{http://www.gleif.org/data/schema/repex/2016}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_RECORD_TAG = {
    LEVEL1: f"{_NS_LEI}LEIRecord",
    RELATIONSHIPS: f"{_NS_RR}RelationshipRecord",
    EXCEPTIONS: f"{_NS_REPEX}Exception",
}
_CONTENT_DATE = {
    kind: f"{ns}ContentDate" for kind, ns in ((LEVEL1, _NS_LEI), (RELATIONSHIPS, _NS_RR), (EXCEPTIONS, _NS_REPEX))
}


def _xml_rows(gf: GleifFile, stream: Any, problem: Problem, meta: dict[str, str]) -> Iterator[tuple[int, Row]]:
    record_tag = _RECORD_TAG[gf.kind]
    date_tag = _CONTENT_DATE[gf.kind]
    convert = {LEVEL1: _lei_record, RELATIONSHIPS: _rr_record, EXCEPTIONS: _repex_record}[gf.kind]
    parser = etree.iterparse(
        io.BufferedReader(stream, 1 << 20),
        events=("end",),
        tag=(record_tag, date_tag),
        huge_tree=True,
        resolve_entities=False,
        no_network=True,
    )
    try:
        for _, elem in parser:
            if elem.tag == date_tag:
                meta.setdefault("ContentDate", (elem.text or "").strip())
                continue
            line = elem.sourceline or 0
            yield line, convert(elem)
            elem.clear()
            parent = elem.getparent()
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else 0
        problem(line, "-", f"malformed XML: {exc.msg}")


def _text(elem: Any, path: str) -> str:
    found = elem.find(path)
    if found is None or found.text is None:
        return ""
    return str(found.text).strip()


def _lei_record(rec: Any) -> Row:
    n = _NS_LEI
    row: Row = {}

    def put(key: str, value: str | None) -> None:
        if value:
            row[key] = value.strip()

    put("LEI", _text(rec, f"{n}LEI"))
    entity = rec.find(f"{n}Entity")
    if entity is not None:
        legal = entity.find(f"{n}LegalName")
        if legal is not None:
            put("Entity.LegalName", legal.text)
            put("Entity.LegalName.xmllang", legal.get(_XML_LANG))
        for group, item, prefix in (
            ("OtherEntityNames", "OtherEntityName", "Entity.OtherEntityNames.OtherEntityName"),
            (
                "TransliteratedOtherEntityNames",
                "TransliteratedOtherEntityName",
                "Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName",
            ),
        ):
            names = entity.find(f"{n}{group}")
            if names is None:
                continue
            for i, el in enumerate(names.iterfind(f"{n}{item}"), 1):
                put(f"{prefix}.{i}", el.text)
                put(f"{prefix}.{i}.type", el.get("type"))
                put(f"{prefix}.{i}.xmllang", el.get(_XML_LANG))
        put("Entity.LegalAddress.Country", _text(entity, f"{n}LegalAddress/{n}Country"))
        put("Entity.HeadquartersAddress.Country", _text(entity, f"{n}HeadquartersAddress/{n}Country"))
        put("Entity.LegalJurisdiction", _text(entity, f"{n}LegalJurisdiction"))
        put("Entity.EntityCategory", _text(entity, f"{n}EntityCategory"))
        put("Entity.EntityStatus", _text(entity, f"{n}EntityStatus"))
    put("Registration.RegistrationStatus", _text(rec, f"{n}Registration/{n}RegistrationStatus"))
    return row


def _rr_record(rec: Any) -> Row:
    n = _NS_RR
    row: Row = {}
    rel = rec.find(f"{n}Relationship")
    if rel is None:
        return row
    for node in ("StartNode", "EndNode"):
        for field in ("NodeID", "NodeIDType"):
            value = _text(rel, f"{n}{node}/{n}{field}")
            if value:
                row[f"Relationship.{node}.{field}"] = value
    for field in ("RelationshipType", "RelationshipStatus"):
        value = _text(rel, f"{n}{field}")
        if value:
            row[f"Relationship.{field}"] = value
    periods = rel.find(f"{n}RelationshipPeriods")
    if periods is not None:
        for i, p in enumerate(periods.iterfind(f"{n}RelationshipPeriod"), 1):
            for field, key in (("StartDate", "startDate"), ("EndDate", "endDate"), ("PeriodType", "periodType")):
                value = _text(p, f"{n}{field}")
                if value:
                    row[f"Relationship.Period.{i}.{key}"] = value
    quantifiers = rel.find(f"{n}RelationshipQuantifiers")
    if quantifiers is not None:
        for i, q in enumerate(quantifiers.iterfind(f"{n}RelationshipQuantifier"), 1):
            for field in ("MeasurementMethod", "QuantifierAmount", "QuantifierUnits"):
                value = _text(q, f"{n}{field}")
                if value:
                    row[f"Relationship.Quantifiers.{i}.{field}"] = value
    return row


def _repex_record(rec: Any) -> Row:
    n = _NS_REPEX
    row: Row = {}
    for field in ("LEI", "ExceptionCategory"):
        value = _text(rec, f"{n}{field}")
        if value:
            row[field] = value
    for i, el in enumerate(rec.iterfind(f"{n}ExceptionReason"), 1):
        if el.text and el.text.strip():
            row[f"ExceptionReason.{i}"] = el.text.strip()
    return row
