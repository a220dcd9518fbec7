"""A real PostgreSQL server for the tests that need one: CLEARANCE_TEST_PG_URL (`.ci/run` starts one)."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_URL = os.environ.get("CLEARANCE_TEST_PG_URL")
needs_pg = [pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="CLEARANCE_TEST_PG_URL is not set")]


def _engine_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def reset_database() -> str:
    """An empty public schema in the test database; returns the owner's URL."""
    assert PG_URL
    engine = create_engine(_engine_url(PG_URL))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return PG_URL


def login_user(name: str, member_of: str) -> str:
    """A login user of the test server, member of one role only; returns its URL (no password: trust)."""
    assert PG_URL
    engine = create_engine(_engine_url(PG_URL))
    with engine.begin() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": name}).first()
        if not exists:
            conn.execute(text(f'CREATE ROLE "{name}" LOGIN'))
        for (role,) in conn.execute(text(
            "SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
            "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = :u"), {"u": name}).all():
            conn.execute(text(f'REVOKE "{role}" FROM "{name}"'))
        conn.execute(text(f'GRANT "{member_of}" TO "{name}"'))
    engine.dispose()
    return make_url(PG_URL).set(username=name).render_as_string(hide_password=False)
