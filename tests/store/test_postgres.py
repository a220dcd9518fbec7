"""The same import and determinations on a shared PostgreSQL server (CLEARANCE_TEST_PG_URL)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from desktop_app.services import importing, lookup, reporting
from desktop_app.services.context import open_context
from tests.conftest import make_dataset

PG_URL = os.environ.get("CLEARANCE_TEST_PG_URL")
pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="CLEARANCE_TEST_PG_URL is not set")]


@pytest.fixture
def pg_url() -> str:
    assert PG_URL
    url = PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return PG_URL


def test_import_and_check_on_postgresql_match_sqlite(pg_url: str, tmp_path: Path) -> None:
    ds = make_dataset(
        tmp_path / "d",
        [
            {"id": "p", "name": "Red Dragon Holdings", "hq_country": "CN"},
            {"id": "s", "name": "Harbour Subsidiary Pte. Ltd.", "hq_country": "SG", "website": "harbour.example.sg"},
            {"id": "m", "name": "Minority Partner GmbH", "hq_country": "DE", "ownership": "complete"},
        ],
        [{"owner_id": "p", "owned_id": "s", "share": 100}, {"owner_id": "p", "owned_id": "m", "share": 20}],
        names=[["p", "红龙控股", "local", "zh-Hans", "s1"]],
    )
    results = {}
    for where in (pg_url, str(tmp_path / "same.db")):
        ctx = open_context(where, seed_reference=False)
        try:
            importing.import_dataset(ctx, ds)
            importing.import_dataset(ctx, ds)  # re-import replaces
            out = {}
            for q in ("Harbour Subsidiary", "Minority Partner", "红龙控股", "x@harbour.example.sg"):
                outcome = lookup.check(ctx, q)
                assert outcome.match is not None, (where, q)
                rep = reporting.entity_report(ctx, outcome.match.entity_id)
                out[q] = (rep.status, rep.explanation.restricted_min, rep.explanation.restricted_max)
            results[where.split(":")[0]] = out
        finally:
            ctx.close()
    assert results["postgresql"] == results[str(tmp_path / "same.db").split(":")[0]]
    assert results["postgresql"]["Harbour Subsidiary"][0] == "restricted"
    assert results["postgresql"]["Minority Partner"][0] == "eligible"


def _server_index(url: str) -> dict[str, set[tuple[object, ...]]]:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    queries = {
        "names": "SELECT entity_id, name, matched_on, norm, forms FROM search_names",
        "terms": "SELECT t.term, t.nlen, n.entity_id, n.norm FROM search_terms t "
        "JOIN search_names n ON n.id = t.name_id",
        "vocab": "SELECT term, df FROM search_vocab",
        "deletes": "SELECT variant, term FROM search_deletes",
        "prefixes": "SELECT prefix, rank, term, df FROM search_prefixes",
    }
    with engine.connect() as conn:
        out = {key: {tuple(r) for r in conn.execute(text(sql))} for key, sql in queries.items()}
    engine.dispose()
    return out


def test_a_large_import_builds_the_server_index_aside_as_rebuild_does(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From ASIDE_MIN_BYTES on, the index is built by a second process and sent by COPY: names with tabs,
    backslashes, quotes, commas and line breaks arrive as they were, and the tables equal those `rebuild` makes."""
    hostile = ["Back\\slash Trading Ltd", "Tab\tSeparated GmbH", "Line\nBreak Holdings", "Null \\N Company",
               'Quoted "Q" Trading, Ltd', "Carriage\rReturn SA", 'The "" Company', "Comma, Semicolon; Co"]
    ds = make_dataset(
        tmp_path / "d",
        [{"id": f"e{i}", "name": name, "hq_country": "DE"} for i, name in enumerate(hostile)]
        + [{"id": "p", "name": "Red Dragon Holdings", "hq_country": "CN"}],
        [{"owner_id": "p", "owned_id": "e0", "share": 100}],
        names=[["p", "红龙控股", "local", "zh-Hans", "s1"], ["e1", "Tab\tSeparated", "alias", "", "s1"]],
    )
    seen = []
    for threshold in (10**12, 0):
        monkeypatch.setattr(importing, "ASIDE_MIN_BYTES", threshold)
        ctx = open_context(pg_url, seed_reference=False)
        try:
            importing.import_dataset(ctx, ds)
            assert lookup.check(ctx, "Back\\slash Trading").match is not None
        finally:
            ctx.close()
        seen.append(_server_index(pg_url))
    inline, aside = seen
    assert inline["names"] and inline["terms"] and inline["deletes"]
    assert set(hostile) - {n for _, n, *_ in aside["names"]} == set()
    for key in inline:
        assert inline[key] == aside[key], key
