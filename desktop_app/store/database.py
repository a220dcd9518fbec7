"""Opening a database (SQLite file or PostgreSQL URL), connection settings and schema migrations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.orm import Session, sessionmaker

SCHEMA_HEAD = "0003"


class StoreError(Exception):
    """The database cannot be used (unreadable, newer schema, not a Clearance database)."""


def database_url(location: str | Path) -> str:
    """A SQLAlchemy URL for a file path or an explicit URL (postgresql://…, sqlite:///…)."""
    loc = str(location)
    if "://" in loc:
        if loc.startswith(("postgresql://", "postgres://")):
            loc = "postgresql+psycopg://" + loc.split("://", 1)[1]
        return loc
    return f"sqlite:///{Path(loc).expanduser().resolve()}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA cache_size=-65536")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


class Store:
    """One database: an engine, short sessions, and migrations run on open."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            path = url.split("///", 1)[1] if "///" in url else ""
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(url, connect_args={"check_same_thread": False})
            event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            self.engine = create_engine(url, pool_pre_ping=True)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as s:
            yield s

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One transaction for a whole write: it lands whole or not at all."""
        with self.engine.begin() as conn:
            yield conn

    def schema_version(self) -> str | None:
        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
            return row[0] if row else None

    def migrate(self) -> None:
        """Bring the schema to the current head (Alembic), creating it on first use."""
        try:
            current = self.schema_version()
        except Exception as exc:
            reason = getattr(exc, "orig", None) or exc
            raise StoreError(f"{self.display_name}: cannot open the database: {reason}") from exc
        if current == SCHEMA_HEAD:
            return
        with self.engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
        if current is None and tables - {"alembic_version"}:
            raise StoreError(
                f"{self.display_name}: this is not a Clearance database (tables: {', '.join(sorted(tables)[:5])})"
            )
        from alembic import command
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        cfg = Config()
        cfg.set_main_option("script_location", str(files("desktop_app.store").joinpath("migrations")))
        if current is not None and current not in {
            r.revision for r in ScriptDirectory.from_config(cfg).walk_revisions()
        }:
            raise StoreError(f"{self.display_name}: made by a newer Clearance (schema {current}); update the app")
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    @property
    def display_name(self) -> str:
        if self.is_sqlite:
            return self.engine.url.database or ":memory:"
        return self.engine.url.render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()


def open_store(location: str | Path) -> Store:
    store = Store(database_url(location))
    store.migrate()
    return store
