"""Several processes on one PostgreSQL server: imports swapped in whole while others look up and record.

Readers (lookup users) loop over a database summary, a check and a recorded decision (audit trail and
hash-chained decision record) while an importer replaces the dataset again and again with versions of
different sizes. Every reader's summary is read in one snapshot, so its counts must be those of one
version, never of a mixture; no lookup may fail; the decision records stay one valid chain.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from desktop_app.services import decision_records, importing, info, lookup, reporting, server
from desktop_app.services.context import open_context
from desktop_app.store.database import IMPORTER_ROLE, LOOKUP_ROLE
from tests.conftest import make_dataset
from tests.pg import login_user, needs_pg, reset_database

pytestmark = [*needs_pg, pytest.mark.slow]

SIZES = {"1": 600, "2": 1400}  # generated entities per version, besides the two fixed ones
READERS = 3
IMPORTS = ("2", "1", "2")
FIXED = [
    {"id": "p", "name": "Red Dragon Holdings", "hq_country": "CN"},
    {"id": "s", "name": "Harbour Subsidiary Pte. Ltd.", "hq_country": "SG"},
]


def version_folder(root: Path, version: str) -> Path:
    n = SIZES[version]
    entities = [*FIXED, *({"id": f"w{version}-{i}", "name": f"Wave {version} Trading Partner {i} GmbH",
                           "hq_country": "DE", "ownership": "complete"} for i in range(n))]
    return make_dataset(root / f"v{version}", entities, [{"owner_id": "p", "owned_id": "s", "share": 100}],
                        dataset_id="wave", version=version)


def reader(url: str, started: Any, stop: Any, results: Any) -> None:
    seen: list[str] = []
    problems: list[str] = []
    recorded = 0
    ctx = None
    try:
        ctx = open_context(url, seed_reference=False)
        last = False
        while True:
            last = stop.is_set()
            try:
                data = info.database_info(ctx)
                (wave,) = [d for d in data["datasets"] if d["id"] == "wave"]
                version = wave["version"]
                expected = SIZES[version] + len(FIXED)
                if not (wave["entities"] == data["entities"] == sum(data["statuses"].values()) == expected):
                    problems.append(f"half a dataset: version {version}, {data['entities']} entities, "
                                    f"{wave['entities']} in the dataset record, statuses {data['statuses']}")
                seen.append(version)
                outcome = lookup.check(ctx, "Harbour Subsidiary")
                if outcome.match is None or outcome.match.entity_id != "wave:s":
                    problems.append(f"lookup failed: {outcome}")
                else:
                    report = reporting.entity_report(ctx, outcome.match.entity_id)
                    if report.status != "restricted":
                        problems.append(f"wrong status {report.status}")
                    reporting.record_audit(ctx, "check", "Harbour Subsidiary", report)
                    decision_records.record_decision(ctx, "Harbour Subsidiary", report, outcome=outcome,
                                                     customer_ref=f"reader {os.getpid()}")
                    recorded += 1
            except Exception:
                problems.append(traceback.format_exc())
            started.set()
            if last:
                break
    except Exception:
        problems.append(traceback.format_exc())
    finally:
        if ctx is not None:
            ctx.close()
        started.set()
        results.put({"seen": seen, "problems": problems, "recorded": recorded})


def writer(url: str, root: str, results: Any) -> None:
    try:
        ctx = open_context(url, seed_reference=False)
        try:
            for version in IMPORTS:
                importing.import_dataset(ctx, version_folder(Path(root), version))
        finally:
            ctx.close()
        results.put({"writer": "ok"})
    except Exception:
        results.put({"writer": traceback.format_exc()})


def test_imports_swap_in_whole_while_lookup_users_search_and_record(tmp_path: Path) -> None:
    owner = reset_database()
    ctx = open_context(owner, seed_reference=False)
    try:
        importing.import_dataset(ctx, version_folder(tmp_path, "1"))
        server.init_roles(ctx)
    finally:
        ctx.close()
    lookup_url = login_user("clearance_t_lookup", LOOKUP_ROLE)
    importer_url = login_user("clearance_t_importer", IMPORTER_ROLE)

    mp = multiprocessing.get_context("spawn")
    results = mp.Queue()
    stop = mp.Event()
    started = [mp.Event() for _ in range(READERS)]
    readers = [mp.Process(target=reader, args=(lookup_url, started[i], stop, results)) for i in range(READERS)]
    for p in readers:
        p.start()
    for event in started:
        assert event.wait(120), "a reader did not start"
    w = mp.Process(target=writer, args=(importer_url, str(tmp_path), results))
    w.start()
    w.join(600)
    stop.set()
    outcomes = [results.get(timeout=300) for _ in range(READERS + 1)]
    for p in readers:
        p.join(60)
    assert {"writer": "ok"} in outcomes, outcomes
    reads = [o for o in outcomes if "seen" in o]
    problems = [p for o in reads for p in o["problems"]]
    assert not problems, "\n".join(problems[:5])
    assert all(o["seen"][0] == "1" and o["seen"][-1] == "2" for o in reads)  # before the imports, after them
    assert sum(len(set(o["seen"])) > 1 for o in reads) == READERS
    engine = create_engine(owner.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        audit = conn.execute(text("SELECT count(*) FROM audit WHERE action = 'check'")).scalar_one()
    engine.dispose()
    assert audit == sum(o["recorded"] for o in reads)
    ctx = open_context(owner, seed_reference=False)
    try:
        chain = decision_records.verify(ctx)  # concurrent writers appended one chain, unbroken
    finally:
        ctx.close()
    assert chain.ok, chain.broken
    assert chain.count == audit
