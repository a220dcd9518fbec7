"""Opening a database (SQLite file or PostgreSQL URL), connection settings and schema migrations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

SCHEMA_HEAD = "0006"

# Roles on a shared PostgreSQL server (see store/roles.py and docs/team-server.md).
LOOKUP_ROLE = "clearance_lookup"
IMPORTER_ROLE = "clearance_importer"

# Every change to the data (import, removal, recomputing statuses) holds this transaction-level advisory
# lock on PostgreSQL, so that two of them never interleave; lookups and recorded decisions never wait on it.
WRITER_LOCK = 0x434C5231


class StoreError(Exception):
    """The database cannot be used (unreadable, newer schema, not a Clearance database)."""


class PermissionRefused(StoreError):
    """The database user may not do this (a lookup user importing, say); nothing was changed."""


def _refused(exc: BaseException) -> bool:
    """True for PostgreSQL's "insufficient privilege" (SQLSTATE 42501)."""
    orig = getattr(exc, "orig", None)
    return getattr(orig, "sqlstate", None) == "42501"


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
    cur.execute("PRAGMA mmap_size=2147483648")
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
    def write(self, action: str = "change the database", exclusive: bool = False) -> Iterator[Connection]:
        """One transaction for a whole write: it lands whole or not at all.

        `action` names the change for the message when the server refuses it; `exclusive` serialises
        changes to the data on a shared server (imports, removals, recomputed statuses).
        """
        try:
            with self.engine.begin() as conn:
                if exclusive and not self.is_sqlite:
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITER_LOCK})
                yield conn
        except DBAPIError as exc:
            if _refused(exc):
                raise PermissionRefused(self.refusal(action)) from exc
            raise

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """One consistent view for a whole lookup.

        On PostgreSQL a read-only REPEATABLE READ transaction: every query of the lookup sees the same
        snapshot, so an import committed meanwhile is seen whole or not at all, and no lock is taken
        that an import would wait for.
        """
        with self.engine.connect() as conn:
            if not self.is_sqlite:
                conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin():
                yield conn

    def refresh_statistics(self, conn: Connection, tables: tuple[str, ...] = ()) -> None:
        """After a bulk change: PostgreSQL plans the next lookups (or the import's next steps, for
        `tables` only) on the new data, not on the old counts.

        ANALYZE runs in the import's own transaction, so it samples the new rows; it blocks no reader.
        """
        if not self.is_sqlite:
            conn.execute(text("ANALYZE " + ", ".join(tables) if tables else "ANALYZE"))

    def user(self) -> str:
        """The database user the connection runs as ("" for SQLite)."""
        if self.is_sqlite:
            return ""
        with self.engine.connect() as conn:
            return str(conn.execute(text("SELECT current_user")).scalar_one())

    def refusal(self, action: str) -> str:
        return (
            f"{self.display_name}: database user {self.user()!r} may not {action}: that needs the importer role "
            f"({IMPORTER_ROLE}); lookup users ({LOOKUP_ROLE}) can search, check and record decisions only. "
            "Nothing was changed."
        )

    def require_write(self, action: str, tables: tuple[str, ...] = ("entities", "search_names", "determinations")
                      ) -> None:
        """Refuse early, before a long read of a dataset, when the server would refuse the write."""
        if self.is_sqlite:
            return
        with self.engine.connect() as conn:
            for table in tables:
                for privilege in ("INSERT", "DELETE"):
                    allowed = conn.execute(
                        text("SELECT has_table_privilege(current_user, :t, :p)"), {"t": table, "p": privilege}
                    ).scalar_one()
                    if not allowed:
                        raise PermissionRefused(self.refusal(action))

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
        try:
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except DBAPIError as exc:
            if _refused(exc):
                raise PermissionRefused(
                    f"{self.display_name}: the schema is at {current or 'nothing'} and this version of Clearance "
                    f"needs {SCHEMA_HEAD}; database user {self.user()!r} may not upgrade it. The owner of the "
                    "database upgrades it by running any clearance command once (see docs/team-server.md)."
                ) from exc
            raise

    @property
    def sqlite_path(self) -> Path | None:
        """The database file, for a SQLite database on disk."""
        if not self.is_sqlite:
            return None
        path = self.engine.url.database
        return Path(path) if path and path != ":memory:" else None

    @property
    def display_name(self) -> str:
        if self.is_sqlite:
            return self.engine.url.database or ":memory:"
        return self.engine.url.set(drivername="postgresql").render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()


def open_store(location: str | Path) -> Store:
    store = Store(database_url(location))
    store.migrate()
    return store
