"""The command line: `clearance [--db PATH] [--policy FILE] COMMAND …` (see DESIGN, Command line)."""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import sys
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

    s = sub.add_parser("search", help="list the entities that match a query, with their statuses")
    s.add_argument("query")
    s.add_argument("--limit", type=int, default=10, help="how many results (default 10)")
    s.add_argument("--json", action="store_true")

    sh = sub.add_parser("show", help="show one entity by id: status, facts, chain, rationale, sources")
    sh.add_argument("id")
    sh.add_argument("--json", action="store_true")
    sh.add_argument("--as-of", metavar="DATE", type=_date)

    i = sub.add_parser("import", help="import a canonical dataset (folder or .zip); replaces the same dataset id")
    i.add_argument("path", type=Path)

    d = sub.add_parser("db", help="database information and maintenance")
    dsub = d.add_subparsers(dest="db_command", metavar="ACTION", parser_class=_Parser)
    di = dsub.add_parser("info", help="where the database is, its datasets and status counts")
    di.add_argument("--json", action="store_true")
    dr = dsub.add_parser("remove", help="remove one dataset by id")
    dr.add_argument("dataset_id")
    dsub.add_parser("recompute", help="recompute every stored status now")

    b = sub.add_parser(
        "batch",
        help="check every name in a CSV file (first column, or a column called "
        "name/query/domain/email) and write the results as CSV",
    )
    b.add_argument("input", type=Path)
    b.add_argument("--output", "-o", type=Path, help="output CSV (default: standard output)")

    r = sub.add_parser("report", help="counts of restricted / review / eligible entities by headquarters country")
    r.add_argument("--json", action="store_true")
    r.add_argument("--markdown", action="store_true")

    a = sub.add_parser("audit", help="the most recent decisions shown to users")
    a.add_argument("--limit", type=int, default=20)
    a.add_argument("--json", action="store_true")

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
    from desktop_app.store.database import StoreError

    try:
        seed = None if not (args.db or os.environ.get("CLEARANCE_DB")) else False
        ctx = _open(args, seed)
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
    except (PolicyError, StoreError) as exc:
        _err(str(exc))
        return EXIT_DATA
    except BrokenPipeError:
        return EXIT_OK
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
    if args.json:
        print(json.dumps(reporting.check_json(outcome, report), ensure_ascii=False, indent=2))
    elif report is None:
        print("NOT ON FILE")
        print(reporting.NOT_ON_FILE.format(query=args.query))
        if outcome.alternatives:
            print("\nPossible matches to check:")
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

    if not args.path.exists():
        _err(f"{args.path}: no such file or folder")
        return EXIT_USAGE

    def progress(what: str, done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r{what}… {done:,}" + (f"/{total:,}" if total else "") + " " * 10, end="", file=sys.stderr)

    s = import_dataset(ctx, args.path, progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    verb = "Replaced" if s.replaced else "Imported"
    print(
        f"{verb} dataset {s.dataset_id} {s.version} (as of {s.as_of}): {s.entities:,} entities, "
        f"{s.relationships:,} relationships, {s.names:,} names, {s.identifiers:,} identifiers, "
        f"{s.sources:,} sources in {s.seconds:.1f} s."
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
        from sqlalchemy import text as _t  # noqa: F401  (keeps the store import local to services)

        with ctx.store.write() as conn:
            t = determinations.compute_and_store(conn, ctx.policy, date.today())
        print(f"Recomputed {int(t['entities']):,} statuses in {t['read'] + t['compute'] + t['store']:.1f} s.")
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
            print(f"  {d['id']} {d['version']} as of {d['as_of']} — {d['title']} ({d['entities']:,} entities)")
        if data.get("stale_warning"):
            print(f"Warning: {data['stale_warning']}")
    return EXIT_OK


def _neutralise(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _cmd_batch(ctx: Any, args: argparse.Namespace) -> int:
    from desktop_app.services import lookup, reporting

    try:
        raw = args.input.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        _err(f"{args.input}: cannot read as UTF-8 text: {exc}")
        return EXIT_DATA
    rows = list(csv.reader(raw.splitlines()))
    if not rows:
        _err(f"{args.input}: empty file")
        return EXIT_DATA
    header = [h.strip().lower() for h in rows[0]]
    col = next((header.index(h) for h in ("name", "query", "company", "domain", "email") if h in header), None)
    body = rows[1:] if col is not None else rows
    col = col or 0
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(open(args.output, "w", newline="", encoding="utf-8")) if args.output else sys.stdout
        w = csv.writer(out)
        w.writerow(
            [
                "query",
                "status",
                "restricted_min",
                "restricted_max",
                "entity_id",
                "name",
                "score",
                "matched_on",
                "rationale",
            ]
        )
        for row in body:
            query = row[col].strip() if col < len(row) else ""
            if not query:
                continue
            outcome = lookup.check(ctx, query)
            if outcome.match is None:
                w.writerow(
                    [
                        _neutralise(x)
                        for x in (
                            query,
                            "not on file",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "Not in the data: establish ownership before selling.",
                        )
                    ]
                )
                continue
            rep = reporting.entity_report(ctx, outcome.match.entity_id)
            ex = rep.explanation
            w.writerow(
                [
                    _neutralise(x)
                    for x in (
                        query,
                        ex.status,
                        ex.restricted_min,
                        ex.restricted_max,
                        rep.entity_id,
                        rep.name,
                        outcome.match.score,
                        outcome.match.matched_on,
                        ex.rationale,
                    )
                ]
            )
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
    from desktop_app.services import info

    records = info.audit_records(ctx, args.limit)
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=2, default=str))
    else:
        for r in records:
            print(
                f"{r['at']}  {r['user']:10} {r['action']:6} {(r['status'] or 'not on file').upper():11} "
                f"{r['query']!r} → {r['entity_id'] or '-'}  ({r['policy_id']} {r['policy_sha256'][:8]})"
            )
    return EXIT_OK


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
