"""Builds the search index aside, in a second process, while the loader writes the dataset's rows.

Analysing names (normalization, transliteration, terms, spelling variants) is most of the work of an
import, and it needs nothing from the database: the loader hands every name to a worker process over a
bounded queue as it writes the row, and the worker builds the index tables in a file of its own. At the
end the loader copies those tables into the database inside its one transaction (SQLite copies a table
with the same definition page by page; PostgreSQL receives them with COPY, as CSV the worker wrote),
so the import still lands whole or not at all, and the names are never read back from the database.

The tables are those `search_index.rebuild` makes, with the same contents: each name's comparable
forms, postings in (term, name length, name) order, the term dictionary, spelling variants and prefix
completions. Small imports and removals use `search_index.rebuild` instead.
"""

from __future__ import annotations

import contextlib
import csv
import heapq
import multiprocessing
import os
import queue
import shutil
import sqlite3
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.schema import CreateTable

from desktop_app.domain.names import name_variants
from desktop_app.store import search_index as si
from desktop_app.store.bulk import few_collections
from desktop_app.store.schema import SearchDelete, SearchName, SearchPrefix, SearchTerm, SearchVocab

TABLES = ("search_names", "search_terms", "search_vocab", "search_deletes", "search_prefixes")
SEND = 4_000  # names per message to the worker
AHEAD = 16  # messages the loader may be ahead of the worker (it goes on writing rows meanwhile)
ALIAS = "aux_index"

Tick = Callable[[str, int, int], None]


class IndexBuildError(Exception):
    """The worker process failed; the import is abandoned and the database is unchanged."""


def _portable_definitions() -> list[str]:
    """CREATE TABLE statements of the index tables for the build file, when the database is not SQLite."""
    tables: list[Table] = [
        m.__table__  # type: ignore[misc]
        for m in (SearchName, SearchTerm, SearchVocab, SearchDelete, SearchPrefix)
    ]
    return [str(CreateTable(t).compile(dialect=sqlite_dialect.dialect())).strip() for t in tables]


def _definitions(raw: Any) -> list[str]:
    """CREATE statements of the index tables and their indexes, as the database has them."""
    names = ", ".join(f"'{t}'" for t in TABLES)
    rows = raw.execute(
        f"SELECT type, sql FROM main.sqlite_master WHERE tbl_name IN ({names}) AND sql IS NOT NULL "
        "ORDER BY type = 'index', name").fetchall()
    return [str(sql) for _, sql in rows]


class AsideBuilder:
    """The loader's side: feeds names to the worker and finally copies its tables in.

    On SQLite use it as a context manager around the write transaction: the build file is attached
    before the transaction begins (SQLite attaches only outside one). On a server (`db_path` None) it
    may be entered inside the transaction; the build file lives in a temporary folder. The file is
    removed afterwards in every case.
    """

    def __init__(self, conn: Connection, db_path: Path | None) -> None:
        self.conn = conn
        self.local = db_path is not None
        self._tmpdir = None if db_path is not None else tempfile.mkdtemp(prefix="clearance-index-")
        self.path = (
            db_path.with_name(db_path.name + ".index-build")
            if db_path is not None
            else Path(str(self._tmpdir)) / "index-build.sqlite"
        )
        self._batch: list[tuple[str, str, str]] = []
        self.sent = 0
        self._proc: Any = None
        self._inbox: Any = None
        self._outbox: Any = None
        self._attached = False
        self._ended = False
        # A thread hands the batches to the worker, so that the loader does not wait for the worker to
        # take each one (nor the worker for the loader while it waits on the database).
        self._queue: queue.Queue[list[tuple[str, str, str]] | None] = queue.Queue(maxsize=AHEAD)
        self._sender: threading.Thread | None = None
        self._send_error: OSError | None = None

    def __enter__(self) -> AsideBuilder:
        self._remove_file()
        if self.local:
            raw = self.conn.connection.dbapi_connection
            assert raw is not None
            ddl = _definitions(raw)
            raw.execute(f"ATTACH DATABASE ? AS {ALIAS}", (str(self.path),))
            self._attached = True
        else:
            ddl = _portable_definitions()
        ctx = multiprocessing.get_context("spawn")
        # One-way pipes, each end held by one process only: when either process dies the other reads
        # EOF (also in the middle of a message) instead of waiting for ever; a full pipe makes the
        # writer wait, which bounds the memory between the two.
        names_in, self._inbox = ctx.Pipe(duplex=False)
        self._outbox, results_out = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_work, args=(str(self.path), ddl, names_in, results_out, not self.local),
                                 name="clearance-index", daemon=True)
        self._proc.start()
        names_in.close()
        results_out.close()
        self._sender = threading.Thread(target=self._hand_over, name="clearance-index-sender", daemon=True)
        self._sender.start()
        return self

    def _hand_over(self) -> None:
        """The sender thread: batches to the worker in order, then the end mark. After a failure it goes on
        taking batches (and drops them) so that the loader never waits on a full queue."""
        while True:
            batch = self._queue.get()
            if self._send_error is None:
                try:
                    self._inbox.send(batch)
                except OSError as exc:  # the worker is gone
                    self._send_error = exc
            if batch is None:
                return

    def __exit__(self, *exc: object) -> None:
        if self._proc is not None and self._proc.is_alive():
            self._proc.terminate()
            self._proc.join(5)
        if self._sender is not None and self._sender.is_alive():
            with contextlib.suppress(queue.Full):
                self._queue.put(None, timeout=5)  # the worker is gone: the thread's sends fail at once
            self._sender.join(5)
        for end in (self._inbox, self._outbox):
            if end is not None:
                end.close()
        raw = self.conn.connection.dbapi_connection
        if self._attached and raw is not None:
            with contextlib.suppress(sqlite3.Error):
                if raw.in_transaction:
                    raw.rollback()  # only reached when the import failed: nothing of it stays
                raw.execute(f"DETACH DATABASE {ALIAS}")
        self._remove_file()
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)

    def _remove_file(self) -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(str(self.path) + suffix)

    # ------------------------------------------------------------------------------ feeding

    def add(self, entity_id: str, name: str, kind: str) -> None:
        """One name of an entity record (`kind` "name" for the entity's own name, else the name type)."""
        self._batch.append((entity_id, name, kind))
        if len(self._batch) >= SEND:
            self._send()

    def _check_sender(self) -> None:
        """The worker is gone if the sender thread could not hand it a batch: say why, if it could."""
        if self._send_error is not None:
            exc = self._send_error
            raise IndexBuildError(self._failure() or f"the index process stopped ({exc})") from exc

    def _send(self, last: bool = False) -> None:
        self._check_sender()
        self._queue.put(None if last else self._batch)
        self.sent += len(self._batch)
        self._batch = []

    def _failure(self) -> str | None:
        try:
            if self._outbox.poll(1.0):
                status, detail = self._outbox.recv()
                return str(detail) if status == "error" else None
        except (EOFError, OSError):
            pass
        return None

    def add_existing(self, conn: Connection, except_dataset: str) -> None:
        """The names of every other dataset, as `rebuild` reads them (entities' names, then other names)."""
        cursor = conn.connection.cursor()
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        try:
            cursor.execute(f"SELECT id, name FROM entities WHERE dataset_id <> {mark}", (except_dataset,))
            for rows in iter(lambda: cursor.fetchmany(si.BATCH), []):
                for entity_id, name in rows:
                    self.add(entity_id, name, "name")
            cursor.execute(
                f"SELECT entity_id, name, type FROM names WHERE dataset_id <> {mark} ORDER BY entity_id, id",
                (except_dataset,))
            for rows in iter(lambda: cursor.fetchmany(si.BATCH), []):
                for entity_id, name, kind in rows:
                    self.add(entity_id, name, kind)
        finally:
            cursor.close()

    # ------------------------------------------------------------------------------ finishing

    def end_names(self) -> None:
        """Every name is sent: the worker orders its tables while this process goes on (statuses)."""
        if self._ended:
            return
        if self._batch:
            self._send()
        self._send(last=True)
        self._ended = True

    def finish(self, tick: Tick | None = None) -> None:
        """Wait for the worker, then replace the index tables with its own (inside the caller's transaction)."""
        self.end_names()
        if self._sender is not None:
            self._sender.join()
        self._check_sender()
        copied: list[str] = []  # on a server, each table is copied as soon as the worker has written it
        while True:
            try:
                if not self._outbox.poll(1.0):
                    if tick:
                        tick("Finishing the search index", self.sent, 0)
                    continue
                status, detail = self._outbox.recv()
            except (EOFError, OSError) as exc:
                raise IndexBuildError(f"the index process stopped ({exc})") from exc
            if status == "error":
                raise IndexBuildError(str(detail))
            if status == "progress":
                if tick:
                    tick(str(detail), self.sent, 0)
                continue
            if status == "ready":
                self._copy_to_server(str(detail), copied, tick)
                continue
            break
        self._proc.join(30)
        if not self.local:
            if sorted(copied) != sorted(TABLES):
                wrote = ", ".join(copied) or "no table"
                raise IndexBuildError(f"the index process wrote {wrote} of {', '.join(TABLES)}")
            cursor: Any = self.conn.connection.cursor()
            try:  # names were indexed under the entity record; the merged entity is the one searched
                cursor.execute(
                    "UPDATE search_names SET entity_id = e.cluster_id FROM entities e "
                    "WHERE e.id = search_names.entity_id AND e.cluster_id <> e.id")
            finally:
                cursor.close()
            return
        if tick:
            tick("Copying the search index", self.sent, 0)
        raw = self.conn.connection.cursor()
        try:
            for table in TABLES:
                raw.execute(f"DELETE FROM main.{table}")
            # Indexes are dropped and made again by the copy: SQLite then copies each table, and each of its
            # indexes, page by page when both sides are defined alike.
            for table in TABLES:
                raw.execute(f"INSERT INTO main.{table} SELECT * FROM {ALIAS}.{table}")
            # Names were indexed under the entity record; the merged entity is the one searched.
            raw.execute(
                "UPDATE main.search_names SET entity_id = (SELECT cluster_id FROM main.entities e "
                "WHERE e.id = search_names.entity_id) WHERE entity_id IN "
                "(SELECT id FROM main.entities WHERE cluster_id <> id)")
        finally:
            raw.close()


    def _copy_to_server(self, table: str, copied: list[str], tick: Tick | None) -> None:
        """Replace one of the server's index tables with the build file's, by COPY in the caller's
        transaction (every table is emptied before the first is filled)."""
        if self.local or table not in TABLES or table in copied:
            raise IndexBuildError(f"the index process announced an unexpected table: {table}")
        cursor: Any = self.conn.connection.cursor()
        try:
            if not copied:
                for name in TABLES:
                    cursor.execute(f"DELETE FROM {name}")
            if tick:
                tick(f"Copying the search index ({table})", self.sent, 0)
            lines = _copy_file(str(self.path), table)
            with open(lines, "rb") as fh:
                names = fh.readline().decode("utf-8").strip()
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT csv)") as copy:
                    while chunk := fh.read(1 << 20):
                        copy.write(chunk)
            os.remove(lines)
            copied.append(table)
        finally:
            cursor.close()


def _copy_file(path: str, table: str) -> str:
    return f"{path}.{table}.copy"


def _write_copy_file(con: sqlite3.Connection, path: str, table: str) -> None:
    """One table as CSV for PostgreSQL's COPY, in a file beside the build file (its first line names the
    columns): written by the worker as soon as the table is ordered, so that the loader only streams bytes
    to the server, the first tables while the worker orders the others. Text is always quoted and numbers
    never, so an empty text stays an empty text; every column of these tables is NOT NULL (a NULL would
    have no CSV form here)."""
    columns = [(str(row[1]), bool(row[3]) or bool(row[5])) for row in con.execute(f"PRAGMA table_info({table})")]
    nullable = [name for name, not_null in columns if not not_null]
    if nullable:
        raise IndexBuildError(f"{table}: columns {', '.join(nullable)} may be NULL; the COPY files cannot say so")
    rows = con.execute(f"SELECT * FROM {table}")
    with open(_copy_file(path, table), "w", encoding="utf-8", newline="") as fh:
        fh.write(", ".join(name for name, _ in columns) + "\n")
        writer = csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
        while chunk := rows.fetchmany(20_000):
            writer.writerows(chunk)


# ---------------------------------------------------------------------------------- worker process


_STAGING = """
CREATE TABLE names_stage (id INTEGER PRIMARY KEY, entity_id TEXT, name TEXT, matched_on TEXT, norm TEXT,
                          forms TEXT, own INTEGER);
CREATE TABLE terms_stage (term TEXT, nlen INTEGER, name_id INTEGER);
CREATE TABLE deletes_stage (variant INTEGER, term TEXT);
"""


def _work(path: str, ddl: list[str], inbox: Any, outbox: Any, for_server: bool = False) -> None:
    """The worker: analyse every name received, stage rows, then build the final tables in order (and,
    for a server, write them as CSV for COPY)."""
    try:
        with few_collections():
            _build(path, ddl, inbox, outbox, for_server)
        outbox.send(("ok", None))
    except EOFError:
        pass  # the importing process is gone (killed or cancelled): nobody waits for an answer
    except BaseException:
        with contextlib.suppress(OSError):
            outbox.send(("error", traceback.format_exc(limit=8)))


def _build(path: str, ddl: list[str], inbox: Any, outbox: Any, for_server: bool) -> None:
    """Stage every name received, then the final tables in order, each announced by `ready`."""
    con = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-131072", "temp_store=FILE",
                   "threads=1"):
        con.execute(f"PRAGMA {pragma}")
    con.executescript(_STAGING)
    con.execute("BEGIN")
    _stage(con, inbox)
    outbox.send(("progress", "Ordering the search index"))

    def ready(table: str) -> None:
        if for_server:
            _write_copy_file(con, path, table)
            outbox.send(("ready", table))

    _finalize(con, ddl, outbox, ready)
    con.execute("COMMIT")
    con.close()


def _stage(con: sqlite3.Connection, inbox: Any) -> None:
    variants_of = lru_cache(maxsize=20_000)(name_variants)
    singles: set[str] = set()
    names: list[tuple[Any, ...]] = []
    terms: list[tuple[Any, ...]] = []
    deletes: list[tuple[Any, ...]] = []
    next_id = 1
    matched = si.MATCHED_ON
    while True:
        batch = inbox.recv()  # EOFError when the importing process is gone: the worker ends with it
        if batch is None:
            break
        for entity_id, name, kind in batch:
            own = 1 if kind == "name" else 0
            on = matched.get(kind, "name")
            for variant in variants_of(name or ""):
                norm = variant.norm
                if not norm:
                    continue
                names.append((next_id, entity_id, name, on, norm, " ".join(variant.legal_forms), own))
                nlen = min(len(norm), 32_000)
                terms.extend((t, nlen, next_id) for t in si.index_terms(variant))
                for t in variant.distinctive:
                    if t not in singles and si.FUZZY_MIN <= len(t) <= si.FUZZY_MAX:
                        singles.add(t)
                        deletes.extend((si.variant_key(v), t) for v in si.deletion_variants(t))
                next_id += 1
        con.executemany("INSERT INTO names_stage VALUES (?, ?, ?, ?, ?, ?, ?)", names)
        con.executemany("INSERT INTO terms_stage VALUES (?, ?, ?)", terms)
        con.executemany("INSERT INTO deletes_stage VALUES (?, ?)", deletes)
        names.clear()
        terms.clear()
        deletes.clear()


def _finalize(con: sqlite3.Connection, ddl: list[str], outbox: Any, ready: Callable[[str], None]) -> None:
    """The final tables in order; `ready` is told of each as soon as it is complete."""
    tables = [d for d in ddl if d.lstrip().upper().startswith("CREATE TABLE")]
    indexes = [d for d in ddl if d not in tables]
    for statement in tables:
        con.execute(statement)
    # A name of an entity record that repeats one of its earlier names (its own name, or another alias) in
    # the same comparable form adds nothing: only the first is kept, as `rebuild` does.
    con.execute("CREATE TEMP TABLE dupes (id INTEGER PRIMARY KEY)")
    con.execute(
        "INSERT INTO dupes SELECT id FROM (SELECT id, row_number() OVER "
        "(PARTITION BY entity_id, norm, forms ORDER BY id) AS k FROM names_stage WHERE entity_id IN "
        "(SELECT entity_id FROM names_stage WHERE own = 0)) WHERE k > 1")
    con.execute(
        "INSERT INTO search_names (id, entity_id, name, matched_on, norm, forms) "
        "SELECT id, entity_id, name, matched_on, norm, forms FROM names_stage WHERE id NOT IN dupes ORDER BY id")
    con.execute("DROP TABLE names_stage")
    ready("search_names")
    outbox.send(("progress", "Ordering the search index postings"))
    con.execute(
        "INSERT INTO search_terms (term, nlen, name_id) SELECT term, nlen, name_id FROM terms_stage "
        "WHERE name_id NOT IN dupes ORDER BY term, nlen, name_id")
    con.execute("DROP TABLE terms_stage")
    ready("search_terms")
    con.execute("INSERT INTO search_vocab (term, df) SELECT term, count(*) FROM search_terms GROUP BY term")
    ready("search_vocab")
    outbox.send(("progress", "Ordering the spelling variants"))
    con.execute("INSERT INTO search_deletes (variant, term) SELECT DISTINCT variant, term FROM deletes_stage "
                "ORDER BY variant, term")
    con.execute("DROP TABLE deletes_stage")
    ready("search_deletes")
    con.executemany("INSERT INTO search_prefixes (prefix, rank, term, df) VALUES (?, ?, ?, ?)",
                    list(_prefix_rows(con)))
    ready("search_prefixes")
    outbox.send(("progress", "Indexing names"))
    for statement in indexes:
        con.execute(statement)


def _prefix_rows(con: sqlite3.Connection) -> Iterator[tuple[str, int, str, int]]:
    """The PREFIX_TOP most frequent terms for each prefix of one to PREFIX_TABLE_MAX characters."""
    top: dict[str, list[tuple[int, str]]] = {}
    cursor = con.execute("SELECT term, df FROM search_vocab ORDER BY term")  # ties kept alike everywhere
    for rows in iter(lambda: cursor.fetchmany(si.BATCH), []):
        for term, df in rows:
            for k in range(1, min(si.PREFIX_TABLE_MAX, len(term)) + 1):
                heap = top.setdefault(term[:k], [])
                if len(heap) < si.PREFIX_TOP:
                    heapq.heappush(heap, (df, term))
                elif df > heap[0][0]:
                    heapq.heapreplace(heap, (df, term))
    for p, heap in top.items():
        for rank, (df, term) in enumerate(sorted(heap, key=lambda x: (-x[0], x[1]))):
            yield p, rank, term, df
