"""Screening a lead list: every row → match, possible match or not on file, with status and restricted share.

A list is a CSV file (delimiter sniffed), an XLSX workbook (first sheet) or pasted lines. A name column
and optional domain, e-mail and country columns are read; each lead is checked by the same match
decision as `clearance check` (`lookup.check`): its domain and e-mail address are looked up as
identifiers, its name as a name, and a country, where given, narrows the candidates to that country.
"""

from __future__ import annotations

import csv
import io
import os
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from desktop_app.domain.countries import country_names
from desktop_app.domain.identifiers import host_of, registrable_domain
from desktop_app.services import lookup
from desktop_app.services.context import AppContext, Progress
from desktop_app.services.determinations import ensure_current
from desktop_app.services.lookup import CheckOutcome, SearchHit

MATCH, POSSIBLE, NOT_ON_FILE = "match", "possible match", "not on file"
VERDICTS = (MATCH, POSSIBLE, NOT_ON_FILE)
ROLES = ("name", "domain", "email", "country")
MAX_ROWS = 200_000  # a list longer than this is a database, not a lead list: import it instead
_SNIFF_BYTES = 64 * 1024

# Header words that say what a column holds (compared lowercased, punctuation as spaces).
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "name": ("name", "company", "company name", "organisation", "organization", "organisation name",
             "organization name", "account", "account name", "customer", "customer name", "lead", "lead name",
             "legal name", "business name", "firm", "query", "prospect"),
    "domain": ("domain", "website", "web site", "web", "url", "homepage", "home page", "company website",
               "company domain", "site", "www"),
    "email": ("email", "e mail", "mail", "email address", "e mail address", "contact email", "work email"),
    "country": ("country", "country code", "hq country", "headquarters country", "nation", "country region",
                "billing country"),
}


class ListError(ValueError):
    """A list that cannot be read: the message names the file, the line and the field."""


@dataclass(frozen=True)
class LeadTable:
    """A list as read: its header (made up as 'Column 1'… when it has none) and its data rows."""

    source: str  # the file's name, or "pasted lines"
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    lines: tuple[int, ...]  # each row's line (CSV, pasted) or row number (XLSX), for messages
    has_header: bool = True


@dataclass(frozen=True)
class Columns:
    """Which column (0-based) holds each part of a lead; None where the list has none."""

    name: int | None = None
    domain: int | None = None
    email: int | None = None
    country: int | None = None

    def used(self) -> bool:
        return any(v is not None for v in (self.name, self.domain, self.email))


@dataclass(frozen=True)
class Lead:
    line: int
    name: str = ""
    domain: str = ""
    email: str = ""
    country: str = ""  # ISO 3166-1 alpha-2, or "" when not given or not understood
    problem: str = ""  # what could not be used, as file:line:field: message

    @property
    def label(self) -> str:
        return self.name or self.domain or self.email


@dataclass(frozen=True)
class ScreenedRow:
    index: int  # position in the list (0-based), to join the result to the input row
    lead: Lead
    verdict: str  # match | possible match | not on file
    hit: SearchHit | None = None  # the match, or the best possible match
    candidates: tuple[SearchHit, ...] = ()  # possible matches to check (the match excluded)
    matched_by: str = ""  # name | domain | e-mail: which part of the lead made the match
    note: str = ""

    @property
    def status(self) -> str | None:
        """The determination's status, for a match only: a possible match or a lead not on file has none."""
        return self.hit.status if self.verdict == MATCH and self.hit is not None else None

    @property
    def status_label(self) -> str:
        return self.status or ("possible match — check" if self.verdict == POSSIBLE else NOT_ON_FILE)


@dataclass(frozen=True)
class ScreeningResult:
    table: LeadTable
    columns: Columns
    rows: tuple[ScreenedRow, ...]
    total: int  # leads in the list (rows screened when not cancelled)
    cancelled: bool = False
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


def count_rows(rows: Iterable[ScreenedRow]) -> dict[str, int]:
    """Leads per status: restricted, review, eligible (matches), possible match, not on file."""
    counts = {"restricted": 0, "review": 0, "eligible": 0, POSSIBLE: 0, NOT_ON_FILE: 0}
    for row in rows:
        key = row.status or row.verdict
        counts[key] = counts.get(key, 0) + 1
    return counts


# --- reading ------------------------------------------------------------------------------------------


def _header_key(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


def _is_header(cells: Sequence[str]) -> bool:
    keys = {_header_key(c) for c in cells}
    return any(keys & set(words) for words in HEADER_WORDS.values())


def _table(source: str, raw: list[tuple[int, list[str]]], header: bool | None = None) -> LeadTable:
    raw = [(line, cells) for line, cells in raw if any(c.strip() for c in cells)]
    if not raw:
        raise ListError(f"{source}: the list is empty")
    if len(raw) > MAX_ROWS + 1:
        raise ListError(f"{source}: {len(raw):,} rows; a list holds at most {MAX_ROWS:,} (import a dataset instead)")
    width = max(len(cells) for _, cells in raw)
    has_header = _is_header(raw[0][1]) if header is None else header
    if has_header:
        head = [c.strip() or f"Column {i + 1}" for i, c in enumerate(raw[0][1])]
        head += [f"Column {i + 1}" for i in range(len(head), width)]
        body = raw[1:]
    else:
        head = [f"Column {i + 1}" for i in range(width)]
        body = raw
    rows = tuple(tuple(c.strip() for c in cells) + ("",) * (width - len(cells)) for _, cells in body)
    return LeadTable(source, tuple(head), rows, tuple(line for line, _ in body), has_header)


def _decode(data: bytes, source: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # every byte is a character: a list is never refused for its encoding


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV text: comma, semicolon (spreadsheets in many European locales), tab or bar."""
    sample = text[:_SNIFF_BYTES]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        counts = {d: first.count(d) for d in (",", ";", "\t", "|")}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def parse_csv_text(text: str, source: str, delimiter: str | None = None) -> LeadTable:
    delim = delimiter or sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    raw: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            raw.append((reader.line_num, cells))
    except csv.Error as exc:
        raise ListError(f"{source}:{reader.line_num}: not readable as CSV: {exc}") from exc
    return _table(source, raw)


def parse_pasted(text: str) -> LeadTable:
    """Pasted lines: one lead per line, or cells separated by tabs (copied from a spreadsheet)."""
    lines = [line for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    if any("\t" in line for line in lines):
        raw = [(i + 1, line.split("\t")) for i, line in enumerate(lines)]
    else:
        raw = [(i + 1, [line]) for i, line in enumerate(lines)]
    return _table("pasted lines", raw)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(path: Path) -> LeadTable:
    from openpyxl import load_workbook  # loaded only for workbooks: it takes a moment to import

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged or foreign files
        raise ListError(f"{path.name}: not a readable XLSX workbook: {exc}") from exc
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise ListError(f"{path.name}: the workbook has no sheet")
        raw = [(i, [_cell_text(v) for v in values])
               for i, values in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        book.close()
    return _table(path.name, raw)


def read_list(path: Path) -> LeadTable:
    """Read a lead list from a .xlsx workbook or a CSV/text file."""
    if not path.is_file():
        raise ListError(f"{path}: no such file")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx(path)
    if path.suffix.lower() == ".xls":
        raise ListError(f"{path.name}: old Excel format (.xls); save it as .xlsx or CSV")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ListError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if data[:4] == b"PK\x03\x04":
        return read_xlsx(path)  # a workbook saved under another name
    return parse_csv_text(_decode(data, path.name), path.name)


def guess_columns(table: LeadTable) -> Columns:
    """The columns a header names; without a recognisable name column, the first column not otherwise taken."""
    found: dict[str, int] = {}
    keys = [_header_key(h) for h in table.header] if table.has_header else []
    for role in ROLES:
        for i, key in enumerate(keys):
            if key in HEADER_WORDS[role] and i not in found.values():
                found[role] = i
                break
    for role, words in (("email", ("mail",)), ("domain", ("website", "domain", "url")), ("country", ("country",)),
                        ("name", ("name", "company"))):
        if role not in found:
            for i, key in enumerate(keys):
                if any(w in key.split() for w in words) and i not in found.values():
                    found[role] = i
                    break
    if "name" not in found:
        free = [i for i in range(len(table.header)) if i not in found.values() and _looks_like_names(table, i)]
        if free:
            found["name"] = free[0]
    return Columns(**found)


def _looks_like_names(table: LeadTable, column: int, sample: int = 20) -> bool:
    """Most values hold letters and are neither e-mail addresses nor domains (a count, a date, a URL are not names)."""
    values = [r[column] for r in table.rows[: sample * 3] if column < len(r) and r[column]][:sample]
    if not values:
        return False
    named = sum(1 for v in values if any(c.isalpha() for c in v) and "@" not in v and host_of(v) is None)
    return named * 2 > len(values)


def column_index(table: LeadTable, given: str, what: str) -> int:
    """A column named by its header (case-insensitive) or its number (1 = first)."""
    if given.isdigit() and 1 <= int(given) <= len(table.header):
        return int(given) - 1
    keys = [h.casefold().strip() for h in table.header]
    if given.casefold().strip() in keys:
        return keys.index(given.casefold().strip())
    raise ListError(f"{table.source}: no {what} column {given!r}; the columns are: " + ", ".join(table.header))


_COUNTRY_BY_NAME: dict[str, str] = {}


def country_code(value: str) -> str | None:
    """'DE', 'de', 'Germany' → 'DE'; None when the value names no country."""
    text = value.strip()
    if not text:
        return None
    names = country_names()
    if text.upper() in names:
        return text.upper()
    if not _COUNTRY_BY_NAME:
        _COUNTRY_BY_NAME.update({_header_key(n): c for c, n in names.items()})
        _COUNTRY_BY_NAME.update({"uk": "GB", "united kingdom": "GB", "great britain": "GB", "england": "GB",
                                 "usa": "US", "united states of america": "US", "us": "US", "america": "US",
                                 "russia": "RU", "south korea": "KR", "korea": "KR", "north korea": "KP",
                                 "iran": "IR", "taiwan": "TW", "vietnam": "VN", "czech republic": "CZ",
                                 "hong kong": "HK", "macau": "MO", "macao": "MO", "uae": "AE"})
    return _COUNTRY_BY_NAME.get(_header_key(text))


def leads(table: LeadTable, columns: Columns) -> list[Lead]:
    """Each data row as a lead; a value that cannot be used is named in the lead's `problem`."""
    if not columns.used():
        raise ListError(f"{table.source}: choose a name, domain or e-mail column")

    def cell(row: tuple[str, ...], index: int | None) -> str:
        return row[index] if index is not None and index < len(row) else ""

    out = []
    for row, line in zip(table.rows, table.lines, strict=True):
        country_text = cell(row, columns.country)
        code = country_code(country_text) if country_text else None
        problem = ""
        if country_text and code is None:
            field_name = table.header[columns.country] if columns.country is not None else "country"
            problem = f"{table.source}:{line}:{field_name}: {country_text[:40]!r} is not a country; not used"
        out.append(Lead(line, cell(row, columns.name), cell(row, columns.domain), cell(row, columns.email),
                        code or "", problem))
    return out


# --- screening ----------------------------------------------------------------------------------------


def _identifier_match(outcome: CheckOutcome) -> SearchHit | None:
    m = outcome.match
    return m if m is not None and m.matched_on == "domain" else None


def _in_country(hit: SearchHit, country: str) -> bool:
    return not country or hit.country is None or hit.country == country


def _owned_by(ctx: AppContext, child: str, parent: str) -> bool:
    from desktop_app.store import queries

    with ctx.store.engine.connect() as conn:
        return parent in queries.ancestor_ids(conn, child)


def _lookups(lead: Lead) -> list[tuple[str, str]]:
    """What `screen_lead` checks for a lead, in order: its domain and its e-mail address (once per
    registrable domain), then its name, as (what, text)."""
    out = []
    host_seen: set[str] = set()
    for what, value in (("domain", lead.domain), ("e-mail", lead.email)):
        host = host_of(value) if value else None
        key = registrable_domain(value) if host else None
        if not host or key in host_seen:
            continue
        host_seen.add(key or host)
        out.append((what, value))
    if lead.name:
        out.append(("name", lead.name))
    return out


def screen_lead(ctx: AppContext, lead: Lead, index: int = 0,
                checked: Mapping[str, CheckOutcome] | None = None) -> ScreenedRow:
    """One lead → match, possible match or not on file, by the same decision as `clearance check`.

    `checked`: the outcomes of `lookup.check_many` for this lead's lookups, when a chunk of leads was
    looked up together."""

    def check(text: str) -> CheckOutcome:
        return checked[text] if checked is not None else lookup.check(ctx, text, fresh=False)

    by_id: tuple[str, SearchHit] | None = None
    pool: dict[str, SearchHit] = {}
    by_name: SearchHit | None = None
    for what, value in _lookups(lead):
        if what == "name":
            break
        outcome = check(value)
        found = _identifier_match(outcome)
        if found is not None and by_id is None:
            by_id = (what, found)
        elif outcome.match is not None:
            pool.setdefault(outcome.match.entity_id, outcome.match)  # its name, as "gazprom.ru" reads "Gazprom"
        for h in outcome.alternatives:
            pool.setdefault(h.entity_id, h)
    if lead.name:
        outcome = check(lead.name)
        by_name = outcome.match
        for h in outcome.alternatives:
            pool.setdefault(h.entity_id, h)
        if by_name is None and lead.country:
            # A country narrows: among the close names, the one decision taken again on those in that country.
            narrowed = tuple(h for h in outcome.alternatives if h.country == lead.country)
            picked, _ = lookup.pick_match(narrowed)
            if picked is not None:
                return _matched(index, lead, picked, "name", pool,
                                f"the only close name in {lead.country}")
    notes = [lead.problem] if lead.problem else []
    if by_id is not None:
        what, hit = by_id
        if by_name is not None and by_name.entity_id != hit.entity_id:
            if _owned_by(ctx, by_name.entity_id, hit.entity_id):
                # The domain is the group's, the name a company of the group: the name is more specific.
                return _matched(index, lead, by_name, "name", pool, f"{what} belongs to its group", notes)
            pool = {hit.entity_id: hit, by_name.entity_id: by_name, **pool}
            return _possible(index, lead, pool, [*notes, f"the {what} names {hit.name}, the name {by_name.name}"])
        return _matched(index, lead, hit, what, pool, "", notes)
    if by_name is not None:
        if not _in_country(by_name, lead.country):
            pool = {by_name.entity_id: by_name, **pool}
            return _possible(index, lead, pool,
                             [*notes, f"{by_name.name} is in {by_name.country}, the list says {lead.country}"])
        return _matched(index, lead, by_name, "name", pool, "", notes)
    if pool:
        return _possible(index, lead, pool, notes)
    return ScreenedRow(index, lead, NOT_ON_FILE, note="; ".join(notes))


def _matched(index: int, lead: Lead, hit: SearchHit, by: str, _pool: dict[str, SearchHit], note: str,
             notes: Sequence[str] = ()) -> ScreenedRow:
    text = "; ".join([*notes, note] if note else notes)
    return ScreenedRow(index, lead, MATCH, hit, (), by, text)


def _possible(index: int, lead: Lead, pool: dict[str, SearchHit], notes: Sequence[str]) -> ScreenedRow:
    ranked = sorted(pool.values(), key=lambda h: (not _in_country(h, lead.country), -h.score))
    return ScreenedRow(index, lead, POSSIBLE, ranked[0], tuple(ranked[1:5]), "", "; ".join(notes))


PARALLEL_FROM = 400  # distinct leads from which worker processes pay for their start (about a second)
CHUNK = 100  # leads per task sent to a worker: progress stays smooth and cancel prompt


def default_workers() -> int:
    """One worker process per core, at most four (each opens its own connection to the database)."""
    return max(1, min(4, os.cpu_count() or 1))


def _key(lead: Lead) -> tuple[str, str, str, str]:
    return lead.name.casefold(), lead.domain.casefold(), lead.email.casefold(), lead.country


def screen(
    ctx: AppContext,
    table: LeadTable,
    columns: Columns,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    workers: int | None = None,
) -> ScreeningResult:
    """Screen every lead of `table`; stops early (keeping what is done) when `cancelled()` turns true.

    The same lead twice is screened once. A long list is shared among worker processes (`workers`,
    default one per core), each with its own database connection; a database that another process
    cannot open (in memory) is screened here alone.
    """
    started = time.perf_counter()
    items = leads(table, columns)
    ensure_current(ctx)
    total = len(items)
    unique: dict[tuple[str, str, str, str], int] = {}
    for i, lead in enumerate(items):
        if lead.label:
            unique.setdefault(_key(lead), i)
    n_workers = default_workers() if workers is None else max(1, workers)
    shareable = "://" in ctx.location or Path(ctx.location).is_file()
    if n_workers > 1 and len(unique) >= PARALLEL_FROM and shareable:
        todo = [(i, items[i]) for i in unique.values()]
        answers, stopped = _screen_parallel(ctx, todo, n_workers, total, progress, cancelled)
        reached = _answered_prefix(todo, answers, total)
    else:
        answers, reached = _screen_serial(ctx, items, progress, cancelled)
        stopped = reached < total
    done: list[ScreenedRow] = []
    for i, lead in enumerate(items[:reached]):  # cancelled: the rows up to the first one not screened
        if not lead.label:
            done.append(ScreenedRow(i, lead, NOT_ON_FILE, note="no name, domain or e-mail address in this row"))
            continue
        first = unique[_key(lead)]
        row = answers[first]
        done.append(row if first == i else replace(row, index=i, lead=lead))
    rows = tuple(done)
    return ScreeningResult(table, columns, rows, total, stopped, time.perf_counter() - started, count_rows(rows))


def screen_chunk(ctx: AppContext, chunk: Sequence[tuple[int, Lead]]) -> list[ScreenedRow]:
    """Screen leads (with their list positions) together: their lookups are made in one read of the
    database, and the same text in two leads is looked up once."""
    checked = lookup.check_many(ctx, (text for _, lead in chunk for _, text in _lookups(lead)))
    return [screen_lead(ctx, lead, i, checked) for i, lead in chunk]


def _screen_serial(ctx: AppContext, items: list[Lead], progress: Progress | None,
                   cancelled: Callable[[], bool] | None) -> tuple[dict[int, ScreenedRow], int]:
    """Answers by list position, and how many leads were gone through before a cancel.

    Leads are screened a chunk at a time, ahead of the progress reported and of the checks for a cancel,
    which stay per lead."""
    answers: dict[int, ScreenedRow] = {}
    firsts: dict[tuple[str, str, str, str], int] = {}
    ahead: dict[int, ScreenedRow] = {}
    for i, lead in enumerate(items):
        if cancelled is not None and cancelled():
            return answers, i
        if lead.label and firsts.setdefault(_key(lead), i) == i:
            if i not in ahead:
                chunk: list[tuple[int, Lead]] = []
                keys: set[tuple[str, str, str, str]] = set()
                for j in range(i, len(items)):
                    if len(chunk) >= CHUNK:
                        break
                    key = _key(items[j])
                    if items[j].label and firsts.get(key, j) == j and key not in keys:
                        keys.add(key)
                        chunk.append((j, items[j]))
                ahead = {row.index: row for row in screen_chunk(ctx, chunk)}
            answers[i] = ahead[i]
        if progress is not None:
            progress("Screening", i + 1, len(items))
    return answers, len(items)


_worker_ctx: AppContext | None = None


def _worker_open(location: str, policy_path: str) -> None:
    global _worker_ctx
    from desktop_app.services.context import open_context

    _worker_ctx = open_context(location, policy_path, seed_reference=False)


def _worker_screen(chunk: list[tuple[int, Lead]]) -> list[ScreenedRow]:
    assert _worker_ctx is not None
    return screen_chunk(_worker_ctx, chunk)


def _screen_parallel(ctx: AppContext, todo: list[tuple[int, Lead]], workers: int, total: int,
                     progress: Progress | None, cancelled: Callable[[], bool] | None
                     ) -> tuple[dict[int, ScreenedRow], bool]:
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    chunks = [todo[k:k + CHUNK] for k in range(0, len(todo), CHUNK)]
    answers: dict[int, ScreenedRow] = {}
    stopped = False
    # spawn, not fork: the window's process has Qt and database threads that a fork would copy mid-flight
    pool = ProcessPoolExecutor(min(workers, len(chunks)), mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_open, initargs=(ctx.location, str(ctx.policy_path)))
    try:
        pending = {pool.submit(_worker_screen, chunk) for chunk in chunks}
        while pending:
            finished, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in finished:
                for row in future.result():
                    answers[row.index] = row
            if progress is not None:
                # rows are reported in list order as far as every lead up to there is answered
                progress("Screening", _answered_prefix(todo, answers, total), total)
            if cancelled is not None and cancelled():
                stopped = True
                for future in pending:
                    future.cancel()
                break
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return answers, stopped


def _answered_prefix(todo: list[tuple[int, Lead]], answers: dict[int, ScreenedRow], total: int) -> int:
    for i, _ in todo:
        if i not in answers:
            return i
    return total


# --- export -------------------------------------------------------------------------------------------

RESULT_COLUMNS = ("result", "status", "restricted_min", "restricted_max", "matched_entity", "entity_id",
                  "entity_country", "score", "matched_by", "matched_on", "possible_matches", "note")


def neutralise(value: Any) -> Any:
    """A text a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _candidates_text(row: ScreenedRow) -> str:
    hits = ([row.hit] if row.verdict == POSSIBLE and row.hit else []) + list(row.candidates)
    return "; ".join(f"{h.name} ({h.country or '??'}, {h.status}, score {h.score:g}) [{h.entity_id}]" for h in hits)


def result_cells(row: ScreenedRow) -> list[Any]:
    """The result columns of one row, neutralised; numbers stay numbers."""
    hit = row.hit if row.verdict == MATCH else None
    cells: list[Any] = [
        row.verdict,
        row.status_label,
        hit.restricted_min if hit else None,
        hit.restricted_max if hit else None,
        hit.name if hit else None,
        hit.entity_id if hit else None,
        hit.country if hit else None,
        hit.score if hit else None,
        row.matched_by or None,
        f"{hit.matched_on}: {hit.matched_text}" if hit else None,
        _candidates_text(row) or None,
        row.note or None,
    ]
    return [neutralise(c) for c in cells]


def output_rows(result: ScreeningResult) -> Iterable[list[Any]]:
    """Header, then each screened row: the input row as it was, then the result columns."""
    yield [neutralise(h) for h in (*result.table.header, *RESULT_COLUMNS)]
    for row in result.rows:
        yield [neutralise(c) for c in result.table.rows[row.index]] + result_cells(row)


def write_csv(result: ScreeningResult, out: io.TextIOBase | Any) -> None:
    w = csv.writer(out)
    for cells in output_rows(result):
        w.writerow(["" if c is None else c for c in cells])


def export(result: ScreeningResult, path: Path) -> None:
    """Write the results as XLSX (for a .xlsx name) or CSV, formulas neutralised."""
    try:
        if path.suffix.lower() == ".xlsx":
            from openpyxl import Workbook

            book = Workbook(write_only=True)
            sheet = book.create_sheet("Screening")
            for cells in output_rows(result):
                sheet.append(cells)
            book.save(path)
        else:
            with path.open("w", encoding="utf-8-sig", newline="") as fh:
                write_csv(result, fh)
    except OSError as exc:
        raise ListError(f"{path}: cannot write: {exc.strerror or exc}") from exc


def row_json(row: ScreenedRow, table: LeadTable) -> dict[str, Any]:
    hit = row.hit if row.verdict == MATCH else None
    possible = ([row.hit] if row.verdict == POSSIBLE and row.hit else []) + list(row.candidates)
    return {
        "line": row.lead.line,
        "input": dict(zip(table.header, table.rows[row.index], strict=False)),
        "lead": {"name": row.lead.name, "domain": row.lead.domain, "email": row.lead.email,
                 "country": row.lead.country or None},
        "result": row.verdict,
        "match": None if hit is None else {
            "entity_id": hit.entity_id, "name": hit.name, "country": hit.country, "score": hit.score,
            "matched_by": row.matched_by, "matched_on": hit.matched_on, "matched_text": hit.matched_text},
        "status": row.status,
        "restricted_share": None if hit is None else {"min": hit.restricted_min, "max": hit.restricted_max},
        "possible_matches": [{"entity_id": h.entity_id, "name": h.name, "country": h.country, "score": h.score,
                              "status": h.status} for h in possible] if row.verdict != NOT_ON_FILE else [],
        "note": row.note or None,
    }
