"""`clearance import` of the GLEIF golden copy end to end: several paths, what changed, db info, a kill."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.cli.test_cli import CLI, check, run
from tests.conftest import db_snapshot
from tests.importers.gleif_builder import L1_COLS, RR_COLS, Exc, Rel, lei, write_golden_copy
from tests.importers.test_gleif import (
    CN_PARENT,
    DE_NONCONS,
    ENTITIES,
    EXCEPTIONS,
    NO_LEVEL2,
    NON_PUBLIC,
    RELATIONSHIPS,
    SG_CHILD,
)


def test_import_of_the_three_files_then_check_and_db_info(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    paths = write_golden_copy(tmp_path / "gc", ENTITIES, RELATIONSHIPS, EXCEPTIONS, "csv", zipped=True)
    p = run("--db", db, "import", *paths)
    assert p.returncode == 0, p.stderr
    assert "Imported dataset gleif 20260105-0800 (as of 2026-01-05)" in p.stdout
    assert "Changed: 19 entities, 8 relationships; 0 entities changed status." in p.stdout
    code, out = check(db, "Example Singapore Pte. Ltd.")
    assert code == 0 and out["determination"]["status"] == "restricted"
    assert "GLEIF: consolidated by Beijing Example Network Technology Co., Ltd." in out["determination"]["rationale"]
    _, out = check(db, SG_CHILD)  # an LEI is looked up exactly
    assert out["match"]["entity_id"] == f"gleif:lei:{SG_CHILD}"
    expected = ((DE_NONCONS, "eligible"), (NON_PUBLIC, "review"), (NO_LEVEL2, "review"), (CN_PARENT, "restricted"))
    for who, status in expected:
        _, out = check(db, who)
        assert out["determination"]["status"] == status, who
    info = run("--db", db, "db", "info")
    assert "gleif 20260105-0800 as of 2026-01-05 — GLEIF golden copy (19 entities, 8 relationships)" in info.stdout
    data = json.loads(run("--db", db, "db", "info", "--json").stdout)
    assert [(d["id"], d["as_of"], d["entities"], d["relationships"]) for d in data["datasets"]] == [
        ("gleif", "2026-01-05", 19, 8)
    ]


def test_a_refused_golden_copy_prints_every_problem_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    first = write_golden_copy(tmp_path / "a", ENTITIES, RELATIONSHIPS, EXCEPTIONS)
    assert run("--db", db, "import", *first).returncode == 0
    before = db_snapshot(db)
    bad = write_golden_copy(tmp_path / "b", ENTITIES, [*RELATIONSHIPS, Rel(SG_CHILD, CN_PARENT, "IS_OWNED_BY")],
                            [*EXCEPTIONS, Exc(NO_LEVEL2, "DIRECT_ACCOUNTING_CONSOLIDATION_PARENT", ("BUSY",))],
                            stamp="20260106-0800")
    p = run("--db", db, "import", tmp_path / "b")
    assert p.returncode == 3
    assert f"{bad[1].name}:12:Relationship.RelationshipType: unknown relationship type 'IS_OWNED_BY'" in p.stderr
    assert f"{bad[2].name}:" in p.stderr and "unknown exception reason 'BUSY'" in p.stderr
    assert db_snapshot(db) == before


@pytest.mark.slow
def test_killed_gleif_import_leaves_the_database_exactly_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "kill.db"
    first = write_golden_copy(tmp_path / "a", ENTITIES, RELATIONSHIPS, EXCEPTIONS)
    assert run("--db", db, "import", *first).returncode == 0
    before = db_snapshot(db)
    big = tmp_path / "big"
    paths = write_golden_copy(big, ENTITIES, RELATIONSHIPS, EXCEPTIONS, stamp="20260107-0800")
    n = 150_000
    leis = [lei(f"BIG{i:09d}") for i in range(n)]
    with paths[0].open("a", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
        ix = {c: i for i, c in enumerate(L1_COLS)}
        for i, code in enumerate(leis):
            row = [""] * len(L1_COLS)
            row[ix["LEI"]], row[ix["Entity.LegalName"]] = code, f"Generated Company Number {i} Limited"
            row[ix["Entity.LegalAddress.Country"]] = row[ix["Entity.HeadquartersAddress.Country"]] = (
                "CN" if i % 7 == 0 else "GB"
            )
            row[ix["Entity.EntityCategory"]], row[ix["Entity.EntityStatus"]] = "GENERAL", "ACTIVE"
            w.writerow(row)
    with paths[1].open("a", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
        ix = {c: i for i, c in enumerate(RR_COLS)}
        for i in range(0, n - 1, 2):
            row = [""] * len(RR_COLS)
            row[ix["Relationship.StartNode.NodeID"]], row[ix["Relationship.EndNode.NodeID"]] = leis[i + 1], leis[i]
            row[ix["Relationship.RelationshipType"]] = "IS_DIRECTLY_CONSOLIDATED_BY"
            row[ix["Relationship.RelationshipStatus"]] = "ACTIVE"
            w.writerow(row)
    proc = subprocess.Popen([*CLI, "--db", str(db), "import", str(big)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    wal = Path(str(db) + "-wal")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > 4_000_000:  # writing is under way
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the import finished before it could be killed; make the files bigger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert db_snapshot(db) == before
    code, out = check(db, "Example Singapore Pte. Ltd.")
    assert code == 0 and out["determination"]["status"] == "restricted"
