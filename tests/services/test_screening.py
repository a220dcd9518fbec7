"""Screening a lead list against a real SQLite database: reading, columns, the match rules, export."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from desktop_app.services import importing, lookup, screening
from desktop_app.services.context import AppContext, open_context
from tests.conftest import make_dataset
from tests.ui.sample_data import ENTITIES, IDENTIFIERS, NAMES, RELATIONSHIPS

EXTRA = [
    {"id": "lde", "name": "Lumen Optics GmbH", "hq_country": "DE", "ownership": "complete"},
    {"id": "lgb", "name": "Lumen Optics Ltd", "hq_country": "GB", "ownership": "complete"},
]


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    root = tmp_path_factory.mktemp("screening")
    ds = make_dataset(root / "ds", ENTITIES + EXTRA, RELATIONSHIPS, NAMES, IDENTIFIERS, dataset_id="sample")
    context = open_context(db=root / "s.db", seed_reference=False)
    importing.import_dataset(context, ds)
    yield context
    context.close()


def screen_one(ctx: AppContext, **lead: Any) -> screening.ScreenedRow:
    return screening.screen_lead(ctx, screening.Lead(line=2, **lead))


def test_semicolon_csv_is_sniffed_and_its_columns_found_by_header(tmp_path: Path) -> None:
    f = tmp_path / "leads.csv"
    f.write_text("Firma;Company Website;E-Mail;Country\nAcme; acme.example ;a@acme.example;DE\n", encoding="utf-8")
    table = screening.read_list(f)
    assert table.header == ("Firma", "Company Website", "E-Mail", "Country")
    assert table.rows == (("Acme", "acme.example", "a@acme.example", "DE"),)
    assert table.lines == (2,)
    cols = screening.guess_columns(table)
    # "Firma" is no header word: the name is the first column no other role took
    assert (cols.name, cols.domain, cols.email, cols.country) == (0, 1, 2, 3)


def test_a_list_without_header_and_pasted_lines_are_read_as_names() -> None:
    table = screening.parse_pasted("TikTok Pte. Ltd.\n\nNordic Music AB\n")
    assert not table.has_header and table.header == ("Column 1",)
    assert [r[0] for r in table.rows] == ["TikTok Pte. Ltd.", "Nordic Music AB"]
    assert table.lines == (1, 3)
    assert screening.guess_columns(table).name == 0


def test_pasted_spreadsheet_cells_keep_their_columns() -> None:
    table = screening.parse_pasted("Company\tDomain\nTikTok\ttiktok.com\n")
    cols = screening.guess_columns(table)
    assert (cols.name, cols.domain) == (0, 1)


def test_xlsx_is_read_from_its_first_sheet(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Account Name", "Website", "Employees"])
    sheet.append(["TikTok Pte. Ltd.", "tiktok.com", 1200])
    sheet.append([None, None, None])
    sheet.append(["Nordic Music AB", None, 12.0])
    book.save(tmp_path / "leads.xlsx")
    table = screening.read_list(tmp_path / "leads.xlsx")
    assert table.rows == (("TikTok Pte. Ltd.", "tiktok.com", "1200"), ("Nordic Music AB", "", "12"))
    assert table.lines == (2, 4)
    cols = screening.guess_columns(table)
    assert (cols.name, cols.domain, cols.email) == (0, 1, None)


def test_unreadable_lists_are_refused_naming_the_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(screening.ListError, match=r"empty\.csv: the list is empty"):
        screening.read_list(empty)
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(screening.ListError, match=r"fake\.xlsx: not a readable XLSX"):
        screening.read_list(fake)
    table = screening.parse_pasted("Company\tDomain\nA\tb.com\n")
    with pytest.raises(screening.ListError, match="no name column 'Firm'; the columns are: Company, Domain"):
        screening.column_index(table, "Firm", "name")


def test_a_name_on_file_is_a_match_with_its_status(ctx: AppContext) -> None:
    row = screen_one(ctx, name="TikTok Pte. Ltd.")
    assert row.verdict == "match" and row.status == "restricted" and row.matched_by == "name"
    assert row.hit is not None and row.hit.entity_id == "sample:ttpte"
    # the same decision as `clearance check`
    assert lookup.check(ctx, "TikTok Pte. Ltd.").match == row.hit


def test_domain_and_email_are_looked_up_as_identifiers(ctx: AppContext) -> None:
    by_domain = screen_one(ctx, name="Completely Different Trading", domain="https://www.nordicmusic.example/about")
    assert by_domain.verdict == "match" and by_domain.matched_by == "domain"
    assert by_domain.hit is not None and by_domain.hit.name == "Nordic Music AB"
    assert by_domain.status == "eligible"
    by_mail = screen_one(ctx, email="jane.doe@tiktok.com")
    assert by_mail.verdict == "match" and by_mail.matched_by == "e-mail" and by_mail.status == "restricted"


def test_a_group_domain_with_a_subsidiary_name_takes_the_more_specific_name(ctx: AppContext) -> None:
    row = screen_one(ctx, name="TikTok Ltd.", domain="bytedance.com")
    assert row.verdict == "match" and row.hit is not None and row.hit.name == "TikTok Ltd."
    assert "group" in row.note


def test_a_country_narrows_a_tie_to_the_company_in_that_country(ctx: AppContext) -> None:
    tie = screen_one(ctx, name="Lumen Optics")
    assert tie.verdict == "possible match" and tie.status is None
    narrowed = screen_one(ctx, name="Lumen Optics", country="DE")
    assert narrowed.verdict == "match" and narrowed.hit is not None and narrowed.hit.name == "Lumen Optics GmbH"


def test_a_match_in_another_country_than_the_list_says_is_only_a_possible_match(ctx: AppContext) -> None:
    row = screen_one(ctx, name="Nordic Music AB", country="US")
    assert row.verdict == "possible match" and row.status is None
    assert row.hit is not None and row.hit.name == "Nordic Music AB" and "the list says US" in row.note


def test_unknown_company_is_not_on_file_with_no_status(ctx: AppContext) -> None:
    row = screen_one(ctx, name="Quixotic Zebra Upholstery")
    assert row.verdict == "not on file" and row.status is None and row.hit is None
    assert row.status_label == "not on file"


def test_country_names_and_codes_are_understood_and_a_bad_one_is_reported() -> None:
    assert screening.country_code("de") == "DE"
    assert screening.country_code("Germany") == "DE"
    assert screening.country_code("United Kingdom") == "GB"
    table = screening.parse_pasted("Company\tCountry\nAcme\tNarnia\n")
    (lead,) = screening.leads(table, screening.guess_columns(table))
    assert lead.country == "" and lead.problem == "pasted lines:2:Country: 'Narnia' is not a country; not used"


def test_screening_counts_each_status_and_stops_when_cancelled(ctx: AppContext) -> None:
    names = ["TikTok Pte. Ltd.", "Nordic Music AB", "Quixotic Zebra Upholstery", "TikTok Pte. Ltd."] * 5
    table = screening.parse_pasted("\n".join(names))
    cols = screening.guess_columns(table)
    seen: list[tuple[int, int]] = []
    result = screening.screen(ctx, table, cols, lambda _w, done, total: seen.append((done, total)))
    assert not result.cancelled and len(result.rows) == 20
    assert result.counts == {"restricted": 10, "review": 0, "eligible": 5, "possible match": 0, "not on file": 5}
    assert seen[-1] == (20, 20)
    stop_after = 7
    partial = screening.screen(ctx, table, cols, lambda _w, done, _t: seen.append((done, 0)),
                               cancelled=lambda: len(seen) > 20 + stop_after - 1)
    assert partial.cancelled and len(partial.rows) == stop_after and partial.total == 20


def test_export_keeps_the_input_columns_and_neutralises_formulas(ctx: AppContext, tmp_path: Path) -> None:
    table = screening.parse_pasted('Company\tNotes\nTikTok Pte. Ltd.\t=HYPERLINK("http://x","y")\n'
                                   "@SUM(A1)\t+1\n-2 Corp\tplain\n")
    result = screening.screen(ctx, table, screening.guess_columns(table))
    screening.export(result, tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:3] == ["Company", "Notes", "result"]
    assert rows[1][:4] == ["TikTok Pte. Ltd.", "'=HYPERLINK(\"http://x\",\"y\")", "match", "restricted"]
    assert rows[2][:2] == ["'@SUM(A1)", "'+1"] and rows[3][0] == "'-2 Corp"
    screening.export(result, tmp_path / "out.xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx").active
    assert sheet is not None
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[1][1] == "'=HYPERLINK(\"http://x\",\"y\")" and values[2][0] == "'@SUM(A1)"
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)  # no cell is a formula
    assert values[1][4] == 100.0  # numbers stay numbers: restricted_min of TikTok Pte. Ltd.


def test_worker_processes_give_the_same_rows_as_one_process(ctx: AppContext,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    names = [f"Quixotic Zebra {i}" if i % 3 else n for i, n in
             enumerate(["TikTok Pte. Ltd.", "Nordic Music AB", "Lumen Optics"] * 20)]
    table = screening.parse_pasted("\n".join([*names, "Nordic Music AB", ""]))
    cols = screening.guess_columns(table)
    serial = screening.screen(ctx, table, cols, workers=1)
    monkeypatch.setattr(screening, "PARALLEL_FROM", 10)
    monkeypatch.setattr(screening, "CHUNK", 7)
    seen: list[int] = []
    parallel = screening.screen(ctx, table, cols, lambda _w, done, _t: seen.append(done), workers=2)
    assert [(r.index, r.verdict, r.hit) for r in parallel.rows] == [(r.index, r.verdict, r.hit) for r in serial.rows]
    assert parallel.counts == serial.counts and len(parallel.rows) == 61 and seen[-1] == 61
