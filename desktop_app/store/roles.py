"""Database roles on a shared PostgreSQL server: who may look up and who may change the data.

Two group roles (NOLOGIN); people log in as their own users, made members of one of them:

- the lookup role may read everything and add rows to the tables that record decisions shown to users
  (`LOOKUP_APPENDS`), nothing else: no import, no dataset removal, no recomputed statuses;
- the importer role may read and change the data (import, remove, recompute), but not the schema:
  the owner of the database runs the schema upgrades.

Granting is idempotent: running it again grants what a newer schema added and changes nothing else.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from desktop_app.store.database import IMPORTER_ROLE, LOOKUP_ROLE

LOOKUP_APPENDS = ("audit", "decision_records")  # tables a lookup user may add rows to, never change or delete


def _quote(conn: Connection, name: str) -> str:
    return str(conn.execute(text("SELECT quote_ident(:n)"), {"n": name}).scalar_one())


def _sequences_of(conn: Connection, table: str) -> list[str]:
    rows = conn.execute(
        text(
            "SELECT pg_get_serial_sequence(quote_ident(current_schema()) || '.' || quote_ident(:t), a.attname) "
            "FROM pg_attribute a WHERE a.attrelid = to_regclass(quote_ident(current_schema()) || '.' || "
            "quote_ident(:t)) AND a.attnum > 0 AND NOT a.attisdropped"
        ),
        {"t": table},
    ).all()
    return [r[0] for r in rows if r[0]]


def init_roles(conn: Connection, lookup: str = LOOKUP_ROLE, importer: str = IMPORTER_ROLE) -> list[str]:
    """Create the two roles if missing and grant them their rights on this database; returns what was done."""
    done: list[str] = []
    for role in (lookup, importer):
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
        if exists:
            done.append(f"role {role} exists")
        else:
            conn.execute(text(f"CREATE ROLE {_quote(conn, role)} NOLOGIN"))
            done.append(f"created role {role} (NOLOGIN: grant it to users)")
    lk, im = _quote(conn, lookup), _quote(conn, importer)
    database = _quote(conn, str(conn.execute(text("SELECT current_database()")).scalar_one()))
    schema = _quote(conn, str(conn.execute(text("SELECT current_schema()")).scalar_one()))
    tables = [r[0] for r in conn.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    )]
    appends = [t for t in LOOKUP_APPENDS if t in tables]
    statements = [
        f"GRANT CONNECT ON DATABASE {database} TO {lk}, {im}",
        f"GRANT USAGE ON SCHEMA {schema} TO {lk}, {im}",
        f"REVOKE CREATE ON SCHEMA {schema} FROM {lk}, {im}",
        # lookup: read everything, append decision records
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA {schema} FROM {lk}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {lk}",
        *(f"GRANT INSERT ON {_quote(conn, t)} TO {lk}" for t in appends),
        *(f"GRANT USAGE ON SEQUENCE {seq} TO {lk}" for t in appends for seq in _sequences_of(conn, t)),
        # importer: read and change the data, not the schema
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {im}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {im}",
        # tables a later schema upgrade creates (run by the same owner) are readable at once
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT ON TABLES TO {lk}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {im}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {im}",
    ]
    for sql in statements:
        conn.execute(text(sql))
        done.append(sql)
    return done
