"""The GLEIF golden copy, CSV or XML, plain or zipped: every row of DESIGN's mapping table gives its status."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from desktop_app.importers.gleif import check_gleif, gleif_records
from desktop_app.importers.gleif_rows import canonical_column
from desktop_app.importers.records import DatasetError
from desktop_app.services import reporting
from desktop_app.services.context import AppContext, open_context
from desktop_app.services.importing import import_dataset
from tests.conftest import make_dataset
from tests.importers.gleif_builder import Ent, Exc, Rel, lei, write_golden_copy

DATA = Path(__file__).parent / "gleif_data"
DIRECT, ULTIMATE = "DIRECT_ACCOUNTING_CONSOLIDATION_PARENT", "ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT"

CN_PARENT = lei("CNPARENT")
SG_CHILD = lei("SGCHILD")
MY_GRANDCHILD = lei("MYGRAND")
DE_NONCONS = lei("DENONCONS")
NON_PUBLIC = lei("NONPUBLIC")
NO_LEVEL2 = lei("NOLEVEL2")
NATURAL = lei("NATURAL")
NO_PERSON = lei("NOPERSON")
NO_LEI = lei("NOLEI")
OBSTACLE = lei("OBSTACLE")
CN_BRANCH = lei("CNBRANCH")
DE_BRANCH = lei("DEBRANCH")
FUND = lei("FUNDMANAGED")
FUND_BLANK = lei("FUNDBLANK")
SOLD = lei("SOLDOFF")
CAYMAN = lei("CAYMANHQCN")
DANGLING_CHILD = lei("DANGLINGCHILD")
UNKNOWN_PARENT = lei("UNKNOWNPARENT")
RETIRED = lei("RETIRED")


def _both(code: str, *reasons: str) -> list[Exc]:
    return [Exc(code, DIRECT, reasons), Exc(code, ULTIMATE, reasons)]


ENTITIES = [
    Ent(CN_PARENT, "Beijing Example Network Technology Co., Ltd.", hq="CN"),
    Ent(SG_CHILD, "Example Singapore Pte. Ltd.", hq="SG"),
    Ent(MY_GRANDCHILD, "Example Malaysia Sdn. Bhd.", hq="MY"),
    Ent(
        DE_NONCONS,
        "Nordlicht Software GmbH",
        hq="DE",
        other_names=[
            ("Nordlicht Datentechnik GmbH", "PREVIOUS_LEGAL_NAME", "de"),
            ("Nordlicht", "TRADING_OR_OPERATING_NAME", "de"),
            ("Northern Light Software Ltd", "ALTERNATIVE_LANGUAGE_LEGAL_NAME", "en"),
        ],
        transliterated=[("Nordlicht Software GmbH.", "PREFERRED_ASCII_TRANSLITERATED_LEGAL_NAME")],
    ),
    Ent(NON_PUBLIC, "Quiet Holdings Ltd", hq="GB"),
    Ent(NO_LEVEL2, "Unreported Trading LLC", hq="US", jurisdiction="US-DE"),
    Ent(NATURAL, "Family Firm B.V.", hq="NL"),
    Ent(NO_PERSON, "Cooperative Dairy eG", hq="DE"),
    Ent(NO_LEI, "Parent Without LEI Ltd", hq="IE"),
    Ent(OBSTACLE, "Obstacle SAS", hq="FR"),
    Ent(CN_BRANCH, "Beijing Example Network Technology Co., Ltd. Singapore Branch", hq="SG", category="BRANCH"),
    Ent(DE_BRANCH, "Nordlicht Software GmbH UK Branch", hq="GB", category="BRANCH"),
    Ent(FUND, "Example Growth Fund", hq="LU", category="FUND"),
    Ent(FUND_BLANK, "Blank Income Fund", hq="LU", category="FUND"),
    Ent(SOLD, "Formerly Example GmbH", hq="AT"),
    Ent(CAYMAN, "Example Cayman Holdings", hq="CN", legal_country="KY", jurisdiction="KY"),
    Ent(DANGLING_CHILD, "Dangling Child Pte. Ltd.", hq="SG"),
    Ent(RETIRED, "Old Example Ltd", hq="GB", registration="RETIRED"),
]
RELATIONSHIPS = [
    Rel(SG_CHILD, CN_PARENT, "IS_DIRECTLY_CONSOLIDATED_BY", start="2020-01-01", quantifier="100"),
    Rel(SG_CHILD, CN_PARENT, "IS_ULTIMATELY_CONSOLIDATED_BY", start="2020-01-01"),
    Rel(MY_GRANDCHILD, SG_CHILD, "IS_DIRECTLY_CONSOLIDATED_BY", start="2021-03-01"),
    Rel(MY_GRANDCHILD, CN_PARENT, "IS_ULTIMATELY_CONSOLIDATED_BY", start="2021-03-01"),
    Rel(CN_BRANCH, CN_PARENT, "IS_INTERNATIONAL_BRANCH_OF", start="2018-05-01"),
    Rel(DE_BRANCH, DE_NONCONS, "IS_INTERNATIONAL_BRANCH_OF"),
    Rel(FUND, CN_PARENT, "IS_FUND-MANAGED_BY"),
    Rel(FUND_BLANK, DE_NONCONS, "IS_FUND-MANAGED_BY"),
    Rel(SOLD, CN_PARENT, "IS_DIRECTLY_CONSOLIDATED_BY", status="INACTIVE", start="2015-01-01", end="2022-06-30"),
    Rel(DANGLING_CHILD, UNKNOWN_PARENT, "IS_DIRECTLY_CONSOLIDATED_BY", start="2019-01-01"),
]
EXCEPTIONS = [
    *_both(CN_PARENT, "NON_CONSOLIDATING"),
    *_both(DE_NONCONS, "NON_CONSOLIDATING"),
    *_both(NON_PUBLIC, "NON_PUBLIC"),
    *_both(NATURAL, "NATURAL_PERSONS"),
    *_both(NO_PERSON, "NO_KNOWN_PERSON"),
    *_both(NO_LEI, "NO_LEI"),
    Exc(OBSTACLE, DIRECT, ("LEGAL_OBSTACLES",)),
    Exc(OBSTACLE, ULTIMATE, ("BINDING_LEGAL_COMMITMENTS", "DISCLOSURE_DETRIMENTAL")),
    *_both(FUND, "NON_CONSOLIDATING"),
    *_both(SOLD, "NON_CONSOLIDATING"),
]
# DESIGN "Open ownership data", row by row.
EXPECTED = {
    CN_PARENT: "restricted",  # headquartered in CN
    SG_CHILD: "restricted",  # consolidated by a CN-headquartered parent: control rule
    MY_GRANDCHILD: "restricted",  # direct parent SG, ultimate parent CN
    DE_NONCONS: "eligible",  # NON_CONSOLIDATING, HQ not restricted
    NON_PUBLIC: "review",  # a parent exists but is not disclosed
    NO_LEVEL2: "review",  # no Level 2 information at all
    NATURAL: "eligible",  # NATURAL_PERSONS
    NO_PERSON: "eligible",  # NO_KNOWN_PERSON
    NO_LEI: "review",  # NO_LEI
    OBSTACLE: "review",  # legal obstacles
    CN_BRANCH: "restricted",  # a branch is part of its CN head office
    DE_BRANCH: "eligible",  # a branch of an eligible head office
    FUND: "eligible",  # managed by a CN company: not ownership, not counted
    FUND_BLANK: "review",  # a fund relation alone says nothing about control
    SOLD: "eligible",  # the CN parent's relationship is INACTIVE: ended
    CAYMAN: "restricted",  # Cayman jurisdiction, headquarters in CN
    DANGLING_CHILD: "review",  # its parent is not in Level 1: country unknown
}


def _ctx(tmp_path: Path, name: str = "g.db") -> AppContext:
    return open_context(tmp_path / name, seed_reference=False)


def _report(ctx: AppContext, code: str) -> reporting.EntityReport:
    return reporting.entity_report(ctx, f"gleif:lei:{code}")


def _statuses(ctx: AppContext) -> dict[str, str]:
    return {code: _report(ctx, code).status for code in EXPECTED}


@pytest.mark.parametrize(("fmt", "zipped"), [("csv", False), ("csv", True), ("xml", False), ("xml", True)])
def test_every_mapping_row_gives_designs_status(tmp_path: Path, fmt: str, zipped: bool) -> None:
    paths = write_golden_copy(tmp_path / "gc", ENTITIES, RELATIONSHIPS, EXCEPTIONS, fmt, zipped)
    ctx = _ctx(tmp_path)
    try:
        summary = import_dataset(ctx, paths)
        assert summary.dataset_id == "gleif" and summary.as_of == date(2026, 1, 5)
        # 18 Level 1 records and the parent no Level 1 record describes; funds' relations are not relationships.
        assert (summary.entities, summary.relationships) == (19, 8)
        assert _statuses(ctx) == EXPECTED
    finally:
        ctx.close()


def test_a_folder_holding_the_three_files_is_one_dataset(tmp_path: Path) -> None:
    write_golden_copy(tmp_path / "gc", ENTITIES, RELATIONSHIPS, EXCEPTIONS, "csv", zipped=True)
    ctx = _ctx(tmp_path)
    try:
        s = import_dataset(ctx, tmp_path / "gc")
        assert s.dataset_id == "gleif" and s.version == "20260105-0800"
        assert _report(ctx, SG_CHILD).status == "restricted"
    finally:
        ctx.close()


def test_the_rationale_quotes_the_register(tmp_path: Path) -> None:
    paths = write_golden_copy(tmp_path / "gc", ENTITIES, RELATIONSHIPS, EXCEPTIONS, "xml")
    ctx = _ctx(tmp_path)
    try:
        import_dataset(ctx, paths)
        sg = _report(ctx, SG_CHILD).explanation
        assert (
            "GLEIF: consolidated by Beijing Example Network Technology Co., Ltd. "
            "(IS_DIRECTLY_CONSOLIDATED_BY, since 2020-01-01)." in sg.rationale
        )
        assert "Beijing Example Network Technology Co., Ltd. is headquartered in China (CN)" in sg.rationale
        assert "controlled by Beijing Example Network Technology Co., Ltd. → restricted" in sg.rationale
        my = _report(ctx, MY_GRANDCHILD).explanation
        # The chain reaches the ultimate parent; the direct parent is drawn on the way.
        assert {n.entity_id for n in my.chain} >= {f"gleif:lei:{x}" for x in (MY_GRANDCHILD, SG_CHILD, CN_PARENT)}
        assert "GLEIF: ultimately consolidated by Beijing Example" in my.rationale
        de = _report(ctx, DE_NONCONS).explanation.rationale
        assert (
            "GLEIF reports that no parent consolidates it (NON_CONSOLIDATING); "
            "minority holders are not in this source." in de
        )
        assert "GLEIF: a parent exists but is not disclosed (NON_PUBLIC) — review." in _report(
            ctx, NON_PUBLIC
        ).explanation.rationale
        obstacle = _report(ctx, OBSTACLE).explanation.rationale
        assert "(LEGAL_OBSTACLES, direct parent) — review" in obstacle
        assert "(BINDING_LEGAL_COMMITMENTS, ultimate parent) — review" in obstacle
        fund = _report(ctx, FUND).explanation.rationale
        assert f"GLEIF: managed by LEI {CN_PARENT} (IS_FUND-MANAGED_BY)" in fund
        assert "not ownership, so not counted" in fund
        assert "GLEIF: a branch of Beijing Example" in _report(ctx, CN_BRANCH).explanation.rationale
    finally:
        ctx.close()


def test_dates_come_from_the_relationship_period_and_inactive_relationships_are_ended(tmp_path: Path) -> None:
    paths = write_golden_copy(tmp_path / "gc", ENTITIES, RELATIONSHIPS, EXCEPTIONS, "csv")
    checked = check_gleif(paths)
    rels = {(r.owned_id, r.note.split()[1]): r for t, r in gleif_records(checked) if t == "relationships.csv"}
    sg = rels[(f"lei:{SG_CHILD}", "IS_DIRECTLY_CONSOLIDATED_BY")]
    # The accounting period (2023) is not the relationship's validity.
    assert (sg.owner_id, sg.kind, sg.start_date, sg.end_date) == (f"lei:{CN_PARENT}", "control", date(2020, 1, 1), None)
    assert sg.share_min == sg.share_max == 100.0  # the quantifier amount, where given
    sold = rels[(f"lei:{SOLD}", "IS_DIRECTLY_CONSOLIDATED_BY")]
    assert sold.end_date == date(2022, 6, 30)
    assert not any(owned == f"lei:{FUND}" for owned, _ in rels)  # fund relations are notes, not relationships


def test_names_countries_and_status_follow_the_mapping(tmp_path: Path) -> None:
    paths = write_golden_copy(tmp_path / "gc", ENTITIES, RELATIONSHIPS, EXCEPTIONS, "xml", zipped=True)
    records = list(gleif_records(check_gleif(paths)))
    entities = {r.id: r for t, r in records if t == "entities.csv"}
    names = {(r.entity_id, r.name): (r.type, r.lang) for t, r in records if t == "names.csv"}
    de = f"lei:{DE_NONCONS}"
    assert names[(de, "Nordlicht Datentechnik GmbH")] == ("former", None)
    assert names[(de, "Nordlicht")] == ("trade", None)
    assert names[(de, "Northern Light Software Ltd")] == ("local", "en")
    assert names[(de, "Nordlicht Software GmbH.")] == ("transliteration", None)
    cay = entities[f"lei:{CAYMAN}"]
    assert (cay.hq_country, cay.incorporation_country) == ("CN", "KY")
    assert entities[f"lei:{NO_LEVEL2}"].incorporation_country == "US"  # US-DE: its country part
    assert entities[f"lei:{RETIRED}"].status == "inactive"
    assert entities[f"lei:{FUND}"].kind == "fund"
    assert (entities[f"lei:{DE_NONCONS}"].ownership, entities[f"lei:{NON_PUBLIC}"].ownership) == ("complete", "partial")
    assert entities[f"lei:{NO_LEVEL2}"].ownership is None
    assert entities[f"lei:{SG_CHILD}"].ownership == "complete"  # an active consolidation parent is on file
    dangling = entities[f"lei:{UNKNOWN_PARENT}"]
    assert (dangling.name, dangling.lei, dangling.hq_country) == (UNKNOWN_PARENT, UNKNOWN_PARENT, None)


def test_reimport_replaces_the_dataset_and_reports_status_changes(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path)
    try:
        first = import_dataset(ctx, write_golden_copy(tmp_path / "a", ENTITIES, RELATIONSHIPS, EXCEPTIONS, "csv"))
        assert not first.replaced
        # The next day NON_PUBLIC is resolved: Quiet Holdings reports NON_CONSOLIDATING.
        exceptions = [x for x in EXCEPTIONS if x.lei != NON_PUBLIC] + _both(NON_PUBLIC, "NON_CONSOLIDATING")
        second = import_dataset(
            ctx, write_golden_copy(tmp_path / "b", ENTITIES, RELATIONSHIPS, exceptions, "csv", stamp="20260106-0800")
        )
        assert second.replaced and second.version == "20260106-0800"
        assert second.status_changes == 1
        assert _report(ctx, NON_PUBLIC).status == "eligible"
        with ctx.store.engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM datasets")).scalar_one() == 1
    finally:
        ctx.close()


def test_leis_merge_with_other_datasets(tmp_path: Path) -> None:
    ref = make_dataset(
        tmp_path / "ref",
        [{"id": "sg", "name": "Example SG", "hq_country": "SG", "lei": SG_CHILD}],
        dataset_id="reference",
    )
    ctx = _ctx(tmp_path)
    try:
        import_dataset(ctx, ref)
        assert reporting.entity_report(ctx, "reference:sg").status == "review"  # no owners, not complete
        import_dataset(ctx, write_golden_copy(tmp_path / "gc", ENTITIES, RELATIONSHIPS, EXCEPTIONS, "csv"))
        merged = reporting.entity_report(ctx, "reference:sg")
        assert merged.status == "restricted"  # it gained GLEIF's parent
        assert any(n.name == "Example Singapore Pte. Ltd." for n in merged.names) or merged.name.startswith(
            "Example Singapore"
        )
    finally:
        ctx.close()


# Real records --------------------------------------------------------------------------------------


def test_real_gleifr_extract_in_the_older_column_layout(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path)
    try:
        s = import_dataset(ctx, [DATA / "gleifr-entities-extract.csv", DATA / "gleifr-relationships-extract.csv"])
        assert (s.entities, s.relationships) == (45, 29)
        # Stanbic IBTC Stockbrokers (NG) is consolidated by Stanbic IBTC Holdings, whose own parents GLEIF
        # does not report in this extract: review, with the parent in the chain.
        r = reporting.entity_report(ctx, "gleif:lei:0292001381F1R1IB5B85")
        assert r.status == "review"
        assert "gleif:lei:029200388A7S7Z5I0H57" in {n.entity_id for n in r.explanation.chain}
        assert "GLEIF: consolidated by STANBIC IBTC HOLDINGS PLC (IS_DIRECTLY_CONSOLIDATED_BY, since 2006-01-25)" in (
            r.explanation.rationale
        )
        # Dates written as Unix milliseconds in the older layout: 1498089600000 is 2017-06-22.
        ceridian = reporting.entity_report(ctx, "gleif:lei:00TV1D5YIV5IDUGWBW29")
        assert "since 2017-06-22" in ceridian.explanation.rationale
        # A parent outside the extract is kept, named by its LEI.
        assert reporting.entity_report(ctx, "gleif:lei:549300J4MR4TMTZPUP92").name == "549300J4MR4TMTZPUP92"
        annulled = reporting.entity_report(ctx, "gleif:lei:0292001629A3Q7XJ0D13")
        assert annulled.name == "SFC SECURITIES LIMITED"
    finally:
        ctx.close()


def test_real_xml_records(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path)
    try:
        s = import_dataset(ctx, [DATA / "real-lei-records.xml", DATA / "real-rr-records.xml"])
        assert s.as_of == date(2018, 11, 8) and s.entities == 3
        zse = reporting.entity_report(ctx, "gleif:lei:097900BEJX0000001852")
        # RELATIONSHIP_PERIOD starts 2006-09-22; the accounting and filing periods (2017-12-14) are ignored.
        assert "GLEIF: consolidated by 315700FA4G1UK2XEQF20 (IS_DIRECTLY_CONSOLIDATED_BY, since 2006-09-22)" in (
            zse.explanation.rationale
        )
        assert zse.status == "review"
        sg = reporting.entity_report(ctx, "gleif:lei:529900W18LQJJN6SJ336")
        assert (sg.name, sg.hq_country, sg.status) == ("Société Générale Effekten GmbH", "DE", "review")
    finally:
        ctx.close()


# Bad input ------------------------------------------------------------------------------------------


def _problems(paths: Any) -> list[str]:
    with pytest.raises(DatasetError) as info:
        list(gleif_records(check_gleif(paths)))  # Level 1 is checked while it is read
    return info.value.problems


def test_unknown_relationship_type_and_exception_reason_are_reported_not_guessed(tmp_path: Path) -> None:
    rels = [*RELATIONSHIPS, Rel(SG_CHILD, CN_PARENT, "IS_BEST_FRIEND_OF")]
    exceptions = [*EXCEPTIONS, Exc(NO_LEVEL2, DIRECT, ("TOO_BUSY",))]
    paths = write_golden_copy(tmp_path / "gc", ENTITIES, rels, exceptions, "csv")
    problems = _problems(paths)
    rr, repex = paths[1].name, paths[2].name
    assert any(p.startswith(f"{rr}:12:Relationship.RelationshipType: unknown relationship type 'IS_BEST_FRIEND_OF'")
               for p in problems), problems
    assert any(p.startswith(f"{repex}:") and ":ExceptionReason: unknown exception reason 'TOO_BUSY'" in p
               for p in problems), problems


def test_missing_required_column_is_named(tmp_path: Path) -> None:
    paths = write_golden_copy(tmp_path / "gc", ENTITIES, RELATIONSHIPS, EXCEPTIONS, "csv")
    text_ = paths[1].read_text(encoding="utf-8").replace('"Relationship.RelationshipStatus"', '"Status"', 1)
    paths[1].write_text(text_, encoding="utf-8")
    assert _problems(paths) == [f"{paths[1].name}:1:Relationship.RelationshipStatus: required column is missing"]


def test_optional_columns_may_be_missing_and_old_headers_are_read(tmp_path: Path) -> None:
    paths = write_golden_copy(tmp_path / "gc", ENTITIES, RELATIONSHIPS, EXCEPTIONS, "csv")
    lines = paths[1].read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("Relationship.Quantifiers.", "Relationship.Qualifiers.")
    paths[1].write_text("\n".join(lines) + "\n", encoding="utf-8")
    records = list(gleif_records(check_gleif(paths)))
    sg = [r for t, r in records if t == "relationships.csv" and r.owned_id == f"lei:{SG_CHILD}"]
    assert any(r.share_min == 100.0 for r in sg)
    assert canonical_column("rr", "Relationship.Qualifiers.2.QuantifierUnits") == (
        "Relationship.Quantifiers.2.QuantifierUnits"
    )


def test_malformed_xml_is_reported_with_its_line(tmp_path: Path) -> None:
    paths = write_golden_copy(tmp_path / "gc", ENTITIES, RELATIONSHIPS, EXCEPTIONS, "xml")
    text_ = paths[0].read_text(encoding="utf-8")
    cut = text_.index("<lei:LEIRecord>", len(text_) // 2)
    paths[0].write_text(text_[:cut] + "<lei:LEIRecord><lei:LEI>broken</lei:Entity>\n" + text_[cut:], encoding="utf-8")
    problems = _problems(paths)
    assert len(problems) == 1 and problems[0].startswith(f"{paths[0].name}:")
    assert "malformed XML" in problems[0]


def test_truncated_zip_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path)
    try:
        import_dataset(ctx, write_golden_copy(tmp_path / "a", ENTITIES, RELATIONSHIPS, EXCEPTIONS, "csv"))
        with ctx.store.engine.connect() as conn:
            before = conn.execute(text("SELECT version, content_sha256 FROM datasets")).all()
        # Make the Level 1 file large enough that its compressed data spans many blocks, then cut it.
        many = ENTITIES + [Ent(lei(f"FILLER{i:06d}"), f"Filler Company {i} Ltd", hq="US") for i in range(3000)]
        paths = write_golden_copy(tmp_path / "b", many, RELATIONSHIPS, EXCEPTIONS, "csv", zipped=True,
                                  stamp="20260107-0800")
        data = paths[0].read_bytes()
        paths[0].write_bytes(data[: len(data) // 2])
        with pytest.raises(DatasetError) as info:
            import_dataset(ctx, paths)
        assert all(p.startswith(paths[0].name + ":") for p in info.value.problems), info.value.problems
        with ctx.store.engine.connect() as conn:
            assert conn.execute(text("SELECT version, content_sha256 FROM datasets")).all() == before
    finally:
        ctx.close()


def test_damaged_member_inside_a_zip_is_reported(tmp_path: Path) -> None:
    paths = write_golden_copy(tmp_path / "gc", ENTITIES, RELATIONSHIPS, EXCEPTIONS, "xml", zipped=True)
    with zipfile.ZipFile(paths[1]) as z:
        info = z.infolist()[0]
    data = bytearray(paths[1].read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode())
    for i in range(start + 10, start + 40):
        data[i] ^= 0xFF
    paths[1].write_bytes(bytes(data))
    problems = _problems(paths)
    assert problems and all(p.startswith(f"{paths[1].name}") for p in problems), problems
    assert "damaged or truncated" in problems[0]


def test_bad_values_are_reported_file_line_field(tmp_path: Path) -> None:
    ents = [*ENTITIES, Ent("NOT-AN-LEI", "Broken Ltd", hq="GB"), Ent(lei("EMPTYNAME"), "", hq="GB")]
    rels = [*RELATIONSHIPS, Rel(SG_CHILD, CN_PARENT, start="2020-13-45")]
    paths = write_golden_copy(tmp_path / "gc", ents, rels, EXCEPTIONS, "csv")
    problems = _problems(paths)
    l1, rr = paths[0].name, paths[1].name
    assert f"{l1}:20:LEI: 'NOT-AN-LEI' is not a valid LEI" in problems
    assert f"{l1}:21:Entity.LegalName: required value is empty" in problems
    assert f"{rr}:12:Relationship.Period.2.startDate: '2020-13-45T00:00:00.000Z' is not a date" in problems


def test_a_canonical_dataset_is_still_recognised(tmp_path: Path) -> None:
    d = make_dataset(tmp_path / "canon", [{"id": "a", "name": "A Ltd", "hq_country": "CN"}])
    ctx = _ctx(tmp_path)
    try:
        assert import_dataset(ctx, d).dataset_id == "cases"
        with pytest.raises(DatasetError):
            import_dataset(ctx, [d, d])
    finally:
        ctx.close()
