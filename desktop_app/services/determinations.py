"""Stored determinations: every entity's status under the active policy, kept current."""

from __future__ import annotations

import time
from datetime import date

from sqlalchemy import Connection

from desktop_app.domain.determination import OwnershipGraph, compute_bounds, default_determination, status_of
from desktop_app.domain.policy import Policy
from desktop_app.services.context import AppContext, Progress
from desktop_app.store import determination_store as ds
from desktop_app.store.database import PermissionRefused


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


def _current(conn: Connection, policy: Policy, as_of: date) -> tuple[bool, bool]:
    """(stored statuses hold for this policy, data and date; they hold for this policy and data)."""
    run = ds.determination_run(conn, policy.sha256)
    if run is None:
        return False, False
    stored_as_of, stored_fp = run
    if stored_fp != ds.data_fingerprint(conn):
        return False, False
    return stored_as_of == as_of or not _dated_change(conn, stored_fp, stored_as_of, as_of), True


# Whether a relationship starts or ends between two dates, per data fingerprint: the answer scans the
# relationships, and each explanation asks it again of the same data and dates.
_dated_changes: dict[tuple[str, date, date], bool] = {}


def _dated_change(conn: Connection, fingerprint: str, a: date, b: date) -> bool:
    key = (fingerprint, min(a, b), max(a, b))
    found = _dated_changes.get(key)
    if found is None:
        found = ds.dated_change_between(conn, key[1], key[2])
        if len(_dated_changes) >= 64:
            _dated_changes.clear()
        _dated_changes[key] = found
    return found


def statuses_hold(conn: Connection, policy: Policy, as_of: date) -> bool:
    """Whether the stored statuses are every entity's determination under `policy` on `as_of`."""
    return _current(conn, policy, as_of)[0]


def recompute(ctx: AppContext, as_of: date | None = None, progress: Progress | None = None) -> dict[str, float]:
    """Recompute every stored status under the context's policy now (`clearance db recompute`)."""
    action = f"compute statuses under policy {ctx.policy.id!r} (sha256 {ctx.policy.sha256[:12]}…)"
    ctx.store.require_write(action, ("determinations", "determination_runs"))
    with ctx.store.write(action, exclusive=True) as conn:
        return compute_and_store(conn, ctx.policy, as_of or date.today(), progress)


def ensure_current(ctx: AppContext, as_of: date | None = None, progress: Progress | None = None) -> bool:
    """Recompute stored statuses if the data, the policy or the date changed them; True if recomputed.

    On a shared server only importers may store statuses: a lookup user whose statuses are merely a day
    old (a dated relationship took effect since) goes on with them, since every report recomputes its
    own entity for the date; one whose policy has no statuses on the server is refused (PermissionRefused).
    """
    as_of = as_of or date.today()
    with ctx.store.read() as conn:
        current, same_data = _current(conn, ctx.policy, as_of)
    if current:
        return False
    action = (f"store statuses under policy {ctx.policy.id!r} (sha256 {ctx.policy.sha256[:12]}…); "
              f"an importer runs `clearance --policy FILE db recompute` to put them on the server")
    try:
        ctx.store.require_write(action, ("determinations", "determination_runs"))
        with ctx.store.write(action, exclusive=True) as conn:
            if _current(conn, ctx.policy, as_of)[0]:  # another client computed them while this one waited
                return False
            compute_and_store(conn, ctx.policy, as_of, progress)
    except PermissionRefused:
        if same_data:
            return False
        raise
    return True
