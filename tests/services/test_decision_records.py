"""Decision records on real databases: what a record holds, verification, tampering, concurrent writers."""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from desktop_app.services import decision_records, importing, lookup, reporting
from desktop_app.services.context import AppContext, open_context
from tests.ui.sample_data import build_sample

PG_URL = os.environ.get("CLEARANCE_TEST_PG_URL")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "records.db"
    ctx = open_context(db=path, seed_reference=False)
    try:
        importing.import_dataset(ctx, build_sample(tmp_path / "sample"))
    finally:
        ctx.close()
    return path


@pytest.fixture
def ctx(db: Path) -> Iterator[AppContext]:
    context = open_context(db=db, seed_reference=False)
    yield context
    context.close()


def record_check(ctx: AppContext, query: str, **extra: str) -> decision_records.DecisionRecord:
    outcome = lookup.check(ctx, query)
    report = reporting.entity_report(ctx, outcome.match.entity_id) if outcome.match else None
    return decision_records.record_decision(ctx, query, report, outcome=outcome, **extra)


def test_a_record_holds_the_whole_determination_and_links_to_the_previous(ctx: AppContext) -> None:
    first = record_check(ctx, "TikTok Pte. Ltd.", note="asked by sales", customer_ref=" CRM-42 ")
    second = record_check(ctx, "Nowhere Widgets Unlimited")
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_sha256 == "0" * 64 and second.prev_sha256 == first.sha256
    assert first.customer_ref == "CRM-42" and first.note == "asked by sales" and first.status == "restricted"
    d = first.determination
    assert d is not None and d["status"] == "restricted" and [n["name"] for n in d["chain"]][:2] == [
        "TikTok Pte. Ltd.", "TikTok Ltd."]
    assert d["policy"]["sha256"] == ctx.policy.sha256 == first.content["policy_sha256"]
    assert first.content["datasets"][0]["id"] == "sample" and first.content["datasets"][0]["sha256"]
    assert first.content["user"] and first.at.endswith("Z")
    assert second.status is None and second.determination is None and second.verdict == "not on file"
    assert [d["id"] for d in second.content["datasets"]] == ["sample"]  # the data it was not found in
    # read back exactly as written
    again = decision_records.get(ctx, 1)
    assert again.content == first.content and again.sha256 == first.sha256


def test_verify_passes_then_names_the_first_tampered_record(db: Path, ctx: AppContext) -> None:
    for q in ("TikTok Pte. Ltd.", "Nordic Music AB", "Tencent Holdings", "Shanghai Port"):
        record_check(ctx, q)
    ok = decision_records.verify(ctx)
    assert ok.ok and ok.count == 4 and ok.head_sha256 == decision_records.get(ctx, 4).sha256
    ctx.close()
    con = sqlite3.connect(db)  # as someone with the file and a SQLite shell would
    con.execute("UPDATE decision_records SET content_json = replace(content_json, 'restricted', 'eligible') "
                "WHERE seq = 3")
    con.commit()
    con.close()
    fresh = open_context(db=db, seed_reference=False)
    try:
        broken = decision_records.verify(fresh).broken
        assert broken is not None and broken.seq == 3 and "changed after it was written" in broken.reason
    finally:
        fresh.close()


def test_export_writes_every_record_with_its_hashes(ctx: AppContext, tmp_path: Path) -> None:
    record_check(ctx, "TikTok Pte. Ltd.", note="=HYPERLINK(\"x\")")
    record_check(ctx, "Nordic Music AB")
    assert decision_records.export(ctx, tmp_path / "r.jsonl") == 2
    lines = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [x["record"]["seq"] for x in lines] == [1, 2] and lines[1]["prev_sha256"] == lines[0]["sha256"]
    decision_records.export(ctx, tmp_path / "r.csv")
    csv_text = (tmp_path / "r.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in csv_text and ",=HYPERLINK" not in csv_text


def _append_many(location: str, n: int, tag: str) -> None:
    ctx = open_context(db=location, seed_reference=False)
    try:
        for i in range(n):
            decision_records.record_decision(ctx, f"{tag}-{i}", None, user=tag)
    finally:
        ctx.close()


def _concurrent_writers(location: str) -> None:
    spawn = multiprocessing.get_context("spawn")
    workers = [spawn.Process(target=_append_many, args=(location, 15, f"w{k}")) for k in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
        assert w.exitcode == 0
    ctx = open_context(db=location, seed_reference=False)
    try:
        v = decision_records.verify(ctx)
        assert v.ok and v.count == 60, v
        queries = {r.query for r in decision_records.latest(ctx, 100)}
        assert queries == {f"w{k}-{i}" for k in range(4) for i in range(15)}
    finally:
        ctx.close()


def test_concurrent_writers_on_sqlite_never_fork_the_chain(db: Path) -> None:
    _concurrent_writers(str(db))


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="CLEARANCE_TEST_PG_URL is not set")
def test_concurrent_writers_on_postgresql_never_fork_the_chain() -> None:
    assert PG_URL
    engine = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    open_context(db=PG_URL, seed_reference=False).close()  # migrate once, before the writers race
    _concurrent_writers(PG_URL)
