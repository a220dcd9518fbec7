"""Split the evaluation queries once, by a fixed seed, into a tuning part and a held-out part.

Run once:  python tests/search/split_eval.py   (reads eval_queries.csv, writes the two parts, removes it)

Constants of the matcher (threshold, margin, costs) may be fitted on eval_tuning.csv only;
eval_heldout.csv is for measuring. Rows are shuffled within each dataset and category, so both
parts hold every kind of query; HELD_OUT of each group (rounded up) is held out.
"""

from __future__ import annotations

import csv
import math
import random
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261129
HELD_OUT = 0.45
FIELDS = ["dataset", "query", "expected", "must_not_match", "category"]


def split(rows: list[dict[str, str]], seed: int = SEED) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    rng = random.Random(seed)
    groups: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        groups[(row["dataset"], row["category"])].append(row)
    tuning: list[dict[str, str]] = []
    held: list[dict[str, str]] = []
    for key in sorted(groups):
        group = groups[key]
        rng.shuffle(group)
        n = math.ceil(HELD_OUT * len(group))
        held.extend(group[:n])
        tuning.extend(group[n:])
    return tuning, held


def main() -> None:
    source = HERE / "eval_queries.csv"
    with source.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    order = {id(r): i for i, r in enumerate(rows)}
    for name, part in zip(("eval_tuning.csv", "eval_heldout.csv"), split(rows), strict=True):
        with (HERE / name).open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, FIELDS, lineterminator="\n")
            w.writeheader()
            w.writerows(sorted(part, key=lambda r: order[id(r)]))
    source.unlink()


if __name__ == "__main__":
    main()
