"""The command line: `clearance [--db PATH] [--policy FILE] COMMAND …` (see DESIGN, Command line)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from desktop_app import __version__

EXIT_OK, EXIT_NO_MATCH, EXIT_USAGE, EXIT_DATA = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="clearance",
        description="Check whether a prospective customer may be served under the "
        "sales-restriction policy. With no command, opens the window.",
    )
    p.add_argument("--version", action="version", version=f"clearance {__version__}")
    p.add_argument(
        "--db",
        metavar="PATH",
        help="database file or postgresql:// URL (default: CLEARANCE_DB, "
        "else the user's own database, created from the embedded reference data)",
    )
    p.add_argument("--policy", metavar="FILE", help="policy TOML file (default: the embedded default policy)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    c = sub.add_parser("check", help="determine the status of one company (name, domain, e-mail, LEI)")
    c.add_argument("query", help="what the customer is called, its web domain, an e-mail address or an LEI")
    c.add_argument("--json", action="store_true", help="print one JSON object (the documented contract)")
    c.add_argument("--as-of", metavar="DATE", type=_date, help="ownership valid on this date (default: today)")
    c.add_argument("--record", action="store_true",
                   help="keep a decision record of this check (see `clearance audit`)")
    c.add_argument("--note", default="", help="with --record: a note kept in the record")
    c.add_argument("--customer-ref", default="", metavar="REF",
                   help="with --record: the customer's reference (CRM id, order number)")

    s = sub.add_parser("search", help="list the entities that match a query, with their statuses")
    s.add_argument("query")
    s.add_argument("--limit", type=int, default=10, help="how many results (default 10)")
    s.add_argument("--json", action="store_true")

    sh = sub.add_parser("show", help="show one entity by id: status, facts, chain, rationale, sources")
    sh.add_argument("id")
    sh.add_argument("--json", action="store_true")
    sh.add_argument("--as-of", metavar="DATE", type=_date)

    i = sub.add_parser(
        "import",
        help="import a canonical dataset (folder or .zip), or the GLEIF golden copy (its three files, "
        "or a folder holding them); replaces the same dataset id",
    )
    i.add_argument("path", type=Path, nargs="+", help="the dataset; several paths for the GLEIF files")

    d = sub.add_parser("db", help="database information and maintenance")
    dsub = d.add_subparsers(dest="db_command", metavar="ACTION", parser_class=_Parser)
    di = dsub.add_parser("info", help="where the database is, its datasets and status counts")
    di.add_argument("--json", action="store_true")
    dr = dsub.add_parser("remove", help="remove one dataset by id")
    dr.add_argument("dataset_id")
    dsub.add_parser("recompute", help="recompute every stored status now")
    dsub.add_parser(
        "init-roles",
        help="PostgreSQL: create the lookup and importer roles and grant their rights (run as the owner; "
        "safe to repeat)",
    )

    b = sub.add_parser(
        "batch",
        help="screen a lead list (CSV or XLSX): each row → match, possible match or not on file, with status",
        description="Screen a lead list. The name, domain, e-mail and country columns are found by their "
        "headers unless given; domain and e-mail are looked up as identifiers, a country narrows the match. "
        "The output keeps each input row and adds the result columns; spreadsheet formulas are neutralised.",
    )
    b.add_argument("input", type=Path, help="a .csv (any delimiter), .xlsx or text file, one lead per row")
    b.add_argument("--output", "-o", type=Path,
                   help="output file: .xlsx for a workbook, else CSV (default: CSV on standard output)")
    for role, what in (("name", "company name"), ("domain", "web domain or website"),
                       ("email", "e-mail address"), ("country", "country (code or English name)")):
        b.add_argument(f"--{role}-column", metavar="COLUMN",
                       help=f"the column with the {what}: its header or its number (1 = first)")
    b.add_argument("--json", action="store_true", help="print the results as one JSON object")

    r = sub.add_parser("report", help="counts of restricted / review / eligible entities by headquarters country")
    r.add_argument("--json", action="store_true")
    r.add_argument("--markdown", action="store_true")

    a = sub.add_parser(
        "audit",
        help="decision records (list, show, verify, export) and the trail of lookups shown to users",
        description="Decision records are kept by `check --record` and the window's Record decision, as a "
        "hash chain. With no action, shows the recent lookups shown to users.",
    )
    a.add_argument("--limit", type=int, default=20)
    a.add_argument("--json", action="store_true")
    asub = a.add_subparsers(dest="audit_command", metavar="ACTION", parser_class=_Parser)
    al = asub.add_parser("list", help="the most recent decision records, newest first")
    al.add_argument("--limit", type=int, default=20)
    al.add_argument("--customer-ref", metavar="REF", help="only the records for this customer reference")
    al.add_argument("--json", action="store_true")
    ash = asub.add_parser("show", help="one decision record in full")
    ash.add_argument("number", type=int)
    ash.add_argument("--json", action="store_true")
    ash.add_argument("--pdf", type=Path, metavar="FILE", help="also write the record as a PDF document")
    asub.add_parser("verify", help="check every link of the hash chain; exit 3 naming the first broken record")
    ae = asub.add_parser("export", help="write every record to FILE: JSON Lines, or CSV for a .csv name")
    ae.add_argument("file", type=Path)
    asub.add_parser("trail", help="the recent lookups shown to users (the default action)")

    g = sub.add_parser("gui", help="open the window")
    g.add_argument(
        "--self-test", action="store_true", help="start offscreen, search, open a result, exit 0 if all worked"
    )
    return p


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from exc


def _err(message: str) -> None:
    print(f"clearance: {message}", file=sys.stderr)


def _open(args: argparse.Namespace, seed: bool | None = None) -> Any:
    from desktop_app.services.context import open_context

    def progress(what: str, done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r{what}… {done:,}" + (f"/{total:,}" if total else "") + " " * 10, end="", file=sys.stderr)

    ctx = open_context(args.db or os.environ.get("CLEARANCE_DB") or None, args.policy, progress, seed_reference=seed)
    if sys.stderr.isatty():
        print("\r" + " " * 70 + "\r", end="", file=sys.stderr)
    return ctx


def main(argv: Sequence[str] | None = None) -> int:
    import multiprocessing

    multiprocessing.freeze_support()  # a frozen build starts the index process through its own executable
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return gui_main([], db=args.db, policy=args.policy)
    if args.command == "gui":
        return gui_main(["--self-test"] if args.self_test else [], db=args.db, policy=args.policy)
    if args.command == "db" and args.db_command is None:
        parser.parse_args(["db", "--help"])
    from desktop_app.domain.policy import PolicyError
    from desktop_app.importers.records import DatasetError
    from desktop_app.store.database import PermissionRefused, StoreError
    from desktop_app.store.index_builder import IndexBuildError

    try:
        seed = None if not (args.db or os.environ.get("CLEARANCE_DB")) else False
        ctx = _open(args, seed)
    except PermissionRefused as exc:  # the server refuses this user: not a problem of the data
        _err(str(exc))
        return EXIT_USAGE
    except (PolicyError, StoreError) as exc:
        _err(str(exc))
        return EXIT_DATA
    except DatasetError as exc:
        _err(str(exc))
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_DATA
    try:
        handler = globals()[f"_cmd_{args.command}"]
        return int(handler(ctx, args))
    except DatasetError as exc:
        _err(str(exc))
        for problem in exc.problems:
            print(f"{problem}", file=sys.stderr)
        return EXIT_DATA
    except PermissionRefused as exc:
        _err(str(exc))
        return EXIT_USAGE
    except (PolicyError, StoreError) as exc:
        _err(str(exc))
        return EXIT_DATA
    except BrokenPipeError:
        return EXIT_OK
    except IndexBuildError as exc:  # the search index's process failed: the transaction was rolled back
        _err(f"the import stopped and changed nothing: {exc}")
        return 1
    finally:
        ctx.close()


def _cmd_check(ctx: Any, args: argparse.Namespace) -> int:
    from desktop_app.services import lookup, reporting

    if not args.query.strip():
        _err("nothing to check: give a company name, web domain, e-mail address or LEI")
        return EXIT_USAGE

    outcome = lookup.check(ctx, args.query)
    report = reporting.entity_report(ctx, outcome.match.entity_id, args.as_of) if outcome.match else None
    reporting.record_audit(ctx, "check", args.query, report)
    if args.record:
        from desktop_app.services import decision_records

        try:
            rec = decision_records.record_decision(ctx, args.query, report, outcome=outcome, note=args.note,
                                                   customer_ref=args.customer_ref)
        except decision_records.RecordError as exc:
            _err(str(exc))
            return EXIT_USAGE
        print(f"Recorded as decision {rec.seq} (sha256 {rec.sha256}).", file=sys.stderr)
    elif args.note or args.customer_ref:
        _err("--note and --customer-ref go with --record")
        return EXIT_USAGE
    if args.json:
        print(json.dumps(reporting.check_json(outcome, report), ensure_ascii=False, indent=2))
    elif report is None:
        print("NOT ON FILE")
        print(reporting.NOT_ON_FILE.format(query=args.query))
        if outcome.alternatives:
            print("\nPossible matches — not the same name; check before relying on them:")
            for a in outcome.alternatives:
                print(
                    f"  {a.status.upper():10} {a.name} ({a.country or '??'}) — score {a.score:g}, "
                    f"{a.matched_on}: {a.matched_text}  [{a.entity_id}]"
                )
    else:
        assert outcome.match is not None
        print(reporting.text_report(report))
        m = outcome.match
        print(f"\nMatched on {m.matched_on}: {m.matched_text} (score {m.score:g}) [{m.entity_id}]")
        if outcome.group is not None:
            print(f"“{outcome.group.shared}” is shared by {outcome.group.entities} entities of one group; "
                  f"its parent, {m.name}, is the match.")
    return EXIT_OK if report else EXIT_NO_MATCH


def _cmd_search(ctx: Any, args: argparse.Namespace) -> int:
    from desktop_app.services import determinations, lookup, reporting

    determinations.ensure_current(ctx)
    result = lookup.search(ctx, args.query, limit=max(1, min(args.limit, 500)))
    if args.json:
        print(
            json.dumps(
                {"query": args.query, "results": [reporting.hit_json(h, True) for h in result.hits]},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        if not result.hits:
            print(f"No entity matches {args.query!r}.")
        for h in result.hits:
            print(
                f"{h.status.upper():10} {h.score:5.1f}  {h.name} ({h.country or '??'})  "
                f"{h.matched_on}: {h.matched_text}  [{h.entity_id}]"
            )
    return EXIT_OK if result.hits else EXIT_NO_MATCH


def _cmd_show(ctx: Any, args: argparse.Namespace) -> int:
    from desktop_app.services import reporting

    try:
        report = reporting.entity_report(ctx, args.id, args.as_of)
    except reporting.UnknownEntity as exc:
        _err(str(exc))
        return EXIT_NO_MATCH
    if args.json:
        out = {
            "entity_id": report.entity_id,
            "name": report.name,
            "kind": report.kind,
            "hq_country": report.hq_country,
            "incorporation_country": report.incorporation_country,
            "lei": report.lei,
            "website": report.website,
            "names": [{"name": n.name, "type": n.type, "lang": n.lang} for n in report.names],
            "identifiers": [{"scheme": i.scheme, "value": i.value} for i in report.identifiers],
            "determination": reporting.determination_json(report),
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(reporting.text_report(report))
        if report.names:
            print("\nNames: " + "; ".join(f"{n.name} ({n.type})" for n in report.names))
        if report.identifiers:
            print("Identifiers: " + "; ".join(f"{i.scheme}: {i.value}" for i in report.identifiers))
        if report.sources:
            print("\nSources:")
            for s in report.sources:
                print(f"  [{s.key}] {s.title} — {s.publisher}, {s.as_of or 'undated'} {s.url}")
    return EXIT_OK


def _cmd_import(ctx: Any, args: argparse.Namespace) -> int:
    from desktop_app.services.importing import import_dataset

    for path in args.path:
        if not path.exists():
            _err(f"{path}: no such file or folder")
            return EXIT_USAGE

    def progress(what: str, done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r{what}… {done:,}" + (f"/{total:,}" if total else "") + " " * 10, end="", file=sys.stderr)

    s = import_dataset(ctx, args.path[0] if len(args.path) == 1 else list(args.path), progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    verb = "Replaced" if s.replaced else "Imported"
    print(
        f"{verb} dataset {s.dataset_id} {s.version} (as of {s.as_of}): {s.entities:,} entities, "
        f"{s.relationships:,} relationships, {s.names:,} names, {s.identifiers:,} identifiers, "
        f"{s.sources:,} sources in {s.seconds:.1f} s.\n"
        f"Changed: {s.entities:,} entities, {s.relationships:,} relationships; "
        f"{s.status_changes:,} entities changed status."
    )
    return EXIT_OK


def _cmd_db(ctx: Any, args: argparse.Namespace) -> int:
    from desktop_app.services import determinations, importing, info

    if args.db_command == "remove":
        if not importing.remove_dataset(ctx, args.dataset_id):
            _err(f"no dataset with id {args.dataset_id!r}")
            return EXIT_NO_MATCH
        print(f"Removed dataset {args.dataset_id}.")
        return EXIT_OK
    if args.db_command == "recompute":
        t = determinations.recompute(ctx, date.today())
        print(f"Recomputed {int(t['entities']):,} statuses in {t['read'] + t['compute'] + t['store']:.1f} s.")
        return EXIT_OK
    if args.db_command == "init-roles":
        from desktop_app.services import server

        try:
            done = server.init_roles(ctx)
        except server.NotAServer as exc:
            _err(str(exc))
            return EXIT_USAGE
        for line in done:
            print(line)
        return EXIT_OK
    data = info.database_info(ctx)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(f"Database: {data['location']} (schema {data['schema']})")
        print(f"Policy:   {data['policy']['id']} {data['policy']['version']} ({data['policy']['path']})")
        print(f"          sha256 {data['policy']['sha256']}")
        print(f"Entities: {data['entities']:,}   relationships: {data['relationships']:,}")
        print("Statuses: " + ", ".join(f"{k} {v:,}" for k, v in data["statuses"].items()))
        print("Datasets:" if data["datasets"] else "Datasets: none (import one with `clearance import PATH`)")
        for d in data["datasets"]:
            print(
                f"  {d['id']} {d['version']} as of {d['as_of']} — {d['title']} "
                f"({d['entities']:,} entities, {d['relationships']:,} relationships)"
            )
        if data.get("stale_warning"):
            print(f"Warning: {data['stale_warning']}")
    return EXIT_OK


class _TerminalProgress:
    """A progress bar on standard error, only when it is a terminal: rows done, rate and time left."""

    def __init__(self) -> None:
        self.on = sys.stderr.isatty()
        self.started = time.monotonic()
        self.last = 0.0

    def __call__(self, _what: str, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.on or (now - self.last < 0.1 and done < total):
            return
        self.last = now
        elapsed = max(now - self.started, 1e-6)
        rate = done / elapsed
        left = (total - done) / rate if rate > 0 else 0.0
        width = 30
        filled = int(width * done / total) if total else 0
        print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} rows, {rate:,.0f}/s, "
              f"{left:,.0f} s left   ", end="", file=sys.stderr, flush=True)

    def end(self) -> None:
        if self.on:
            print(file=sys.stderr)


def _cmd_batch(ctx: Any, args: argparse.Namespace) -> int:
    from desktop_app.services import screening

    try:
        table = screening.read_list(args.input)
        guessed = screening.guess_columns(table)
        given = {role: getattr(args, f"{role}_column") for role in screening.ROLES}
        chosen = {role: screening.column_index(table, value, role) if value else None
                  for role, value in given.items()}
        taken = {v for v in chosen.values() if v is not None}
        for role in screening.ROLES:  # a column given replaces the guess for its role; the rest stay guessed
            g = getattr(guessed, role)
            if chosen[role] is None and g is not None and g not in taken:
                chosen[role] = g
        columns = screening.Columns(**chosen)
        bar = _TerminalProgress()
        result = screening.screen(ctx, table, columns, bar)
        bar.end()
    except screening.ListError as exc:
        _err(str(exc))
        return EXIT_DATA
    for row in result.rows:
        if row.lead.problem:
            print(row.lead.problem, file=sys.stderr)
    if args.json:
        out = {
            "input": str(args.input),
            "columns": {role: table.header[i] if i is not None else None
                        for role, i in vars(columns).items()},
            "counts": result.counts,
            "rows": [screening.row_json(r, table) for r in result.rows],
        }
        text = json.dumps(out, ensure_ascii=False, indent=2)
        if args.output:
            args.output.write_text(text + "\n", encoding="utf-8")
        else:
            print(text)
    elif args.output:
        try:
            screening.export(result, args.output)
        except screening.ListError as exc:
            _err(str(exc))
            return EXIT_DATA
    else:
        screening.write_csv(result, sys.stdout)
    summary = ", ".join(f"{k} {v:,}" for k, v in result.counts.items())
    rate = len(result.rows) / result.seconds if result.seconds > 0 else 0.0
    print(f"Screened {len(result.rows):,} rows in {result.seconds:.1f} s ({rate:,.0f}/s): {summary}.",
          file=sys.stderr)
    return EXIT_OK


def _cmd_report(ctx: Any, args: argparse.Namespace) -> int:
    from desktop_app.services import info

    table = info.status_by_country(ctx)
    if args.json:
        print(json.dumps(table, indent=2))
        return EXIT_OK
    if args.markdown:
        print("| HQ country | restricted | review | eligible | total |\n|---|---:|---:|---:|---:|")
        for row in table:
            print(f"| {row['country']} | {row['restricted']} | {row['review']} | {row['eligible']} | {row['total']} |")
        return EXIT_OK
    print(f"{'country':24} {'restricted':>10} {'review':>8} {'eligible':>9} {'total':>7}")
    for row in table:
        print(f"{row['country']:24} {row['restricted']:>10} {row['review']:>8} {row['eligible']:>9} {row['total']:>7}")
    return EXIT_OK


def _cmd_audit(ctx: Any, args: argparse.Namespace) -> int:
    from desktop_app.services import decision_records as records
    from desktop_app.services import info

    action = args.audit_command or "trail"
    if action == "trail":
        trail = info.audit_records(ctx, args.limit)
        if args.json:
            print(json.dumps(trail, ensure_ascii=False, indent=2, default=str))
        else:
            for r in trail:
                print(
                    f"{r['at']}  {r['user']:10} {r['action']:6} {(r['status'] or 'not on file').upper():11} "
                    f"{r['query']!r} → {r['entity_id'] or '-'}  ({r['policy_id']} {r['policy_sha256'][:8]})"
                )
        return EXIT_OK
    try:
        if action == "list":
            found = records.latest(ctx, args.limit, args.customer_ref)
            if args.json:
                print(json.dumps([_record_summary(r) for r in found], ensure_ascii=False, indent=2))
            elif not found:
                print("No decision records" + (f" for {args.customer_ref!r}." if args.customer_ref else
                                               " yet: `clearance check NAME --record` keeps one."))
            for rec in found if not args.json else ():
                ref = f" [{rec.customer_ref}]" if rec.customer_ref else ""
                print(f"{rec.seq:>5}  {rec.at}  {rec.user:10} {rec.verdict.upper():11} "
                      f"{rec.entity_name or repr(rec.query)}{ref}")
            return EXIT_OK
        if action == "show":
            rec = records.get(ctx, args.number)
            if args.json:
                print(json.dumps({"record": rec.content, "prev_sha256": rec.prev_sha256, "sha256": rec.sha256},
                                 ensure_ascii=False, indent=2))
            else:
                print(_record_text(rec))
            if args.pdf:
                _write_pdf(rec, args.pdf)
                print(f"PDF written to {args.pdf}.", file=sys.stderr)
            return EXIT_OK
        if action == "verify":
            v = records.verify(ctx)
            if v.broken is not None:
                print(f"BROKEN at decision record {v.broken.seq}: {v.broken.reason}.")
                print(f"Records before number {v.broken.seq} are intact; from it on they cannot be trusted.")
                return EXIT_DATA
            print(f"Chain intact: {v.count:,} record{'s' if v.count != 1 else ''}; "
                  f"last hash {v.head_sha256}" + (" (keep it elsewhere: a removed last record shows only by it)"
                                                   if v.count else ""))
            return EXIT_OK
        n = records.export(ctx, args.file)
        print(f"Exported {n:,} decision records to {args.file}.")
        return EXIT_OK
    except records.RecordError as exc:
        _err(str(exc))
        return EXIT_NO_MATCH if action == "show" else EXIT_DATA


def _record_summary(rec: Any) -> dict[str, Any]:
    return {"seq": rec.seq, "at": rec.at, "user": rec.user, "query": rec.query, "entity_id": rec.entity_id,
            "entity_name": rec.entity_name, "status": rec.status, "customer_ref": rec.customer_ref,
            "note": rec.note, "sha256": rec.sha256}


def _record_text(rec: Any) -> str:
    d = rec.determination
    lines = [f"Decision record {rec.seq} — {rec.at} by {rec.user or 'unknown user'}"]
    if rec.customer_ref:
        lines.append(f"Customer reference: {rec.customer_ref}")
    lines.append(f"Query: {rec.query}")
    if d is None:
        lines += ["Result: NOT ON FILE — no status. Not on file is not eligible: establish the company's "
                  "ownership before selling."]
        alts = rec.check.get("alternatives") or []
        lines += [f"  possible match: {a.get('name')} ({a.get('status')}, score {a.get('score')})" for a in alts]
    else:
        share = d.get("restricted_share") or {}
        lo, hi = share.get("min"), share.get("max")
        share_text = f"{lo:g}%" if lo == hi else f"{lo:g}–{hi:g}%"
        lines += [f"Entity: {rec.entity_name} [{rec.entity_id}]",
                  f"Status: {str(d.get('status')).upper()} (restricted share {share_text})",
                  "", "Rationale:", "  " + str(d.get("rationale", ""))]
        clauses = [r.get("clause") or r.get("title") for r in d.get("rules", [])]
        if clauses:
            lines += ["", "Policy clauses:"] + [f"  {c}" for c in clauses]
        sources = d.get("sources", [])
        if sources:
            lines += ["", "Sources:"] + [f"  [{s.get('id')}] {s.get('title')} — {s.get('publisher')}, "
                                         f"{s.get('as_of') or 'undated'} {s.get('url')}" for s in sources]
    if rec.note:
        lines += ["", f"Note: {rec.note}"]
    datasets = rec.content.get("datasets") or []
    lines += ["", "Data: " + (", ".join(f"{x.get('id')} {x.get('version')} (as of {x.get('as_of')})"
                                        for x in datasets) or "—"),
              f"Policy: {rec.content.get('policy_id')} {rec.content.get('policy_version', '')} "
              f"(SHA-256 {rec.content.get('policy_sha256')})",
              f"Previous record's hash: {rec.prev_sha256}",
              f"This record's hash:     {rec.sha256}"]
    return "\n".join(lines)


def _write_pdf(rec: Any, path: Path) -> None:
    # The PDF draws the ownership graph with the window's own widget, so Qt is loaded here only.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop_app.ui.record_pdf import write_record_pdf

    write_record_pdf(rec, path)


def gui_main(argv: Sequence[str] | None = None, db: str | None = None, policy: str | None = None) -> int:
    """Open the window (also the entry point of the windowed executable)."""
    import multiprocessing

    multiprocessing.freeze_support()
    if argv is None:  # the windowed executable: accept the same --db and --policy as the command line
        own = argparse.ArgumentParser(add_help=False)
        own.add_argument("--db")
        own.add_argument("--policy")
        known, rest = own.parse_known_args(sys.argv[1:])
        argv, db, policy = rest, db or known.db, policy or known.policy
    from desktop_app.ui.app import run

    return int(run(list(argv), db=db, policy=policy))


if __name__ == "__main__":
    sys.exit(main())
