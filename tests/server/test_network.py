"""The app connects to nothing but the configured database server (DESIGN: reliability and security rules)."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from desktop_app.services import importing, info, lookup, reporting
from desktop_app.services.context import open_context
from tests.conftest import make_dataset
from tests.pg import PG_URL, reset_database

ENTITIES = [
    {"id": "p", "name": "Red Dragon Holdings", "hq_country": "CN"},
    {"id": "s", "name": "Harbour Subsidiary Pte. Ltd.", "hq_country": "SG", "website": "harbour.example.sg"},
]
RELATIONSHIPS = [{"owner_id": "p", "owned_id": "s", "share": 100}]


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every address a Python socket connects to or looks up, while the test runs."""
    seen: list[Any] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> Any:
        seen.append(address)
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> Any:
        seen.append(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(("lookup", host))
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield seen


def lookups(location: str, allowed: set[tuple[str, int]]) -> None:
    """Search, check, explain, record a decision and summarise; then no TCP connection but to `allowed`."""
    before = _remote_tcp_endpoints()
    ctx = open_context(location, seed_reference=False)
    try:
        for q in ("Harbour Subsidiary", "x@harbour.example.sg", "https://www.harbour.example.sg/about", "red drag"):
            lookup.search(ctx, q)
        outcome = lookup.check(ctx, "Harbour Subsidiary Pte Ltd")
        assert outcome.match is not None
        report = reporting.entity_report(ctx, outcome.match.entity_id)
        reporting.record_audit(ctx, "check", "Harbour Subsidiary Pte Ltd", report)
        info.database_info(ctx)
        opened = _remote_tcp_endpoints() - before  # while the context is open, its pooled connection too
        assert opened <= allowed, f"connections other than to the database server: {opened - allowed}"
        if allowed and os.path.isdir("/proc/self/fd"):
            assert opened, "the connection to the server is not seen, so no other would be"
    finally:
        ctx.close()


def _remote_tcp_endpoints() -> set[tuple[str, int]]:
    """The remote ends of this process's TCP sockets (Linux /proc), including those of C libraries (libpq)."""
    if not os.path.isdir("/proc/self/fd"):
        return set()
    inodes = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    out = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            remote, inode = fields[2], fields[9]
            if inode in inodes:
                host_hex, port_hex = remote.split(":")
                if width == 8:
                    host = socket.inet_ntop(socket.AF_INET, bytes.fromhex(host_hex)[::-1])
                else:
                    raw = bytes.fromhex(host_hex)
                    host = socket.inet_ntop(socket.AF_INET6, b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4)))
                port = int(port_hex, 16)
                if port:  # listening sockets have no remote end
                    out.add((host.removeprefix("::ffff:"), port))
    return out


def test_lookups_on_a_file_open_no_network_connection(tmp_path: Path, connections: list[Any]) -> None:
    db = tmp_path / "local.db"
    ctx = open_context(db, seed_reference=False)
    importing.import_dataset(ctx, make_dataset(tmp_path / "ds", ENTITIES, RELATIONSHIPS))
    ctx.close()
    connections.clear()
    lookups(str(db), allowed=set())
    assert connections == []  # no connection and no name lookup either


@pytest.mark.postgres
def test_lookups_on_a_server_connect_to_that_server_only(tmp_path: Path, connections: list[Any]) -> None:
    if not PG_URL:
        pytest.skip("CLEARANCE_TEST_PG_URL is not set")
    owner = reset_database()
    ctx = open_context(owner, seed_reference=False)
    importing.import_dataset(ctx, make_dataset(tmp_path / "ds", ENTITIES, RELATIONSHIPS))
    ctx.close()
    url = make_url(PG_URL)
    server = (str(url.host), int(url.port or 5432))
    connections.clear()
    lookups(owner, allowed={server})
    others = [c for c in connections if c not in (server, ("lookup", url.host))]
    assert others == [], f"connections other than to {url.host}:{url.port}: {others}"
