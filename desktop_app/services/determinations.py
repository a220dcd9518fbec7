"""Stored determinations: every entity's status under the active policy, kept current."""

from __future__ import annotations

import time
from datetime import date

from sqlalchemy import Connection

from desktop_app.domain.determination import OwnershipGraph, compute_bounds, default_determination, status_of
from desktop_app.domain.policy import Policy
from desktop_app.services.context import AppContext, Progress
from desktop_app.store import determination_store as ds


def compute_and_store(
    conn: Connection, policy: Policy, as_of: date, progress: Progress | None = None
) -> dict[str, float]:
    """Compute every merged entity's status and store it (inside the caller's transaction); returns timings."""
    t0 = time.perf_counter()
    if progress:
        progress("Reading the ownership graph", 0, 0)
    countries = sorted(policy.restricted_jurisdictions | policy.uncertain_jurisdictions)
    basics = ds.entity_basics(conn, countries)
    graph = OwnershipGraph.from_basics(basics, ds.all_relationships(conn), policy, as_of)
    t1 = time.perf_counter()
    if progress:
        progress("Computing statuses", 0, 0)
    values = compute_bounds(graph, policy)
    t2 = time.perf_counter()
    rows = ((entity_id, status_of(b, policy), b.low, b.high) for entity_id, b in values.items())
    total = ds.write_determinations(
        conn,
        policy.sha256,
        policy.id,
        as_of,
        rows,
        default_determination(policy),
        (lambda n: progress("Storing statuses", n, 0)) if progress else None,
    )
    t3 = time.perf_counter()
    return {"read": t1 - t0, "compute": t2 - t1, "store": t3 - t2, "entities": float(total)}


def ensure_current(ctx: AppContext, as_of: date | None = None, progress: Progress | None = None) -> bool:
    """Recompute stored statuses if the data, the policy or the date changed them; True if recomputed."""
    as_of = as_of or date.today()
    with ctx.store.engine.connect() as conn:
        run = ds.determination_run(conn, ctx.policy.sha256)
        fingerprint = ds.data_fingerprint(conn)
        if run is not None:
            stored_as_of, stored_fp = run
            if stored_fp == fingerprint and (
                stored_as_of == as_of
                or (stored_as_of < as_of and not ds.dated_change_between(conn, stored_as_of, as_of))
                or (stored_as_of > as_of and not ds.dated_change_between(conn, as_of, stored_as_of))
            ):
                return False
    with ctx.store.write() as conn:
        compute_and_store(conn, ctx.policy, as_of, progress)
    return True
