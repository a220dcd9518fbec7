"""Benchmark: importing a GLEIF-scale canonical dataset (default 3,000,000 entities, 1,000,000 relationships).

Writes the CSV files once under bench-data/, then runs `clearance import` into a fresh database and prints
the elapsed time and the peak memory of the import process. Asserts nothing.

    python tests/benchmarks/bench_import.py [--entities N] [--relationships M]
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

WORDS = [
    "north", "star", "river", "global", "pacific", "atlas", "nova", "orion", "delta", "summit", "harbor",
    "vertex", "lumen", "crest", "apex", "meridian", "aurora", "cobalt", "granite", "sierra", "falcon",
    "emerald", "zenith", "quantum", "solar", "polar",
]
FORMS = ["Ltd", "LLC", "GmbH", "S.A.", "Inc.", "B.V.", "AG", "Pte. Ltd.", "Co., Ltd.", "plc"]


def write(folder: Path, n: int, m: int) -> None:
    rnd = random.Random(3)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dataset.toml").write_text(
        'id = "gleif-scale"\ntitle = "Synthetic GLEIF-scale"\nversion = "1"\nas_of = 2026-01-01\n', encoding="utf-8"
    )
    with (folder / "sources.csv").open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(
            [
                ["id", "title", "url", "publisher", "as_of", "license"],
                ["s", "synthetic", "https://example.org", "bench", "2026-01-01", "CC0"],
            ]
        )
    countries = ["US", "GB", "DE", "FR", "JP", "SG", "NL", "CN", "RU", "HK", "KY", "IN"]
    with (folder / "entities.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "kind", "name", "hq_country", "incorporation_country", "ownership", "source_id"])
        for i in range(n):
            name = f"{rnd.choice(WORDS).title()} {rnd.choice(WORDS).title()} {i} {rnd.choice(FORMS)}"
            c = rnd.choice(countries)
            w.writerow([f"e{i}", "company", name, c, c, "complete", "s"])
    with (folder / "relationships.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["owner_id", "owned_id", "kind", "share_min", "share_max", "source_id"])
        for _ in range(m):
            a, b = rnd.randrange(n), rnd.randrange(n)
            if a != b:
                s = round(rnd.uniform(1, 60), 2)
                w.writerow([f"e{a}", f"e{b}", "ownership", s, s, "s"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entities", type=int, default=3_000_000)
    ap.add_argument("--relationships", type=int, default=1_000_000)
    args = ap.parse_args()
    folder = Path(f"bench-data/import-{args.entities}-{args.relationships}")
    if not (folder / "relationships.csv").exists():
        t = time.perf_counter()
        write(folder, args.entities, args.relationships)
        print(f"wrote the dataset in {time.perf_counter() - t:.1f} s")
    db = Path("bench-data/import.db")
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    t = time.perf_counter()
    p = subprocess.run(
        [sys.executable, "-m", "desktop_app", "--db", str(db), "import", str(folder)], capture_output=True, text=True
    )
    elapsed = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(p.stdout.strip() or p.stderr.strip()[-500:])
    print(
        f"import of {args.entities:,} entities / {args.relationships:,} relationships: {elapsed:.1f} s, "
        f"peak memory {peak:,.0f} MiB (targets ≤ 300 s, ≤ 1,536 MiB); database {db.stat().st_size / 2**20:,.0f} MiB"
    )


if __name__ == "__main__":
    main()
