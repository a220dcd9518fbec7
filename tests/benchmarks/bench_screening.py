"""Screening a lead list: rows per second for 10,000 leads, against the reference data and at GLEIF scale.

Run:  .venv/bin/python tests/benchmarks/bench_screening.py [--leads 10000] [--entities 3000000] [--skip-large]

The large database is bench_search.py's synthetic one (cached under ./bench-data/, built on first use).
Leads are drawn from the database itself: half its names as written, a fifth with a typing error, a tenth
by web domain only, the rest made-up names that are not on file; a third carry a country. Each lead is
distinct, so nothing is answered from the screening's own cache of repeated leads. Wall-clock rows per
second depend on what else the machine runs; rows per CPU-second (the benchmark's processes and its
workers together) say what the code costs.
"""

from __future__ import annotations

import argparse
import random
import resource
import sqlite3
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import NameMaker, build_base, typo  # noqa: E402

from desktop_app.services import determinations, importing, screening  # noqa: E402
from desktop_app.services.context import open_context  # noqa: E402
from desktop_app.store import search_index  # noqa: E402
from desktop_app.store.database import open_store  # noqa: E402


def make_leads(db_path: Path, n: int, seed: int = 5) -> screening.LeadTable:
    rng = random.Random(seed)
    db = sqlite3.connect(db_path)
    total = db.execute("SELECT max(rowid) FROM entities").fetchone()[0] or 0
    rowids = ",".join(str(rng.randrange(1, total + 1)) for _ in range(n * 2))
    picks = db.execute("SELECT name, COALESCE(hq_country, incorporation_country, '') FROM entities "
                       f"WHERE rowid IN ({rowids})").fetchall()
    domains = [r[0] for r in db.execute("SELECT value FROM identifiers WHERE scheme = 'domain' LIMIT 50000")]
    domains += [r[0] for r in db.execute("SELECT website FROM entities WHERE website IS NOT NULL LIMIT 50000")]
    db.close()
    maker = NameMaker(random.Random(seed + 1))
    rows: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str, str]] = set()
    while len(rows) < n:
        r = rng.random()
        name, country = rng.choice(picks)
        if r < 0.5:
            row = (name, "", country if rng.random() < 0.33 else "")
        elif r < 0.7:
            words = name.split()
            i = rng.randrange(len(words))
            words[i] = typo(words[i], rng) if len(words[i]) > 3 else words[i]
            row = (" ".join(words), "", "")
        elif r < 0.8 and domains:
            row = ("", rng.choice(domains), "")
        else:
            row = (f"{maker.entity()[1]} {rng.randrange(10**4)}", "", "")
        if row not in seen:
            seen.add(row)
            rows.append(row)
    return screening.LeadTable("bench leads", ("Company", "Website", "Country"), tuple(rows),
                               tuple(range(2, n + 2)))


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def run(db_path: Path, n: int, label: str, workers: list[int]) -> None:
    table = make_leads(db_path, n)
    ctx = open_context(db=db_path, seed_reference=False)
    try:
        t = time.perf_counter()
        determinations.ensure_current(ctx)
        print(f"[{label}] statuses current in {time.perf_counter() - t:.1f} s")
        warm = screening.LeadTable("warm", table.header, table.rows[:50], table.lines[:50])
        screening.screen(ctx, warm, screening.guess_columns(warm))  # page cache and imports, as a running app
        cols = screening.guess_columns(table)
        for k in workers:
            t, cpu = time.perf_counter(), _cpu()
            result = screening.screen(ctx, table, cols, workers=k)
            elapsed, used = time.perf_counter() - t, _cpu() - cpu
            print(f"[{label}] {k} process{'es' if k > 1 else ''}: {len(result.rows):,} leads in {elapsed:.1f} s: "
                  f"{len(result.rows) / elapsed:,.0f} rows/s; {used:.1f} CPU-s, "
                  f"{len(result.rows) / used:,.0f} rows per CPU-second (all processes)")
        print(f"[{label}] " + ", ".join(f"{k} {v:,}" for k, v in result.counts.items()))
    finally:
        ctx.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--leads", type=int, default=10_000)
    ap.add_argument("--entities", type=int, default=3_000_000)
    ap.add_argument("--skip-large", action="store_true", help="only the reference data")
    ap.add_argument("--skip-reference", action="store_true", help="only the large database")
    ap.add_argument("--data", type=Path, default=Path("bench-data"))
    ap.add_argument("--workers", type=int, nargs="+", default=[1, screening.default_workers()],
                    help="screen with each of these numbers of processes in turn (default: 1, then one per core)")
    args = ap.parse_args()
    args.data.mkdir(exist_ok=True)

    ref = args.data / "screening-reference.db"
    if not args.skip_reference:
        if not ref.exists():
            ctx = open_context(db=ref, seed_reference=False)
            importing.import_dataset(ctx, REPO / "data" / "reference")
            ctx.close()
        run(ref, args.leads, "reference data", args.workers)

    if args.skip_large:
        return
    big = args.data / f"search-{args.entities}.db"
    if not big.exists():
        print(f"building synthetic base data: {args.entities:,} entities → {big}")
        build_base(big, args.entities)
    store = open_store(big)
    with store.engine.connect() as conn:
        built = conn.exec_driver_sql("SELECT count(*) FROM search_names").scalar()
    if not built:
        t = time.perf_counter()
        with store.write() as conn:
            search_index.rebuild(conn)
        print(f"index built in {time.perf_counter() - t:.0f} s")
    store.dispose()
    run(big, args.leads, f"{args.entities:,} entities", args.workers)


if __name__ == "__main__":
    main()
