"""Matching quality on data no constant was fitted on, and per-keystroke latency at GLEIF scale.

Run:  .venv/bin/python tests/benchmarks/bench_matching.py [--entities 3000000] [--queries 300] [--skip-latency]

Prints, for the held-out part of the evaluation queries (`--part tuning`: the part the constants are
fitted on, to work on) and for the leave-one-out set (aliases, former and local-script names of the
reference data, each taken out of the index in turn): matched
right, matched wrong, refused; for the negatives (names not on file): how many were matched. Every
answer is what `check` decides, which is the decision the window and `batch` use too. Latency is
measured per keystroke on the synthetic database of bench_search.py (built there if missing), for
the call the window makes on each pause in typing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "benchmarks"))

from desktop_app.services import lookup  # noqa: E402
from desktop_app.services.context import AppContext, open_context  # noqa: E402
from desktop_app.services.importing import import_dataset  # noqa: E402
from tests.search import evalsets  # noqa: E402

DATASETS = {"fixture": REPO / "tests" / "search" / "fixtures" / "companies", "reference": REPO / "data" / "reference"}


def decider(ctx: AppContext) -> evalsets.Decide:
    def decide(query: str) -> str | None:
        match = lookup.check(ctx, query).match
        return match.entity_id if match else None

    return decide


def quality(folder: Path, show: bool, part: str = "heldout") -> None:
    contexts = {name: open_context(db=folder / f"{name}.db", seed_reference=False) for name in DATASETS}
    for name, ctx in contexts.items():
        import_dataset(ctx, DATASETS[name])
    held = evalsets.Tally()
    for name, ctx in contexts.items():
        t = evalsets.tally(evalsets.load_cases(name, (part,)), decider(ctx))
        print(f"{part:8} ({name:9}):  {t.line()}")
        held.right += t.right
        held.wrong += t.wrong
        held.refused += t.refused
        held.wrong_cases += t.wrong_cases
        held.refused_cases += t.refused_cases
    print(f"{part:8} (all)      :  {held.line()}")
    if show:
        print("   wrong:", held.wrong_cases)
        print("   refused:", held.refused_cases)

    ref = contexts["reference"]
    with ref.store.engine.connect() as conn:
        sample = evalsets.loo_sample(conn)
    loo = evalsets.Tally()
    decide = decider(ref)
    for held_name in sample:
        with ref.store.write() as conn:
            restore = evalsets.without_name(conn, held_name.name_id)
        try:
            loo.add(evalsets.Case("reference", held_name.query, held_name.expected, None, held_name.kind),
                    decide(held_name.query))
        finally:
            with ref.store.write() as conn:
                restore(conn)
    print(f"leave-one-out       :  {loo.line()}")
    if show:
        print("   wrong:", loo.wrong_cases)

    negatives = evalsets.tally(evalsets.load_negatives(), decide)
    print(f"negatives           :  wrongly matched {negatives.wrong / max(1, negatives.total):.1%} "
          f"({negatives.wrong} of {negatives.total})")
    if show:
        print("   wrong:", negatives.wrong_cases)
    for ctx in contexts.values():
        ctx.close()


def latency(entities: int, n_queries: int, data: Path) -> None:
    import sqlite3

    import bench_search

    from desktop_app.store import search_index
    from desktop_app.store.database import open_store
    from desktop_app.ui.backend import search as window_search

    data.mkdir(exist_ok=True)
    path = data / f"search-{entities}.db"
    if not path.exists():
        print(f"building synthetic base data: {entities:,} entities → {path}")
        bench_search.build_base(path, entities)
    store = open_store(path)
    with store.engine.connect() as conn:
        built = conn.exec_driver_sql("SELECT count(*) FROM search_names").scalar()
    if not built:
        with store.write() as conn:
            search_index.rebuild(conn)
    store.engine.dispose()
    with sqlite3.connect(path) as db:
        queries = bench_search.make_queries(db, n_queries)
    ctx = open_context(db=path, seed_reference=False)
    for q, _, _ in queries[:20]:
        window_search(ctx, q)
    def ranked(typed: str) -> object:
        return lookup.search(ctx, typed, limit=50)

    def window(typed: str) -> object:
        return window_search(ctx, typed)

    calls = {"the window's search call (decision, then completions)": window,
             "ranked search alone (prefix, 50 results)": ranked}
    for label, call in calls.items():
        times: list[float] = []
        for q, _, _ in queries:
            for typed in bench_search.keystrokes(q):
                t = time.perf_counter()
                call(typed)
                times.append((time.perf_counter() - t) * 1000)
        print(f"per keystroke, {entities:,} entities, {len(times):,} keystrokes, {label}: "
              f"p50 {bench_search.percentile(times, 50):.1f} ms, p95 {bench_search.percentile(times, 95):.1f} ms, "
              f"p99 {bench_search.percentile(times, 99):.1f} ms")
    ctx.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--entities", type=int, default=3_000_000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--data", type=Path, default=Path("bench-data"))
    ap.add_argument("--skip-latency", action="store_true")
    ap.add_argument("--skip-quality", action="store_true")
    ap.add_argument("--show", action="store_true", help="list the queries matched wrongly or refused")
    ap.add_argument("--part", choices=("heldout", "tuning"), default="heldout",
                    help="which part of the evaluation queries: work on the tuning part, measure on the held-out")
    args = ap.parse_args()
    if not args.skip_quality:
        with tempfile.TemporaryDirectory() as tmp:
            quality(Path(tmp), args.show, args.part)
    if not args.skip_latency:
        latency(args.entities, args.queries, args.data)


if __name__ == "__main__":
    main()
