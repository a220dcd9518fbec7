"""Benchmark: statuses for every entity of a GLEIF-scale graph, and one entity's explanation.

Builds a synthetic SQLite database (default 3,000,000 entities, 1,000,000 relationships, with chains
at least 10 deep, fan-in and cycles), then times computing and storing every status, and p50/p95 of
explaining one entity with its chain. Prints figures; asserts nothing.

    python tests/benchmarks/bench_engine.py [--entities N] [--relationships M] [--db PATH]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop_app.locations import default_policy_path
from desktop_app.services import determinations, reporting
from desktop_app.services.context import open_context


def build(db: Path, n: int, m: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    ctx = open_context(db, default_policy_path(), seed_reference=False)
    countries = ["US", "GB", "DE", "FR", "JP", "SG", "NL", "CH", "CN", "RU", "HK", "KY", "IN", "BR"]
    weights = [20, 10, 8, 6, 6, 5, 5, 4, 8, 3, 3, 3, 5, 4]
    with ctx.store.write() as conn:
        conn.execute(
            text(
                "INSERT INTO datasets (id, title, version, as_of, publisher, license, description, "
                "content_sha256, imported_at, entity_count, relationship_count) VALUES ('synthetic', "
                "'Synthetic', '1', '2026-01-01', '', '', '', :h, '2026-01-01 00:00:00', :n, :m)"
            ),
            {"h": "0" * 64, "n": n, "m": m},
        )
        insert_entities = text(
            "INSERT INTO entities (id, dataset_id, local_id, cluster_id, kind, name, hq_country, status, ownership) "
            "VALUES (:id, 'synthetic', :local, :id, 'company', :name, :hq, 'active', :own)"
        )
        batch = []
        for i in range(n):
            c = rnd.choices(countries, weights)[0]
            batch.append(
                {
                    "id": f"synthetic:e{i}",
                    "local": f"e{i}",
                    "name": f"Entity {i}",
                    "hq": c,
                    "own": "partial" if i % 11 == 0 else "complete",
                }
            )
            if len(batch) == 100_000 or i == n - 1:
                conn.execute(insert_entities, batch)
                batch = []
        rels = []
        # chains 12 deep: e(k) owns e(k+1) for blocks of 13
        chain_rels = min(m // 3, n // 13 * 12)
        block = 0
        while len(rels) < chain_rels:
            base = block * 13
            for j in range(12):
                rels.append((base + j, base + j + 1, rnd.choice([51.0, 60.0, 75.0, 100.0, 40.0])))
            block += 1
        # fan-in: many owners per entity in the next region
        start = block * 13
        while len(rels) < 2 * m // 3:
            owned = start + rnd.randrange(max(1, n - start))
            for _ in range(rnd.randint(2, 8)):
                rels.append((rnd.randrange(n), owned, round(rnd.uniform(1, 12), 2)))
        # cycles: pairs and triangles of cross-holdings
        while len(rels) < m:
            a, b, c = (rnd.randrange(n) for _ in range(3))
            rels += [(a, b, 30.0), (b, c, 30.0), (c, a, 30.0)]
        rows = [{"o": f"synthetic:e{a}", "d": f"synthetic:e{b}", "s": s} for a, b, s in rels[:m] if a != b]
        for i in range(0, len(rows), 100_000):
            conn.execute(
                text(
                    "INSERT INTO relationships (dataset_id, owner_id, owned_id, kind, share_min, share_max) "
                    "VALUES ('synthetic', :o, :d, 'ownership', :s, :s)"
                ),
                rows[i : i + 100_000],
            )
    ctx.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entities", type=int, default=3_000_000)
    ap.add_argument("--relationships", type=int, default=1_000_000)
    ap.add_argument("--db", type=Path, default=Path("bench-data/engine.db"))
    ap.add_argument("--samples", type=int, default=300)
    args = ap.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    tag = args.db.with_suffix(f".{args.entities}.{args.relationships}.ok")
    if not tag.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(str(args.db) + suffix).unlink(missing_ok=True)
        t = time.perf_counter()
        build(args.db, args.entities, args.relationships)
        tag.touch()
        print(
            f"built synthetic graph: {args.entities:,} entities, {args.relationships:,} relationships "
            f"in {time.perf_counter() - t:.1f} s"
        )
    ctx = open_context(args.db, default_policy_path(), seed_reference=False)
    t0 = time.perf_counter()
    with ctx.store.write() as conn:
        timings = determinations.compute_and_store(conn, ctx.policy, date.today())
    total = time.perf_counter() - t0
    print(
        f"statuses for all {int(timings['entities']):,} entities: {total:.1f} s "
        f"(read {timings['read']:.1f} s, compute {timings['compute']:.1f} s, store {timings['store']:.1f} s; "
        f"target ≤ 60 s)"
    )
    with ctx.store.engine.connect() as conn:
        deep = [r[0] for r in conn.execute(text("SELECT owned_id FROM relationships ORDER BY id LIMIT 20000"))]
    rnd = random.Random(1)
    picks = [f"synthetic:e{(rnd.randrange(max(1, len(deep) // 12)) * 13) + 12}" for _ in range(args.samples // 2)]
    picks += [rnd.choice(deep) for _ in range(args.samples - len(picks))]
    times = []
    depth = 0
    for entity_id in picks:
        t = time.perf_counter()
        rep = reporting.entity_report(ctx, entity_id)
        times.append((time.perf_counter() - t) * 1000)
        depth = max(depth, max((n.depth for n in rep.explanation.chain), default=0))
    times.sort()
    p = lambda q: times[min(len(times) - 1, int(q * len(times)))]  # noqa: E731
    print(
        f"explain one entity ({len(times)} samples, chains up to depth {depth}): p50 {p(0.5):.2f} ms, "
        f"p95 {p(0.95):.2f} ms, max {times[-1]:.2f} ms, mean {statistics.mean(times):.2f} ms (target p95 ≤ 10 ms)"
    )
    ctx.close()


if __name__ == "__main__":
    main()
