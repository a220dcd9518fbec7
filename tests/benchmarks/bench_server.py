"""Team server: a GLEIF-scale import into PostgreSQL, then search latency and throughput with concurrent clients.

    CLEARANCE_BENCH_PG_URL=postgresql://user@127.0.0.1:5432/bench \\
        .venv/bin/python tests/benchmarks/bench_server.py [--entities 3000000] [--clients 1,4,16]

(CLEARANCE_TEST_PG_URL is used when CLEARANCE_BENCH_PG_URL is not set.) The database's public schema is
dropped and made anew. The dataset is written once under ./bench-data/ as a canonical dataset (CSV),
with the names of tests/benchmarks/bench_search.py (brands with Zipf-like frequencies, industries,
places, surnames, about 15% with a name in Chinese, Russian, Korean or Persian script) and 1M ownership
relationships, and imported with `clearance import`, as a compliance team would.

Each client is a process of its own that types queries keystroke by keystroke, as the window searches
(prefix search, 50 results), either as fast as it can (closed loop) or at a typist's pace (--pace-ms
between keystrokes). A search's latency is measured in the client, from the call to the ranked
statuses; lookups per second are all clients' searches over the wall time. The client's own CPU time
per search and the machine's load average are printed beside them: on a machine shared with other
work the latency says more about the machine than about the server.

Then (`--replay N`) the statements each keystroke of N queries sends are recorded from the app, with the
app's own CPU time for the keystroke, and replayed from light processes that only talk to the server:
users whose app runs on their own computers. The server's part of each keystroke is measured, and the
app's CPU time for the same keystroke added to it. Asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import NameMaker, keystrokes, lei_for, percentile, typo  # noqa: E402

from desktop_app.domain.names import analyze  # noqa: E402


def queries_file(folder: Path) -> Path:
    """Queries made from the generated entities (beside the dataset, which holds only its own files)."""
    return folder.with_name(folder.name + "-queries.csv")


def write_dataset(folder: Path, n: int, relationships: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    maker = NameMaker(rng)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dataset.toml").write_text(
        'id = "bench"\ntitle = "Synthetic GLEIF-scale data"\nversion = "1"\nas_of = 2026-01-01\n'
        'publisher = "bench"\nlicense = "CC0-1.0"\ndescription = "synthetic"\n', encoding="utf-8")
    with (folder / "sources.csv").open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["id", "title", "url", "publisher", "as_of", "license"],
                                  ["s1", "Synthetic", "", "bench", "2026-01-01", "CC0-1.0"]])
    ent = (folder / "entities.csv").open("w", newline="", encoding="utf-8")
    nam = (folder / "names.csv").open("w", newline="", encoding="utf-8")
    ide = (folder / "identifiers.csv").open("w", newline="", encoding="utf-8")
    qf = queries_file(folder).open("w", newline="", encoding="utf-8")
    e, na, i, q = csv.writer(ent), csv.writer(nam), csv.writer(ide), csv.writer(qf)
    e.writerow(["id", "kind", "name", "hq_country", "incorporation_country", "ownership", "lei", "website",
                "source_id"])
    na.writerow(["entity_id", "name", "type", "lang", "source_id"])
    i.writerow(["entity_id", "scheme", "value", "source_id"])
    q.writerow(["query", "entity_id"])
    for k in range(n):
        eid = f"E{k:08d}"
        cc, name, aliases = maker.entity()
        lei = lei_for(k) if rng.random() < 0.6 else ""
        website = ""
        if rng.random() < 0.15:
            website = f"{analyze(name).distinctive_joined or 'co' + str(k)}{k % 97}.com"
        ownership = rng.choice(("complete", "complete", "partial", ""))
        e.writerow([eid, "company", name, cc, cc, ownership, lei, website, "s1"])
        na.writerows([eid, a, t, lang, "s1"] for a, t, lang in aliases)
        if rng.random() < 0.05:
            i.writerow([eid, "registration", f"{cc}:{rng.randrange(10**7, 10**9)}", "s1"])
        if rng.random() < 2000 / n:
            core = analyze(name).tokens
            shape = rng.random()
            if shape < 0.3 and aliases:
                q.writerow([aliases[0][0], eid])
            elif shape < 0.6 and core:
                words = list(core)
                longest = max(range(len(words)), key=lambda j: len(words[j]))
                words[longest] = typo(words[longest], rng)
                q.writerow([" ".join(words), eid])
            else:
                q.writerow([name, eid])
    for f in (ent, nam, ide, qf):
        f.close()
    with (folder / "relationships.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["owner_id", "owned_id", "kind", "share_min", "share_max", "source_id"])
        for _ in range(relationships):
            a, b = rng.randrange(n), rng.randrange(n)
            if a != b:
                share = rng.choice((100.0, 100.0, 51.0, 50.0, 30.0, 25.5, 10.0, ""))
                w.writerow([f"E{a:08d}", f"E{b:08d}", "ownership", share, share, "s1"])


def fresh_schema(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def client(url: str, queries: list[str], seconds: float, pace_ms: float, start: Any, out: Any, done: Any) -> None:
    from desktop_app.services import lookup
    from desktop_app.services.context import open_context

    ctx = open_context(url, seed_reference=False)
    for q in queries[:10]:  # warm: connection, caches, as a running window would be
        lookup.search(ctx, q, limit=50, prefix=True)
    start.wait()
    times: list[float] = []
    cpu: list[float] = []
    t_end = time.perf_counter() + seconds
    k = 0
    while time.perf_counter() < t_end:
        for typed in keystrokes(queries[k % len(queries)]):
            t, c = time.perf_counter(), time.process_time()
            lookup.search(ctx, typed, limit=50, prefix=True)
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            if pace_ms:
                time.sleep(max(0.0, pace_ms / 1000 - (time.perf_counter() - t)))
            if time.perf_counter() >= t_end:
                break
        k += 1
    out.put((times, cpu))
    done.wait()  # the server's connection stays until its CPU time is read
    ctx.close()


def server_cpu_seconds() -> float | None:
    """CPU seconds used so far by the PostgreSQL processes of this machine (None where /proc is missing).

    With the server on the same machine as the clients, the server's own work per lookup is what a
    deployment with clients on their own computers would ask of the server machine."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
        if name.startswith("postgres"):
            total += int(rest[11]) + int(rest[12])  # utime, stime
    return total / ticks


def run_processes(target: Any, args_of: Any, n: int) -> tuple[list[Any], float, float | None]:
    """Start n client processes (`target(*args_of(i), start, out, done)`), let them run together, and
    return what each put on the queue, the wall time, and the server's CPU seconds meanwhile."""
    mp = multiprocessing.get_context("spawn")
    out = mp.Queue()
    start = mp.Barrier(n + 1)
    done = mp.Barrier(n + 1)
    procs = [mp.Process(target=target, args=(*args_of(i), start, out, done)) for i in range(n)]
    for p in procs:
        p.start()
    start.wait()
    t0 = time.perf_counter()
    server0 = server_cpu_seconds()
    results = [out.get() for _ in procs]
    wall = time.perf_counter() - t0
    server1 = server_cpu_seconds()
    done.wait()
    for p in procs:
        p.join()
    return results, wall, (server1 - server0 if server0 is not None and server1 is not None else None)


def run_clients(url: str, queries: list[str], n: int, seconds: float, pace_ms: float) -> None:
    shares = [queries[i::n] for i in range(n)]
    results, wall, server_cpu = run_processes(client, lambda i: (url, shares[i], seconds, pace_ms), n)
    times = [t for r in results for t in r[0]]
    cpu = [c for r in results for c in r[1]]
    mode = f"paced {pace_ms:.0f} ms/keystroke" if pace_ms else "closed loop"
    server = ""
    if server_cpu is not None and times:
        per = server_cpu * 1000 / len(times)
        server = (f"; server CPU per search {per:.1f} ms (one server core answers {1000 / per:,.0f} lookups/s)"
                  if per > 0 else "")
    print(f"{n:2} clients ({mode}): {len(times):,} searches in {wall:.0f} s = {len(times) / wall:,.0f} lookups/s; "
          f"latency p50 {percentile(times, 50):.1f} ms, p95 {percentile(times, 95):.1f} ms, "
          f"p99 {percentile(times, 99):.1f} ms (target p95 ≤ 50 ms at 16 clients); client CPU per search "
          f"p50 {percentile(cpu, 50):.1f} ms, p95 {percentile(cpu, 95):.1f} ms; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs{server}", flush=True)


def record_keystrokes(url: str, queries: list[str], path: Path) -> None:
    """Type the queries in the app, keystroke by keystroke, and keep what each keystroke sent to the server
    (every statement with its parameters) and the app's own CPU time for it."""
    import pickle

    import psycopg

    from desktop_app.services import lookup
    from desktop_app.services.context import open_context

    ctx = open_context(url, seed_reference=False)
    for q in queries[:10]:
        lookup.search(ctx, q, limit=50, prefix=True)
    sent: list[tuple[Any, Any]] = []
    execute = psycopg.Cursor.execute

    def recording(self: Any, query: Any, params: Any = None, **kw: Any) -> Any:
        sent.append((query, params))
        return execute(self, query, params, **kw)

    psycopg.Cursor.execute = recording  # type: ignore[method-assign]
    keys: list[tuple[float, list[tuple[Any, Any]]]] = []
    try:
        for q in queries:
            for typed in keystrokes(q):
                sent = []
                c = time.process_time()
                lookup.search(ctx, typed, limit=50, prefix=True)
                keys.append(((time.process_time() - c) * 1000, sent))
    finally:
        psycopg.Cursor.execute = execute  # type: ignore[method-assign]
        ctx.close()
    with path.open("wb") as fh:
        pickle.dump(keys, fh)


def replay_client(url: str, path: Path, part: int, parts: int, seconds: float, pace_ms: float, start: Any,
                  out: Any, done: Any) -> None:
    """One user's keystrokes as the server sees them: the recorded statements sent back to back, each
    keystroke's read in a transaction of its own, at the typist's pace; the app's own work is done on
    the user's computer and is not repeated here."""
    import pickle

    import psycopg

    with path.open("rb") as fh:
        keys = pickle.load(fh)[part::parts]
    conn = psycopg.connect(url)
    for _, statements in keys[:50]:  # warm, as a running window would be
        for query, params in statements:
            cur = conn.execute(query, params)
            if cur.description:
                cur.fetchall()
        conn.rollback()
    start.wait()
    server: list[float] = []
    total: list[float] = []
    t_end = time.perf_counter() + seconds
    k = 0
    while time.perf_counter() < t_end:
        cpu, statements = keys[k % len(keys)]
        t = time.perf_counter()
        for query, params in statements:
            cur = conn.execute(query, params)
            if cur.description:
                cur.fetchall()
        conn.rollback()
        elapsed = (time.perf_counter() - t) * 1000
        server.append(elapsed)
        total.append(elapsed + cpu)
        if pace_ms:
            time.sleep(max(0.0, (pace_ms - elapsed - cpu) / 1000))
        k += 1
    out.put((server, total, sum(len(s) for _, s in keys) / max(1, len(keys))))
    done.wait()
    conn.close()


def run_replay(url: str, path: Path, n: int, seconds: float, pace_ms: float) -> None:
    results, wall, server_cpu = run_processes(replay_client, lambda i: (url, path, i, n, seconds, pace_ms), n)
    server = [t for r in results for t in r[0]]
    total = [t for r in results for t in r[1]]
    trips = results[0][2] if results else 0.0
    mode = f"paced {pace_ms:.0f} ms/keystroke" if pace_ms else "closed loop"
    cpu = ""
    if server_cpu is not None and server:
        cpu = f"; server CPU per keystroke {server_cpu * 1000 / len(server):.1f} ms"
    print(f"{n:2} users ({mode}), the app on their own computers: {len(server):,} keystrokes in {wall:.0f} s = "
          f"{len(server) / wall:,.0f} lookups/s, {trips:.0f} statements each; the server's part p50 "
          f"{percentile(server, 50):.1f} ms, p95 {percentile(server, 95):.1f} ms; with the app's own CPU time "
          f"added, keystroke by keystroke: p50 {percentile(total, 50):.1f} ms, p95 {percentile(total, 95):.1f} ms "
          f"(target p95 ≤ 50 ms at 16 clients); load average {os.getloadavg()[0]:.1f}{cpu}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--entities", type=int, default=3_000_000)
    ap.add_argument("--relationships", type=int, default=1_000_000)
    ap.add_argument("--clients", default="1,4,16")
    ap.add_argument("--seconds", type=float, default=30.0, help="how long each client count runs")
    ap.add_argument("--pace-ms", type=float, default=150.0, help="typist's pace for the paced runs (0: none)")
    ap.add_argument("--skip-import", action="store_true", help="search the data already on the server")
    ap.add_argument("--replay", type=int, default=300, metavar="QUERIES",
                    help="also replay this many queries' recorded statements from client processes that do only "
                         "the server's part, as users with the app on their own computers (0: skip)")
    ap.add_argument("--data", type=Path, default=Path("bench-data"))
    args = ap.parse_args()
    url = os.environ.get("CLEARANCE_BENCH_PG_URL") or os.environ.get("CLEARANCE_TEST_PG_URL")
    if not url:
        sys.exit("set CLEARANCE_BENCH_PG_URL (or CLEARANCE_TEST_PG_URL) to a PostgreSQL database URL")
    folder = args.data / f"server-{args.entities}-{args.relationships}"
    if not (folder / "relationships.csv").exists():
        t = time.perf_counter()
        write_dataset(folder, args.entities, args.relationships)
        print(f"wrote the dataset in {time.perf_counter() - t:.0f} s → {folder}", flush=True)
    if not args.skip_import:
        fresh_schema(url)
        t = time.perf_counter()
        p = subprocess.run([sys.executable, "-m", "desktop_app", "--db", url, "import", str(folder)],
                           capture_output=True, text=True)
        elapsed = time.perf_counter() - t
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print((p.stdout.strip() or p.stderr.strip()[-800:]), flush=True)
        print(f"import into PostgreSQL of {args.entities:,} entities / {args.relationships:,} relationships: "
              f"{elapsed:.0f} s, peak memory of the import process {peak:,.0f} MiB (target ≤ 600 s)", flush=True)
    with queries_file(folder).open(encoding="utf-8", newline="") as fh:
        queries = [r["query"] for r in csv.DictReader(fh)]
    random.Random(5).shuffle(queries)
    print(f"{len(queries)} queries, typed keystroke by keystroke", flush=True)
    counts = [int(c) for c in args.clients.split(",")]
    for n in counts:
        run_clients(url, queries, n, args.seconds, 0.0)
        if args.pace_ms:
            run_clients(url, queries, n, args.seconds, args.pace_ms)
    if args.replay:
        recorded = folder.with_name(folder.name + "-keystrokes.pickle")
        record_keystrokes(url, queries[: args.replay], recorded)
        print(f"recorded the statements of {args.replay} queries' keystrokes → {recorded}", flush=True)
        for n in counts:
            run_replay(url, recorded, n, args.seconds, 0.0)
            if args.pace_ms:
                run_replay(url, recorded, n, args.seconds, args.pace_ms)


if __name__ == "__main__":
    main()
