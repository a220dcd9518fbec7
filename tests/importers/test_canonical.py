"""The canonical importer reports every problem as file:line:field and imports nothing then."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from desktop_app.importers.canonical import read_dataset
from desktop_app.importers.records import DatasetError
from tests.conftest import make_dataset


def problems_of(path: Path) -> list[str]:
    with pytest.raises(DatasetError) as info:
        read_dataset(path)
    return info.value.problems


def test_valid_dataset_reads_every_table(tmp_path: Path) -> None:
    d = make_dataset(
        tmp_path / "ok",
        [{"id": "a", "name": "A Ltd", "hq_country": "CN"}, {"id": "b", "name": "B"}],
        [{"owner_id": "a", "owned_id": "b", "share": 60}],
        names=[["a", "甲", "local", "zh", "s1"]],
        identifiers=[["a", "domain", "a.example.com", "s1"]],
    )
    ds = read_dataset(d)
    assert ds.meta.id == "cases" and len(ds.entities) == 2 and ds.relationships[0].share_min == 60.0
    assert ds.names[0].name == "甲" and len(ds.content_sha256) == 64


def test_every_problem_is_reported_with_file_line_and_field(tmp_path: Path) -> None:
    d = make_dataset(
        tmp_path / "bad",
        [
            {"id": "a", "name": "A", "hq_country": "XX"},
            {"id": "a", "name": "A again"},
            {"id": "c", "name": "", "kind": "corporation", "lei": "ABCDEFGHIJKLMNOPQR12"},
        ],
        [
            {"owner_id": "a", "owned_id": "zzz", "share": 10},
            {"owner_id": "a", "owned_id": "c", "share_min": 70, "share_max": 60},
            {"owner_id": "a", "owned_id": "c", "share": 120},
            {"owner_id": "a", "owned_id": "c", "share": "lots"},
            {"owner_id": "a", "owned_id": "c", "share": 5, "start_date": "2024-13-01"},
            {"owner_id": "a", "owned_id": "c", "share": 5, "source_id": "nope"},
        ],
    )
    p = problems_of(d)
    expected = [
        "entities.csv:2:hq_country:",
        "entities.csv:3:id: duplicate",
        "entities.csv:4:name:",
        "entities.csv:4:kind:",
        "entities.csv:4:lei:",
        "relationships.csv:2:owned_id:",
        "relationships.csv:3:share_min:",
        "relationships.csv:4:share_min:",
        "relationships.csv:5:share_min:",
        "relationships.csv:6:start_date:",
        "relationships.csv:7:source_id:",
    ]
    for prefix in expected:
        assert any(line.startswith(prefix) for line in p), (prefix, p)


def test_unknown_and_missing_columns_are_named(tmp_path: Path) -> None:
    d = make_dataset(tmp_path / "cols", [{"id": "a", "name": "A"}])
    (d / "entities.csv").write_text("id,name,colour\na,A,red\n", encoding="utf-8")
    p = problems_of(d)
    assert "entities.csv:1:colour: unknown column" in p[0] or any("colour" in x for x in p)
    assert any(x.startswith("entities.csv:1:kind: required column is missing") for x in p)


def test_non_utf8_file_is_refused_with_its_line(tmp_path: Path) -> None:
    d = make_dataset(tmp_path / "enc", [{"id": "a", "name": "A"}])
    (d / "entities.csv").write_bytes("id,kind,name\na,company,A\nb,company,Soci\u00e9t\u00e9\n".encode("latin-1"))
    assert any(x.startswith("entities.csv:3:-: not UTF-8") for x in problems_of(d))


def test_missing_required_file_and_unknown_file(tmp_path: Path) -> None:
    d = make_dataset(tmp_path / "files", [{"id": "a", "name": "A"}])
    (d / "sources.csv").unlink()
    (d / "relationship.csv").write_text("x\n", encoding="utf-8")
    p = problems_of(d)
    assert any(x.startswith("sources.csv:0:-: required file is missing") for x in p)
    assert any(x.startswith("relationship.csv:0:-: unknown file") for x in p)


def test_zip_of_a_folder_imports_like_the_folder(tmp_path: Path) -> None:
    d = make_dataset(tmp_path / "z" / "mydata", [{"id": "a", "name": "A"}])
    archive = tmp_path / "mydata.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in d.iterdir():
            z.write(f, f"mydata/{f.name}")
    assert read_dataset(archive).entities[0].name == "A"


def test_bad_dataset_toml_date_is_reported(tmp_path: Path) -> None:
    d = make_dataset(tmp_path / "meta", [{"id": "a", "name": "A"}])
    (d / "dataset.toml").write_text('id = "x"\ntitle = "t"\nversion = "1"\nas_of = "yesterday"\n', encoding="utf-8")
    assert any(x.startswith("dataset.toml:0:as_of:") for x in problems_of(d))


def test_lei_check_digits_are_verified(tmp_path: Path) -> None:
    ok = make_dataset(tmp_path / "l1", [{"id": "a", "name": "A", "lei": "529900T8BM49AURSDO55"}])
    assert read_dataset(ok).entities[0].lei == "529900T8BM49AURSDO55"
    bad = make_dataset(tmp_path / "l2", [{"id": "a", "name": "A", "lei": "529900T8BM49AURSDO56"}])
    assert any("lei" in x for x in problems_of(bad))


def test_semicolon_separated_tables_are_read_like_commas(tmp_path: Path) -> None:
    # A spreadsheet saved in a European locale writes ';' between fields.
    path = make_dataset(tmp_path / "semi", [{"id": "a", "name": "Alpha GmbH", "hq_country": "DE"}])
    for table in ("entities.csv", "sources.csv"):
        f = path / table
        f.write_text(f.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    ds = read_dataset(path)
    assert [e.name for e in ds.entities] == ["Alpha GmbH"]
    assert ds.sources[0].title == "Constructed"


def test_a_header_mixing_separators_gets_a_hint(tmp_path: Path) -> None:
    path = make_dataset(tmp_path / "mixed", [{"id": "a", "name": "Alpha GmbH", "hq_country": "DE"}])
    f = path / "entities.csv"
    lines = f.read_text(encoding="utf-8").splitlines()
    f.write_text("\n".join([lines[0].replace(",", ";", 1), *lines[1:]]) + "\n", encoding="utf-8")
    found = problems_of(path)
    assert any(p.startswith("entities.csv:1:id;kind: unknown column") and "other than commas" in p for p in found)
