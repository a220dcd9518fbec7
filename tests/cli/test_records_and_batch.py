"""`clearance batch` over CSV and XLSX lists, and decision records: check --record, audit list/show/verify/export."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from tests.cli.test_cli import run
from tests.ui.sample_data import build_sample


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("records-cli")
    db = root / "sample.db"
    p = run("--db", db, "import", build_sample(root / "sample"))
    assert p.returncode == 0, p.stderr
    return db


@pytest.fixture
def db(sample_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy.db"
    shutil.copy(sample_db, copy)
    return copy


def test_batch_reads_xlsx_with_named_columns_and_writes_xlsx(db: Path, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Lead", "Web", "Land", "Owner"])
    sheet.append(["Completely Different Trading", "nordicmusic.example", "SE", "=1+1"])
    sheet.append(["TikTok Pte. Ltd.", None, "SG", "@me"])
    sheet.append(["Quixotic Zebra Upholstery", None, None, None])
    sheet["D2"].data_type = "s"  # text that reads like a formula, as a CRM export may hold
    book.save(tmp_path / "leads.xlsx")
    out = tmp_path / "out.xlsx"
    p = run("--db", db, "batch", tmp_path / "leads.xlsx", "-o", out, "--name-column", "Lead",
            "--domain-column", "2", "--country-column", "land")
    assert p.returncode == 0, p.stderr
    assert "Screened 3 rows" in p.stderr and "restricted 1, review 0, eligible 1" in p.stderr
    assert "[" not in p.stderr  # no progress bar when standard error is not a terminal
    rows = [[c.value for c in r] for r in load_workbook(out).active.iter_rows()]  # type: ignore[union-attr]
    header = rows[0]
    assert header[:4] == ["Lead", "Web", "Land", "Owner"] and "result" in header and "status" in header
    res, status = header.index("result"), header.index("status")
    assert [(r[res], r[status]) for r in rows[1:]] == [
        ("match", "eligible"), ("match", "restricted"), ("not on file", "not on file")]
    assert rows[1][3] == "'=1+1" and rows[2][3] == "'@me"


def test_batch_json_finds_columns_by_header_and_reports_bad_countries(db: Path, tmp_path: Path) -> None:
    src = tmp_path / "leads.csv"
    src.write_text("Company;E-mail;Country\nNordic Music AB;;Narnia\n;ops@tiktok.com;\n", encoding="utf-8")
    p = run("--db", db, "batch", src, "--json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["columns"] == {"name": "Company", "domain": None, "email": "E-mail", "country": "Country"}
    first, second = out["rows"]
    assert first["result"] == "match" and first["status"] == "eligible" and first["line"] == 2
    assert second["match"]["matched_by"] == "e-mail" and second["status"] == "restricted"
    assert "leads.csv:2:Country: 'Narnia' is not a country; not used" in p.stderr
    assert out["counts"]["restricted"] == 1


def test_batch_refuses_an_unknown_column_naming_the_columns(db: Path, tmp_path: Path) -> None:
    src = tmp_path / "leads.csv"
    src.write_text("Company,Domain\nAcme,acme.example\n", encoding="utf-8")
    p = run("--db", db, "batch", src, "--email-column", "Mail")
    assert p.returncode == 3 and "no email column 'Mail'; the columns are: Company, Domain" in p.stderr


def test_check_record_then_audit_list_show_verify_and_export(db: Path, tmp_path: Path) -> None:
    p = run("--db", db, "check", "TikTok Pte. Ltd.", "--record", "--note", "renewal", "--customer-ref", "CRM-7")
    assert p.returncode == 0 and "Recorded as decision 1" in p.stderr
    p = run("--db", db, "check", "Quixotic Zebra Upholstery", "--record", "--json")
    assert p.returncode == 1 and json.loads(p.stdout)["match"] is None and "decision 2" in p.stderr
    assert run("--db", db, "check", "TikTok", "--note", "x").returncode == 2  # a note needs --record

    listed = run("--db", db, "audit", "list")
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert lines[0].split()[0] == "2" and "NOT ON FILE" in lines[0]
    assert "RESTRICTED" in lines[1] and "TikTok Pte. Ltd. [CRM-7]" in lines[1]
    only = json.loads(run("--db", db, "audit", "list", "--customer-ref", "CRM-7", "--json").stdout)
    assert [r["seq"] for r in only] == [1]

    shown = run("--db", db, "audit", "show", "1")
    assert "Status: RESTRICTED" in shown.stdout and "Note: renewal" in shown.stdout
    assert "Previous record's hash: " + "0" * 64 in shown.stdout
    full = json.loads(run("--db", db, "audit", "show", "1", "--json").stdout)
    assert full["record"]["check"]["determination"]["status"] == "restricted"
    assert run("--db", db, "audit", "show", "9").returncode == 1

    ok = run("--db", db, "audit", "verify")
    assert ok.returncode == 0 and "Chain intact: 2 records" in ok.stdout
    assert run("--db", db, "audit", "export", tmp_path / "all.jsonl").returncode == 0
    assert len((tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()) == 2
    trail = run("--db", db, "audit")  # the lookups shown to users, as before
    assert trail.returncode == 0 and "'TikTok Pte. Ltd.'" in trail.stdout


def test_audit_verify_exits_non_zero_naming_a_tampered_record(db: Path) -> None:
    for q in ("TikTok Pte. Ltd.", "Nordic Music AB", "Tencent Holdings"):
        assert run("--db", db, "check", q, "--record").returncode == 0
    con = sqlite3.connect(db)
    con.execute("UPDATE decision_records SET status = 'eligible', "
                "content_json = replace(content_json, '\"status\":\"restricted\"', '\"status\":\"eligible\"') "
                "WHERE seq = 1")
    con.commit()
    con.close()
    p = run("--db", db, "audit", "verify")
    assert p.returncode == 3 and "BROKEN at decision record 1" in p.stdout


def test_audit_show_pdf_writes_a_pdf_with_the_decision(db: Path, tmp_path: Path) -> None:
    assert run("--db", db, "check", "TikTok Pte. Ltd.", "--record", "--customer-ref", "CRM-9").returncode == 0
    pdf = tmp_path / "record.pdf"
    p = run("--db", db, "audit", "show", "1", "--pdf", pdf)
    assert p.returncode == 0, p.stderr
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page") - data.count(b"/Type /Pages") >= 1
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text is not checked")
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("RESTRICTED", "TikTok Pte. Ltd.", "CRM-9", "Ownership graph", "ByteDance Ltd.", "Sources",
                     "SHA-256"):
        assert expected in out, expected
