"""Writes hand-made GLEIF golden copies (Level 1, relationships, reporting exceptions) as CSV or XML.

The CSV layout is today's golden copy (dotted headers, `Relationship.Quantifiers…`); the XML is
LEI-CDF 3.1 / RR-CDF 2.1 / reporting exceptions, one namespace declaration per document.
"""

from __future__ import annotations

import csv
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr


def lei(seed: str) -> str:
    """A well-formed LEI (ISO 17442 check digits) from an 18-character seed, padded with zeros."""
    base = (seed.upper() + "0" * 18)[:18]
    digits = "".join(str(int(c, 36)) for c in base + "00")
    return base + f"{98 - int(digits) % 97:02d}"


@dataclass
class Ent:
    lei: str
    name: str
    hq: str = ""
    legal_country: str = ""
    jurisdiction: str = ""
    category: str = "GENERAL"
    status: str = "ACTIVE"
    registration: str = "ISSUED"
    other_names: list[tuple[str, str, str]] = field(default_factory=list)  # (name, type, xml:lang)
    transliterated: list[tuple[str, str]] = field(default_factory=list)  # (name, type)


@dataclass
class Rel:
    child: str
    parent: str
    type: str = "IS_DIRECTLY_CONSOLIDATED_BY"
    status: str = "ACTIVE"
    start: str = ""  # RELATIONSHIP_PERIOD
    end: str = ""
    accounting: tuple[str, str] = ("2023-01-01", "2023-12-31")  # ACCOUNTING_PERIOD: never the validity
    quantifier: str = ""


@dataclass
class Exc:
    lei: str
    category: str
    reasons: tuple[str, ...]


L1_COLS = [
    "LEI", "Entity.LegalName", "Entity.LegalName.xmllang",
    *[f"Entity.OtherEntityNames.OtherEntityName.{i}{s}" for i in range(1, 4) for s in ("", ".xmllang", ".type")],
    *[
        f"Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName.{i}{s}"
        for i in range(1, 3)
        for s in ("", ".xmllang", ".type")
    ],
    "Entity.LegalAddress.FirstAddressLine", "Entity.LegalAddress.City", "Entity.LegalAddress.Country",
    "Entity.HeadquartersAddress.FirstAddressLine", "Entity.HeadquartersAddress.City",
    "Entity.HeadquartersAddress.Country", "Entity.LegalJurisdiction", "Entity.EntityCategory",
    "Entity.EntityStatus", "Registration.InitialRegistrationDate", "Registration.RegistrationStatus",
    "Registration.ManagingLOU",
]
RR_COLS = [
    "Relationship.StartNode.NodeID", "Relationship.StartNode.NodeIDType", "Relationship.EndNode.NodeID",
    "Relationship.EndNode.NodeIDType", "Relationship.RelationshipType", "Relationship.RelationshipStatus",
    *[f"Relationship.Period.{i}.{k}" for i in (1, 2) for k in ("startDate", "endDate", "periodType")],
    "Relationship.Qualifiers.1.QualifierDimension", "Relationship.Qualifiers.1.QualifierCategory",
    "Relationship.Quantifiers.1.MeasurementMethod", "Relationship.Quantifiers.1.QuantifierAmount",
    "Relationship.Quantifiers.1.QuantifierUnits", "Registration.RegistrationStatus", "Registration.ValidationSources",
]
REPEX_COLS = ["LEI", "ExceptionCategory", "ExceptionReason", "ExceptionReference"]


def _ts(day: str) -> str:
    return f"{day}T00:00:00.000Z" if day else ""


def _l1_row(e: Ent) -> list[str]:
    row: dict[str, str] = {
        "LEI": e.lei, "Entity.LegalName": e.name, "Entity.LegalName.xmllang": "en",
        "Entity.LegalAddress.FirstAddressLine": "1 Main Street", "Entity.LegalAddress.City": "Somewhere",
        "Entity.LegalAddress.Country": e.legal_country or e.hq, "Entity.HeadquartersAddress.Country": e.hq,
        "Entity.LegalJurisdiction": e.jurisdiction or e.legal_country or e.hq, "Entity.EntityCategory": e.category,
        "Entity.EntityStatus": e.status, "Registration.InitialRegistrationDate": "2015-03-01T09:00:00.000Z",
        "Registration.RegistrationStatus": e.registration, "Registration.ManagingLOU": "EVK05KS7XY1DEII3R011",
    }
    for i, (name, ntype, lang) in enumerate(e.other_names, 1):
        p = f"Entity.OtherEntityNames.OtherEntityName.{i}"
        row.update({p: name, f"{p}.type": ntype, f"{p}.xmllang": lang})
    for i, (name, ntype) in enumerate(e.transliterated, 1):
        p = f"Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName.{i}"
        row.update({p: name, f"{p}.type": ntype})
    return [row.get(c, "") for c in L1_COLS]


def _rr_row(r: Rel) -> list[str]:
    row = {
        "Relationship.StartNode.NodeID": r.child, "Relationship.StartNode.NodeIDType": "LEI",
        "Relationship.EndNode.NodeID": r.parent, "Relationship.EndNode.NodeIDType": "LEI",
        "Relationship.RelationshipType": r.type, "Relationship.RelationshipStatus": r.status,
        "Relationship.Period.1.startDate": _ts(r.accounting[0]), "Relationship.Period.1.endDate": _ts(r.accounting[1]),
        "Relationship.Period.1.periodType": "ACCOUNTING_PERIOD",
        "Relationship.Period.2.startDate": _ts(r.start), "Relationship.Period.2.endDate": _ts(r.end),
        "Relationship.Period.2.periodType": "RELATIONSHIP_PERIOD",
        "Relationship.Qualifiers.1.QualifierDimension": "ACCOUNTING_STANDARD",
        "Relationship.Qualifiers.1.QualifierCategory": "IFRS",
        "Registration.RegistrationStatus": "PUBLISHED", "Registration.ValidationSources": "FULLY_CORROBORATED",
    }
    if r.quantifier:
        row.update({
            "Relationship.Quantifiers.1.MeasurementMethod": "ACCOUNTING_CONSOLIDATION",
            "Relationship.Quantifiers.1.QuantifierAmount": r.quantifier,
            "Relationship.Quantifiers.1.QuantifierUnits": "PERCENTAGE",
        })
    return [row.get(c, "") for c in RR_COLS]


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def _l1_xml(entities: list[Ent], content_date: str) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<lei:LEIData xmlns:lei="http://www.gleif.org/data/schema/leidata/2016" '
        'xmlns:gleif="http://www.gleif.org/data/schema/golden-copy/extensions/1.0">',
        f"<lei:LEIHeader><lei:ContentDate>{content_date}T08:00:00Z</lei:ContentDate>"
        f"<lei:FileContent>GLEIF_FULL_PUBLISHED</lei:FileContent><lei:RecordCount>{len(entities)}</lei:RecordCount>"
        "</lei:LEIHeader>",
        "<lei:LEIRecords>",
    ]
    for e in entities:
        out.append(f"<lei:LEIRecord><lei:LEI>{e.lei}</lei:LEI><lei:Entity>")
        out.append(f'<lei:LegalName xml:lang="en">{escape(e.name)}</lei:LegalName>')
        if e.other_names:
            out.append("<lei:OtherEntityNames>")
            for name, ntype, lang in e.other_names:
                attr = f" xml:lang={quoteattr(lang)}" if lang else ""
                out.append(f"<lei:OtherEntityName{attr} type={quoteattr(ntype)}>{escape(name)}</lei:OtherEntityName>")
            out.append("</lei:OtherEntityNames>")
        if e.transliterated:
            out.append("<lei:TransliteratedOtherEntityNames>")
            for name, ntype in e.transliterated:
                out.append(
                    f"<lei:TransliteratedOtherEntityName type={quoteattr(ntype)}>{escape(name)}"
                    "</lei:TransliteratedOtherEntityName>"
                )
            out.append("</lei:TransliteratedOtherEntityNames>")
        out.append(
            f'<lei:LegalAddress xml:lang="en"><lei:FirstAddressLine>1 Main Street</lei:FirstAddressLine>'
            f"<lei:City>Somewhere</lei:City><lei:Country>{e.legal_country or e.hq}</lei:Country></lei:LegalAddress>"
            f'<lei:HeadquartersAddress xml:lang="en"><lei:FirstAddressLine>1 Main Street</lei:FirstAddressLine>'
            f"<lei:City>Somewhere</lei:City><lei:Country>{e.hq}</lei:Country></lei:HeadquartersAddress>"
            f"<lei:LegalJurisdiction>{e.jurisdiction or e.legal_country or e.hq}</lei:LegalJurisdiction>"
            f"<lei:EntityCategory>{e.category}</lei:EntityCategory>"
            f"<lei:EntityStatus>{e.status}</lei:EntityStatus></lei:Entity>"
            f"<lei:Registration><lei:InitialRegistrationDate>2015-03-01T09:00:00Z</lei:InitialRegistrationDate>"
            f"<lei:RegistrationStatus>{e.registration}</lei:RegistrationStatus>"
            f"<lei:ManagingLOU>EVK05KS7XY1DEII3R011</lei:ManagingLOU></lei:Registration></lei:LEIRecord>"
        )
    out.append("</lei:LEIRecords></lei:LEIData>")
    return "\n".join(out)


def _rr_xml(rels: list[Rel], content_date: str) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rr:RelationshipData xmlns:rr="http://www.gleif.org/data/schema/rr/2016">',
        f"<rr:Header><rr:ContentDate>{content_date}T08:00:00Z</rr:ContentDate>"
        f"<rr:RecordCount>{len(rels)}</rr:RecordCount></rr:Header>",
        "<rr:RelationshipRecords>",
    ]
    for r in rels:
        period = "".join(
            f"<rr:RelationshipPeriod><rr:StartDate>{_ts(s)}</rr:StartDate>"
            + (f"<rr:EndDate>{_ts(e)}</rr:EndDate>" if e else "")
            + f"<rr:PeriodType>{kind}</rr:PeriodType></rr:RelationshipPeriod>"
            for s, e, kind in (
                (r.accounting[0], r.accounting[1], "ACCOUNTING_PERIOD"),
                (r.start, r.end, "RELATIONSHIP_PERIOD"),
            )
            if s
        )
        quant = (
            "<rr:RelationshipQuantifiers><rr:RelationshipQuantifier><rr:MeasurementMethod>ACCOUNTING_CONSOLIDATION"
            f"</rr:MeasurementMethod><rr:QuantifierAmount>{r.quantifier}</rr:QuantifierAmount>"
            "<rr:QuantifierUnits>PERCENTAGE</rr:QuantifierUnits></rr:RelationshipQuantifier>"
            "</rr:RelationshipQuantifiers>"
            if r.quantifier
            else ""
        )
        out.append(
            "<rr:RelationshipRecord><rr:Relationship>"
            f"<rr:StartNode><rr:NodeID>{r.child}</rr:NodeID><rr:NodeIDType>LEI</rr:NodeIDType></rr:StartNode>"
            f"<rr:EndNode><rr:NodeID>{r.parent}</rr:NodeID><rr:NodeIDType>LEI</rr:NodeIDType></rr:EndNode>"
            f"<rr:RelationshipType>{r.type}</rr:RelationshipType>"
            f"<rr:RelationshipPeriods>{period}</rr:RelationshipPeriods>"
            f"<rr:RelationshipStatus>{r.status}</rr:RelationshipStatus>{quant}</rr:Relationship>"
            "<rr:Registration><rr:RegistrationStatus>PUBLISHED</rr:RegistrationStatus>"
            "<rr:ValidationSources>FULLY_CORROBORATED</rr:ValidationSources></rr:Registration>"
            "</rr:RelationshipRecord>"
        )
    out.append("</rr:RelationshipRecords></rr:RelationshipData>")
    return "\n".join(out)


def _repex_xml(exceptions: list[Exc], content_date: str) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<repex:ReportingExceptionData xmlns:repex="http://www.gleif.org/data/schema/repex/2016">',
        f"<repex:Header><repex:ContentDate>{content_date}T08:00:00Z</repex:ContentDate></repex:Header>",
        "<repex:ReportingExceptions>",
    ]
    for x in exceptions:
        reasons = "".join(f"<repex:ExceptionReason>{r}</repex:ExceptionReason>" for r in x.reasons)
        out.append(
            f"<repex:Exception><repex:LEI>{x.lei}</repex:LEI>"
            f"<repex:ExceptionCategory>{x.category}</repex:ExceptionCategory>{reasons}</repex:Exception>"
        )
    out.append("</repex:ReportingExceptions></repex:ReportingExceptionData>")
    return "\n".join(out)


def write_golden_copy(
    folder: Path,
    entities: list[Ent],
    rels: list[Rel],
    exceptions: list[Exc],
    fmt: str = "csv",
    zipped: bool = False,
    stamp: str = "20260105-0800",
) -> list[Path]:
    """Write the three files as GLEIF names them; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    content_date = f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}"
    paths = []
    for kind in ("lei2", "rr", "repex"):
        name = f"{stamp}-gleif-goldencopy-{kind}-golden-copy.{fmt}"
        path = folder / name
        if fmt == "csv":
            if kind == "lei2":
                _write_csv(path, L1_COLS, [_l1_row(e) for e in entities])
            elif kind == "rr":
                _write_csv(path, RR_COLS, [_rr_row(r) for r in rels])
            else:
                rows = [[x.lei, x.category, reason, ""] for x in exceptions for reason in x.reasons]
                _write_csv(path, REPEX_COLS, rows)
        else:
            text = {"lei2": _l1_xml(entities, content_date), "rr": _rr_xml(rels, content_date),
                    "repex": _repex_xml(exceptions, content_date)}[kind]
            path.write_text(text, encoding="utf-8")
        if zipped:
            zpath = folder / (name + ".zip")
            with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as z:
                z.write(path, name)
            path.unlink()
            path = zpath
        paths.append(path)
    return paths
