"""The command line end to end, as users run it, against real SQLite files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED, db_snapshot, make_dataset, write_csv

CLI = [sys.executable, "-m", "desktop_app"]


def run(
    *args: str | Path, env: dict[str, str] | None = None, home: Path | None = None
) -> subprocess.CompletedProcess[str]:
    e = {k: v for k, v in os.environ.items() if k != "CLEARANCE_DB"}
    if home is not None:
        e.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"))
    e.update(env or {})
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, env=e, timeout=120)


def check(db: Path, query: str, *extra: str) -> tuple[int, dict[str, Any]]:
    p = run("--db", db, *extra, "check", query, "--json")
    assert p.returncode in (0, 1), p.stderr
    return p.returncode, json.loads(p.stdout)


CASES = [
    {
        "id": "bd",
        "name": "ByteDance Ltd.",
        "hq_country": "CN",
        "incorporation_country": "KY",
        "website": "bytedance.com",
    },
    {"id": "tt", "name": "TikTok Ltd.", "incorporation_country": "KY"},
    {"id": "ttsg", "name": "TikTok Pte. Ltd.", "hq_country": "SG", "website": "tiktok.com"},
    {"id": "tc", "name": "Tencent Holdings Limited", "hq_country": "CN", "incorporation_country": "KY"},
    {"id": "xylo", "name": "Xylophone Games Oy", "hq_country": "FI", "ownership": "complete"},
    {"id": "half", "name": "Halfway Robotics GmbH", "hq_country": "DE", "ownership": "complete"},
    {"id": "agg", "name": "Aggregate Mining plc", "hq_country": "GB", "ownership": "complete"},
    {"id": "ru1", "name": "Volga Steel PJSC", "hq_country": "RU"},
    {"id": "part", "name": "Partial Knowledge Inc", "hq_country": "US", "ownership": "partial"},
    {"id": "ctl", "name": "Controlled Shipping Ltd", "hq_country": "MT"},
    {"id": "ir1", "name": "Tehran Petro Trading", "hq_country": "IR"},
    {"id": "cay", "name": "Lotus Cayman Holdings", "hq_country": "CN", "incorporation_country": "KY"},
    {"id": "sold", "name": "Formerly Owned Games AB", "hq_country": "SE", "ownership": "complete"},
    {"id": "per", "name": "Ivan Petrov", "kind": "person", "residence_country": "RU"},
    {"id": "pco", "name": "Personal Holdings Ltd", "hq_country": "CY", "ownership": "complete"},
    {"id": "loop1", "name": "Orbit Alpha AG", "hq_country": "CH", "ownership": "complete"},
    {"id": "loop2", "name": "Orbit Beta AG", "hq_country": "CH", "ownership": "complete"},
    {"id": "unk", "name": "Unknown Stake Ventures", "hq_country": "US", "ownership": "complete"},
    {"id": "us1", "name": "Plainfield Capital LLC", "hq_country": "US", "ownership": "complete"},
    {"id": "quiet", "name": "Quietwater Analytics Ltd", "hq_country": "IE"},
    {"id": "nocountry", "name": "Nowhere Partners Fund", "kind": "fund", "ownership": "complete"},
    {
        "id": "listed",
        "name": "Harbourline Telecom Berhad",
        "hq_country": "MY",
        "ownership": "complete",
        "public_float": 72.5,
    },
    {"id": "anon", "name": "Anonymous Holdco SA", "hq_country": "LU"},
]
RELS = [
    {"owner_id": "bd", "owned_id": "tt", "share": 100},
    {"owner_id": "tt", "owned_id": "ttsg", "share": 100},
    {"owner_id": "tc", "owned_id": "xylo", "share": 18.7},
    {"owner_id": "tc", "owned_id": "half", "share": 50},
    {"owner_id": "tc", "owned_id": "agg", "share": 30},
    {"owner_id": "ru1", "owned_id": "agg", "share": 25},
    {"owner_id": "tc", "owned_id": "part", "share": 20},
    {"owner_id": "ir1", "owned_id": "ctl", "share": 10},
    {"owner_id": "ir1", "owned_id": "ctl", "kind": "control"},
    {"owner_id": "tc", "owned_id": "sold", "share": 80, "end_date": "2024-06-30"},
    {"owner_id": "per", "owned_id": "pco", "share": 70},
    {"owner_id": "loop1", "owned_id": "loop2", "share": 60},
    {"owner_id": "loop2", "owned_id": "loop1", "share": 60},
    {"owner_id": "us1", "owned_id": "unk", "share": 60},
    {"owner_id": "ir1", "owned_id": "unk"},
    {"owner_id": "tc", "owned_id": "listed", "share": 7.5},
    {"owner_id": "anon", "owned_id": "listed", "share": 20},
]


@pytest.fixture(scope="module")
def cases_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli")
    ds = make_dataset(
        root / "cases",
        CASES,
        RELS,
        names=[["bd", "字节跳动", "local", "zh-Hans", "s1"]],
        identifiers=[["tt", "domain", "tiktokglobal.example", "s1"]],
    )
    db = root / "cases.db"
    p = run("--db", db, "import", ds)
    assert p.returncode == 0, p.stderr
    return db


@pytest.mark.parametrize(
    ("query", "status", "low", "high"),
    [
        ("TikTok Pte. Ltd.", "restricted", 100.0, 100.0),  # cascade through TikTok Ltd. to ByteDance (CN)
        ("Lotus Cayman Holdings", "restricted", 100.0, 100.0),  # HQ in CN decides, not the Cayman incorporation
        ("Xylophone Games", "eligible", 18.7, 18.7),  # Tencent 18.7% < 50%
        ("Halfway Robotics", "review", 50.0, 50.0),  # exactly 50% is not "more than 50%": review band
        ("Aggregate Mining", "restricted", 55.0, 55.0),  # 30% + 25% from two restricted owners
        ("Partial Knowledge", "review", 20.0, 100.0),  # 80% unrecorded could be restricted
        ("Controlled Shipping", "restricted", 100.0, 100.0),  # control by an Iranian company
        ("Formerly Owned Games", "eligible", 0.0, 0.0),  # the 80% stake ended in 2024
        ("Personal Holdings", "review", 0.0, 0.0),  # a person resident in Russia holds 70%
        ("Orbit Alpha", "eligible", 0.0, 0.0),  # cross-holding with no restricted party
        ("Unknown Stake Ventures", "eligible", 0.0, 40.0),  # unknown Iranian share capped at 100 − 60
    ],
)
def test_check_gives_the_determination_design_defines(
    cases_db: Path, query: str, status: str, low: float, high: float
) -> None:
    code, out = check(cases_db, query)
    assert code == 0, out
    d = out["determination"]
    assert (d["status"], d["restricted_share"]["min"], d["restricted_share"]["max"]) == (status, low, high)
    assert d["rationale"] and d["policy"]["id"] == "unsupported-regions"


def test_check_json_chain_reaches_the_headquarters_group(cases_db: Path) -> None:
    _, out = check(cases_db, "TikTok Pte. Ltd.")
    chain = out["determination"]["chain"]
    assert [n["name"] for n in chain] == ["TikTok Pte. Ltd.", "TikTok Ltd.", "ByteDance Ltd."]
    assert chain[0]["owners"][0]["share_min"] == 100.0 and chain[2]["hq_country"] == "CN"
    assert out["match"]["matched_on"] == "name"


def test_check_output_validates_against_the_contract_schema(cases_db: Path) -> None:
    schema_file = SHARED / "contract" / "check-output.schema.json"
    if not schema_file.exists():
        pytest.skip("the shared contract folder is not present in this checkout")
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    for query in ("TikTok Pte. Ltd.", "Halfway Robotics", "no such company whatsoever", "字节跳动", "a@tiktok.com"):
        _, out = check(cases_db, query)
        jsonschema.validate(out, schema)


def test_email_and_local_script_queries_find_the_company(cases_db: Path) -> None:
    code, out = check(cases_db, "someone@mail.tiktok.com")
    assert code == 0 and out["match"]["name"] == "TikTok Pte. Ltd." and out["match"]["matched_on"] == "domain"
    code, out = check(cases_db, "字节跳动")
    assert code == 0 and out["match"]["name"] == "ByteDance Ltd."


def test_not_on_file_exits_1_with_null_match_and_says_so(cases_db: Path) -> None:
    code, out = check(cases_db, "Zanzibar Quantum Bakery")
    assert code == 1 and out["match"] is None and out["determination"] is None
    p = run("--db", cases_db, "check", "Zanzibar Quantum Bakery")
    assert p.returncode == 1 and "not in the data" in p.stdout and "ELIGIBLE" not in p.stdout


def test_weak_words_alone_never_make_a_match(cases_db: Path) -> None:
    code, out = check(cases_db, "Beta Holdings Limited")
    assert code == 1 and out["match"] is None


def test_human_output_puts_status_first_then_chain_then_rationale(cases_db: Path) -> None:
    p = run("--db", cases_db, "check", "TikTok Pte. Ltd.")
    lines = p.stdout.splitlines()
    assert lines[0].startswith("RESTRICTED")
    text = p.stdout
    assert text.index("Ownership chain") < text.index("└─ 100%: TikTok Ltd.") < text.index("Rationale")


def test_policy_variant_changes_the_decision(cases_db: Path, tmp_path: Path) -> None:
    inclusive = tmp_path / "inclusive.toml"
    inclusive.write_text(
        'id = "inclusive"\nversion = "1"\nrestricted_jurisdictions = ["CN", "RU", "IR", "KP"]\n'
        "threshold = 50.0\nthreshold_inclusive = true\n",
        encoding="utf-8",
    )
    _, out = check(cases_db, "Halfway Robotics", "--policy", str(inclusive))
    assert out["determination"]["status"] == "restricted"
    assert out["determination"]["policy"]["id"] == "inclusive"
    cascade = tmp_path / "cascade.toml"
    cascade.write_text(
        'id = "c"\nversion = "1"\nrestricted_jurisdictions = ["CN"]\nthreshold = 50\npersons = "ignore"\n',
        encoding="utf-8",
    )
    _, out = check(cases_db, "Personal Holdings", "--policy", str(cascade))
    assert out["determination"]["status"] == "eligible"


def test_bad_policy_is_refused_with_exit_3(cases_db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'id = "x"\nversion = "1"\nrestricted_jurisdictions = ["CN"]\nthreshold = 50\ntreshold = 40\n', encoding="utf-8"
    )
    p = run("--db", cases_db, "--policy", bad, "check", "TikTok")
    assert p.returncode == 3 and "treshold" in p.stderr


def test_usage_error_exits_2() -> None:
    assert run("check").returncode == 2
    assert run("frobnicate").returncode == 2


def test_every_command_has_help() -> None:
    for cmd in ("check", "search", "show", "import", "db", "batch", "report", "audit", "gui"):
        p = run(cmd, "--help")
        assert p.returncode == 0 and "usage:" in p.stdout, cmd


def test_malformed_dataset_is_refused_listing_every_error_and_changes_nothing(cases_db: Path, tmp_path: Path) -> None:
    before = db_snapshot(cases_db)
    bad = make_dataset(
        tmp_path / "bad",
        [{"id": "a", "name": "A", "hq_country": "ZZ"}, {"id": "a", "name": "B"}],
        [{"owner_id": "a", "owned_id": "nobody", "share": 150}],
        dataset_id="cases",
    )
    p = run("--db", cases_db, "import", bad)
    assert p.returncode == 3
    for expected in (
        "entities.csv:2:hq_country",
        "entities.csv:3:id",
        "relationships.csv:2:owned_id",
        "relationships.csv:2:share_min",
    ):
        assert expected in p.stderr, p.stderr
    assert db_snapshot(cases_db) == before


def test_reimport_replaces_the_dataset_and_lei_merges_across_datasets(tmp_path: Path) -> None:
    db = tmp_path / "merge.db"
    lei = "529900T8BM49AURSDO55"
    a = make_dataset(
        tmp_path / "a",
        [{"id": "x", "name": "Mergeco Trading SA", "hq_country": "FR", "lei": lei, "ownership": "complete"}],
        dataset_id="alpha",
    )
    b = make_dataset(
        tmp_path / "b",
        [{"id": "p", "name": "Red Parent Co", "hq_country": "CN"}, {"id": "x2", "name": "Mergeco SA", "lei": lei}],
        [{"owner_id": "p", "owned_id": "x2", "share": 75}],
        dataset_id="beta",
    )
    assert run("--db", db, "import", a).returncode == 0
    _, out = check(db, "Mergeco Trading")
    assert out["determination"]["status"] == "eligible"
    assert run("--db", db, "import", b).returncode == 0
    _, out = check(db, "Mergeco Trading")
    assert out["determination"]["status"] == "restricted"  # the beta record shares the LEI: one entity
    b2 = make_dataset(
        tmp_path / "b2", [{"id": "p", "name": "Red Parent Co", "hq_country": "CN"}], dataset_id="beta", version="2"
    )
    p = run("--db", db, "import", b2)
    assert p.returncode == 0 and "Replaced" in p.stdout
    _, out = check(db, "Mergeco Trading")
    assert out["determination"]["status"] == "eligible"
    info = json.loads(run("--db", db, "db", "info", "--json").stdout)
    assert {d["id"]: d["version"] for d in info["datasets"]} == {"alpha": "1", "beta": "2"}


@pytest.mark.slow
def test_killed_import_leaves_the_database_exactly_as_it_was(cases_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "kill.db"
    db.write_bytes(cases_db.read_bytes())
    before = db_snapshot(db)
    big = tmp_path / "big"
    make_dataset(big, [{"id": "x", "name": "X"}], dataset_id="big")
    n = 300_000
    write_csv(
        big / "entities.csv",
        ["id", "kind", "name", "hq_country", "source_id"],
        ([f"e{i}", "company", f"Company number {i} Ltd", "CN" if i % 7 == 0 else "US", "s1"] for i in range(n)),
    )
    write_csv(
        big / "relationships.csv",
        ["owner_id", "owned_id", "kind", "share_min", "share_max", "source_id"],
        ([f"e{i}", f"e{i + 1}", "ownership", 60, 60, "s1"] for i in range(0, n - 1, 2)),
    )
    proc = subprocess.Popen(
        [*CLI, "--db", str(db), "import", str(big)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wal = Path(str(db) + "-wal")
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > 4_000_000:  # writing is under way
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the import finished before it could be killed; make the dataset bigger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert db_snapshot(db) == before
    assert run("--db", db, "check", "TikTok Pte. Ltd.").returncode == 0


def test_fresh_home_without_db_answers_from_embedded_reference_data(tmp_path: Path) -> None:
    p = run("check", "TikTok Pte. Ltd.", "--json", home=tmp_path)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    d = out["determination"]
    assert d["status"] == "restricted"
    assert any("ByteDance" in n["name"] and n["hq_country"] == "CN" for n in d["chain"])
    assert (tmp_path / ".local" / "share" / "Clearance" / "clearance.db").exists()
    p = run("check", "字节跳动", "--json", home=tmp_path)
    assert json.loads(p.stdout)["determination"]["status"] == "restricted"


def test_batch_writes_csv_and_neutralises_formulas(cases_db: Path, tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text('name\nTikTok Pte. Ltd.\n=HYPERLINK("x")\nXylophone Games\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    assert run("--db", cases_db, "batch", src, "-o", out).returncode == 0
    text = out.read_text(encoding="utf-8")
    assert "restricted" in text and "eligible" in text and "not on file" in text
    assert "\n=HYPERLINK" not in text and "'=HYPERLINK" in text


def test_a_file_that_is_not_a_database_is_refused_with_exit_3(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("meeting notes, not a database\n", encoding="utf-8")
    p = run("--db", bogus, "check", "TikTok")
    assert p.returncode == 3 and "not a database" in p.stderr and "sqlalche" not in p.stderr
    assert bogus.read_text(encoding="utf-8") == "meeting notes, not a database\n"


def test_an_empty_query_is_a_usage_error(cases_db: Path) -> None:
    assert run("--db", cases_db, "check", "   ").returncode == 2


def test_domain_shared_by_a_group_matches_the_parent_and_unrelated_sharers_stay_ambiguous(tmp_path: Path) -> None:
    ds = make_dataset(
        tmp_path / "shared",
        [
            {"id": "top", "name": "Kestrel Group Ltd", "hq_country": "CN", "website": "kestrel.example"},
            {"id": "uk", "name": "Kestrel UK Ltd", "hq_country": "GB", "website": "kestrel.example"},
            {"id": "sg", "name": "Kestrel Singapore Pte Ltd", "hq_country": "SG", "website": "kestrel.example"},
            {"id": "a", "name": "Heron Analytics", "hq_country": "US", "website": "birds.example"},
            {"id": "b", "name": "Plover Logistics", "hq_country": "DE", "website": "birds.example"},
        ],
        [{"owner_id": "top", "owned_id": "uk", "share": 100}, {"owner_id": "uk", "owned_id": "sg", "share": 100}],
    )
    db = tmp_path / "shared.db"
    assert run("--db", db, "import", ds).returncode == 0
    code, out = check(db, "sales@kestrel.example")
    assert code == 0 and out["match"]["name"] == "Kestrel Group Ltd" and out["match"]["matched_on"] == "domain"
    assert {a["name"] for a in out["alternatives"]} == {"Kestrel UK Ltd", "Kestrel Singapore Pte Ltd"}
    code, out = check(db, "info@birds.example")
    assert code == 1 and out["match"] is None and len(out["alternatives"]) == 2


def test_a_curated_entity_keeps_its_headquarters_when_a_register_shares_its_lei(tmp_path: Path) -> None:
    # The register files from Hong Kong; the curated record says the group is directed from China.
    db = tmp_path / "precedence.db"
    lei = "529900T8BM49AURSDO55"
    curated = make_dataset(
        tmp_path / "curated",
        [{"id": "grp", "name": "Lotus Harbour Group Ltd", "hq_country": "CN", "incorporation_country": "KY",
          "lei": lei}],
        dataset_id="team",
    )
    register = make_dataset(
        tmp_path / "register",
        [{"id": lei, "name": "LOTUS HARBOUR GROUP LIMITED", "hq_country": "HK", "incorporation_country": "KY",
          "lei": lei, "ownership": "complete"}],
        dataset_id="gleif",
    )
    assert run("--db", db, "import", curated).returncode == 0
    assert run("--db", db, "import", register).returncode == 0
    code, out = check(db, "Lotus Harbour Group")
    assert code == 0, out
    assert out["match"]["entity_id"] == "team:grp"  # "team" sorts after "gleif": precedence, not order
    assert out["determination"]["status"] == "restricted"


def test_a_failed_index_process_is_reported_in_one_line_and_changes_nothing(
    cases_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop_app import cli
    from desktop_app.services import importing
    from desktop_app.store import index_builder

    db = tmp_path / "failed.db"
    db.write_bytes(cases_db.read_bytes())
    before = db_snapshot(db)
    ds = make_dataset(tmp_path / "d", [{"id": "a", "name": "Acme Widgets GmbH", "hq_country": "DE"}], dataset_id="d")

    def stopped(self: index_builder.AsideBuilder, tick: Any = None) -> None:
        raise index_builder.IndexBuildError("the index process stopped ([Errno 32] Broken pipe)")

    monkeypatch.setattr(importing, "ASIDE_MIN_BYTES", 0)
    monkeypatch.setattr(index_builder.AsideBuilder, "finish", stopped)
    code = cli.main(["--db", str(db), "import", str(ds)])
    err = capsys.readouterr().err
    assert code == 1
    assert "the import stopped and changed nothing: the index process stopped" in err
    assert "Traceback" not in err
    assert db_snapshot(db) == before
    assert not list(tmp_path.glob("*.index-build*"))
