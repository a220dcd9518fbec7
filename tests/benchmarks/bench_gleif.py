"""Benchmark: the GLEIF golden copy at full scale — import, search index and statuses, then search and explain.

Generates GLEIF-shaped golden-copy CSV zips at run time under bench-data/ (never committed; see
gleif_synth.py: 3.2M entities with names in many scripts, 0.5M relationship records, 4M reporting
exceptions), imports them into a fresh database in a child process, and prints each phase of the import
with its wall time and the peak resident memory of the importing process tree (sampled every 50 ms);
then the search latency per keystroke and one explanation on the result. Asserts nothing.

Until a GLEIF importer is available (`desktop_app.importers.gleif`), the canonical dataset that the
DESIGN mapping gives for the same records is imported instead, through the same loader.

    python tests/benchmarks/bench_gleif.py [--entities N] [--relationships M] [--exceptions K] [--canonical]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import queue
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gleif_synth


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo.extend(int(c) for c in fh.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return out


def _sample(pid: int, cpu: dict[int, float]) -> int:
    """Resident memory (bytes) of a process and its children; updates each one's CPU seconds in `cpu`."""
    total = 0
    tick = os.sysconf("SC_CLK_TCK")
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
            with open(f"/proc/{p}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            cpu[p] = (int(fields[11]) + int(fields[12])) / tick
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
    return total


def _child(db: str, paths: list[str]) -> None:
    """Runs in the child process: import with a progress callback that reports each phase change."""
    from desktop_app.services.context import open_context
    from desktop_app.services.importing import import_dataset

    ctx = open_context(db, seed_reference=False)
    last = [""]

    def progress(phase: str, done: int, total: int) -> None:
        label = phase.split(" (")[0]
        if label != last[0]:
            last[0] = label
            print(json.dumps({"phase": label, "t": time.perf_counter()}), flush=True)

    target = Path(paths[0]) if len(paths) == 1 else [Path(p) for p in paths]
    s = import_dataset(ctx, target, progress)  # type: ignore[arg-type]
    print(json.dumps({"phase": "done", "t": time.perf_counter(), "entities": s.entities,
                      "relationships": s.relationships}), flush=True)
    ctx.close()


def _import(db: Path, paths: list[Path]) -> tuple[float, int, float, list[tuple[str, float, int, float]]]:
    """Runs the import in a child process; returns wall seconds, peak RSS, CPU seconds and the phases
    as (name, start, peak RSS during it, CPU seconds at its start)."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    cmd = [sys.executable, __file__, "--child", str(db), *map(str, paths)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, bufsize=1)
    events: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [events.put(line) for line in proc.stdout], daemon=True)  # type: ignore[union-attr]
    reader.start()
    phases: list[tuple[str, float, int, float]] = []
    cpu: dict[int, float] = {}
    peak = 0
    while True:
        rss = _sample(proc.pid, cpu)
        peak = max(peak, rss)
        if phases:
            name, start, p, c = phases[-1]
            phases[-1] = (name, start, max(p, rss), c)
        while not events.empty():
            line = events.get().rstrip("\n")
            if line.startswith("{"):
                phases.append((json.loads(line)["phase"], time.perf_counter() - t0, rss, sum(cpu.values())))
            elif line:
                print(line)
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    reader.join(5)
    while not events.empty():
        line = events.get().rstrip("\n")
        if line.startswith("{"):
            phases.append((json.loads(line)["phase"], time.perf_counter() - t0, 0, sum(cpu.values())))
    if proc.returncode != 0:
        raise SystemExit(f"import failed with exit code {proc.returncode}")
    return time.perf_counter() - t0, peak, sum(cpu.values()), phases


def _search_and_explain(db: Path, queries: list[str]) -> None:
    from desktop_app.services import lookup, reporting
    from desktop_app.services.context import open_context

    ctx = open_context(str(db), seed_reference=False)
    times: list[float] = []
    first: str | None = None
    for q in queries:
        hits: tuple[lookup.SearchHit, ...] = ()
        for k in range(1, len(q) + 1):
            t = time.perf_counter()
            hits = lookup.search(ctx, q[:k]).hits
            times.append((time.perf_counter() - t) * 1000)
        owned = [h for h in hits if h.restricted_max > 0]
        if first is None and owned:
            first = owned[0].entity_id
    times.sort()
    print(f"search: {len(times)} keystrokes over {len(queries)} queries, p50 {statistics.median(times):.1f} ms, "
          f"p95 {times[int(len(times) * 0.95)]:.1f} ms, max {times[-1]:.1f} ms (target p95 ≤ 30 ms)")
    if first is not None:
        reporting.entity_report(ctx, first)
        ts = []
        for _ in range(20):
            t = time.perf_counter()
            rep = reporting.entity_report(ctx, first)
            ts.append((time.perf_counter() - t) * 1000)
        print(f"explanation of {rep.name if hasattr(rep, 'name') else first} (chain of {len(rep.explanation.chain)}): "
              f"median {statistics.median(ts):.1f} ms, max {max(ts):.1f} ms (target ≤ 10 ms)")
    ctx.close()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3:])
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("--entities", type=int, default=3_200_000)
    ap.add_argument("--relationships", type=int, default=500_000)
    ap.add_argument("--exceptions", type=int, default=4_000_000)
    ap.add_argument("--canonical", action="store_true", help="import the canonical twin, not the golden copy")
    ap.add_argument("--no-search", action="store_true")
    args = ap.parse_args()
    folder = Path(f"bench-data/gleif-{args.entities}-{args.relationships}-{args.exceptions}")
    if not (folder / "canonical-gleif.zip").exists():
        t = time.perf_counter()
        counts = gleif_synth.write(folder, gleif_synth.plan(args.entities, args.relationships, args.exceptions),
                                   args.exceptions)
        print(f"generated {counts} in {time.perf_counter() - t:.0f} s")
    golden = sorted(folder.glob("*-golden-copy.csv.zip"))
    has_gleif = importlib.util.find_spec("desktop_app.importers.gleif") is not None
    paths = golden if has_gleif and not args.canonical else [folder / "canonical-gleif.zip"]
    print(f"importing {', '.join(p.name for p in paths)} ({'GLEIF importer' if paths == golden else 'canonical'})")
    db = Path("bench-data/gleif.db")
    wall, peak, cpu, phases = _import(db, paths)
    print(f"{'phase':<44} {'wall s':>8} {'CPU s':>8} {'peak RSS MiB':>13}")
    for (name, start, rss, c), nxt in zip(phases, [*phases[1:], ("", wall, 0, cpu)], strict=True):
        if name != "done":
            print(f"{name:<44} {nxt[1] - start:>8.1f} {nxt[3] - c:>8.1f} {rss / 2**20:>13,.0f}")
    print(f"total: {wall:.1f} s wall, {cpu:.1f} s CPU (all processes), peak RSS {peak / 2**20:,.0f} MiB "
          f"(process tree; targets ≤ 300 s, ≤ 1,536 MiB); database {db.stat().st_size / 2**20:,.0f} MiB")
    if not args.no_search:
        _search_and_explain(db, ["deutsche bank", "北京字节跳动", "gazprom", "Amanab Abashoran", "tencent holdings",
                                 "atlas pacific", "ПАО Уралтех", "株式会社三川", "shell", "vastgoed"])


if __name__ == "__main__":
    main()
