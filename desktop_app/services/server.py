"""A team database on a PostgreSQL server: choosing it, its password, testing it, and its roles.

Passwords are never written into the settings or any file of ours. A password typed in the window is
kept in the platform's credential store (Windows Credential Locker, macOS Keychain, the Secret Service
of GNOME/KDE) through `keyring`; where there is none, the user puts it in PostgreSQL's own password
file (~/.pgpass, %APPDATA%\\postgresql\\pgpass.conf) or a service file, which the PostgreSQL client
library reads by itself. Settings keep the server's URL without a password.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from desktop_app.services.context import AppContext
from desktop_app.store import roles
from desktop_app.store.database import IMPORTER_ROLE, LOOKUP_ROLE, SCHEMA_HEAD, database_url

KEYRING_SERVICE = "Clearance database"
CONNECT_TIMEOUT = 5  # seconds a connection test waits for the server


class NotAServer(Exception):
    """The command needs a PostgreSQL database."""


class CredentialStoreUnavailable(Exception):
    """There is no platform credential store to keep a password in."""


def is_server(location: str | None) -> bool:
    return bool(location) and str(location).startswith(("postgresql://", "postgres://", "postgresql+"))


def _url(location: str) -> URL:
    return make_url(database_url(location))


def without_password(location: str) -> str:
    """The URL as it may be kept in the settings and shown: any password taken out."""
    url = _url(location)
    if url.password is None:
        return location
    bare = URL.create("postgresql", url.username, None, url.host, url.port, url.database, url.query)
    return bare.render_as_string(hide_password=False)


def password_in(location: str) -> str | None:
    """The password written into a URL, if any (it is used once and never kept)."""
    return _url(location).password if is_server(location) else None


def credential_key(location: str) -> str:
    """The name a password is kept under: user@host:port/database."""
    url = _url(location)
    return f"{url.username or ''}@{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


def _keyring() -> Any:
    """The platform credential store, or None (no store, or only one that keeps passwords in plain text)."""
    try:
        import keyring
        from keyring.backends import chainer, fail
    except Exception:
        return None
    store = keyring.get_keyring()
    backends = list(getattr(store, "backends", [store])) if isinstance(store, chainer.ChainerBackend) else [store]
    usable = [b for b in backends if not isinstance(b, fail.Keyring) and "plaintext" not in type(b).__name__.lower()
              and not type(b).__module__.startswith(("keyrings.alt", "keyring.backends.null"))]
    return keyring if usable else None


def credential_store_available() -> bool:
    return _keyring() is not None


def remember_password(location: str, password: str) -> None:
    """Keep the password for this server in the platform's credential store."""
    kr = _keyring()
    if kr is None:
        raise CredentialStoreUnavailable(
            "this computer has no credential store to keep the password in; put it in PostgreSQL's password "
            "file (~/.pgpass) instead, as docs/team-server.md shows"
        )
    kr.set_password(KEYRING_SERVICE, credential_key(location), password)


def forget_password(location: str) -> None:
    kr = _keyring()
    if kr is None:
        return
    try:
        kr.delete_password(KEYRING_SERVICE, credential_key(location))
    except Exception:  # nothing kept: nothing to forget
        return


def stored_password(location: str) -> str | None:
    kr = _keyring()
    if kr is None:
        return None
    try:
        value = kr.get_password(KEYRING_SERVICE, credential_key(location))
    except Exception:
        return None
    return str(value) if value else None


def connection_location(location: str) -> str:
    """What the store opens: the URL with the password from the credential store, when one is kept there.

    Without one the URL goes as it is, and the PostgreSQL client library looks in ~/.pgpass itself.
    """
    if not is_server(location) or _url(location).password is not None:
        return location
    password = stored_password(location)
    if not password:
        return location
    return _url(location).set(password=password).render_as_string(hide_password=False)


@dataclass(frozen=True)
class ConnectionTest:
    ok: bool
    message: str


def test_connection(location: str, password: str | None = None) -> ConnectionTest:
    """Connect once and say what the server is, who we are there and what we may do."""
    if not is_server(location):
        return ConnectionTest(False, "not a server URL: it starts postgresql://user@host:port/database")
    try:
        url = _url(connection_location(location) if password is None else location)
    except Exception as exc:
        return ConnectionTest(False, f"not a usable URL: {exc}")
    if password:
        url = url.set(password=password)
    engine = create_engine(url, connect_args={"connect_timeout": CONNECT_TIMEOUT}, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            version = str(conn.execute(text("SHOW server_version")).scalar_one())
            user = str(conn.execute(text("SELECT current_user")).scalar_one())
            member = {
                role: bool(conn.execute(
                    text("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :r) "
                         "AND pg_has_role(current_user, :r, 'USAGE')"), {"r": role}).scalar_one())
                for role in (LOOKUP_ROLE, IMPORTER_ROLE)
            }
            has_schema = conn.execute(text("SELECT to_regclass('alembic_version') IS NOT NULL")).scalar_one()
            schema = conn.execute(text("SELECT version_num FROM alembic_version")).scalar() if has_schema else None
    except Exception as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return ConnectionTest(False, f"cannot connect to {url.host or 'localhost'}: {reason}")
    finally:
        engine.dispose()
    role = "importer" if member[IMPORTER_ROLE] else "lookup" if member[LOOKUP_ROLE] else "owner or other"
    if schema is None:
        state = "no Clearance data yet (the owner creates it with any clearance command)"
    elif schema == SCHEMA_HEAD:
        state = "Clearance data, schema current"
    else:
        state = f"Clearance data, schema {schema} (this version of Clearance uses {SCHEMA_HEAD})"
    return ConnectionTest(True, f"connected: PostgreSQL {version}, user {user} ({role}), {state}")


def init_roles(ctx: AppContext) -> list[str]:
    """Create the lookup and importer roles and grant their rights on this database (idempotent)."""
    if ctx.store.is_sqlite:
        raise NotAServer("roles exist on a PostgreSQL server only; this database is a file")
    with ctx.store.write("create roles and grant rights (run this as the owner of the database)") as conn:
        return roles.init_roles(conn)


def host_of(location: str) -> str | None:
    """The server's host name, for checks that nothing else is connected to."""
    return urlsplit(database_url(location).replace("+psycopg", "")).hostname
