"""Database information, status counts by country, audit listing."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import func, select, text

from desktop_app.domain.countries import country_name
from desktop_app.domain.determination import default_determination
from desktop_app.services.context import AppContext, describe_location
from desktop_app.services.determinations import ensure_current
from desktop_app.store import queries
from desktop_app.store.schema import AuditRecord, DeterminationRow, EntityRow, RelationshipRow


def stale_warning(ctx: AppContext, datasets: list[queries.DatasetInfo], today: date | None = None) -> str | None:
    limit = ctx.policy.stale_after_days
    if not limit:
        return None
    today = today or date.today()
    old = [d for d in datasets if (today - d.as_of).days > limit]
    if not old:
        return None
    names = ", ".join(f"{d.title} (as of {d.as_of})" for d in old)
    return f"data older than {limit} days: {names}. Check with compliance before relying on it."


def database_info(ctx: AppContext) -> dict[str, Any]:
    ensure_current(ctx)
    with ctx.store.read() as conn:
        dsets = queries.datasets(conn)
        counts = dict(
            conn.execute(
                select(DeterminationRow.status, func.count())
                .where(DeterminationRow.policy_sha256 == ctx.policy.sha256)
                .group_by(DeterminationRow.status)
            ).all()
        )
        entities = conn.execute(select(func.count(func.distinct(EntityRow.cluster_id)))).scalar_one()
        default_status = default_determination(ctx.policy)[0]
        counts[default_status] = counts.get(default_status, 0) + entities - sum(counts.values())
        rels = conn.execute(select(func.count()).select_from(RelationshipRow)).scalar_one()
    return {
        "location": describe_location(ctx.location),
        "schema": ctx.store.schema_version(),
        "policy": {
            "id": ctx.policy.id,
            "version": ctx.policy.version,
            "sha256": ctx.policy.sha256,
            "path": str(ctx.policy_path),
        },
        "entities": entities,
        "relationships": rels,
        "statuses": {s: counts.get(s, 0) for s in ("restricted", "review", "eligible")},
        "datasets": [
            {
                "id": d.id,
                "title": d.title,
                "version": d.version,
                "as_of": d.as_of.isoformat(),
                "publisher": d.publisher,
                "license": d.license,
                "entities": d.entity_count,
                "relationships": d.relationship_count,
            }
            for d in dsets
        ],
        "stale_warning": stale_warning(ctx, dsets),
    }


def status_by_country(ctx: AppContext) -> list[dict[str, Any]]:
    """Merged entities counted by status and headquarters country (incorporation where HQ is unknown)."""
    ensure_current(ctx)
    with ctx.store.read() as conn:
        rows = conn.execute(
            text(
                "SELECT COALESCE(e.hq_country, e.incorporation_country, e.residence_country, '') AS c, "
                "COALESCE(d.status, :default) AS s, COUNT(*) FROM entities e LEFT JOIN determinations d "
                "ON d.entity_id = e.id AND d.policy_sha256 = :sha WHERE e.id = e.cluster_id GROUP BY c, s"
            ),
            {"sha": ctx.policy.sha256, "default": default_determination(ctx.policy)[0]},
        ).all()
    table: dict[str, dict[str, Any]] = {}
    for code, status, n in rows:
        label = f"{country_name(code)} ({code})" if code else "unknown"
        row = table.setdefault(label, {"country": label, "restricted": 0, "review": 0, "eligible": 0, "total": 0})
        row[status] += n
        row["total"] += n
    return sorted(table.values(), key=lambda r: (-r["total"], r["country"]))


def audit_records(ctx: AppContext, limit: int = 20) -> list[dict[str, Any]]:
    with ctx.store.read() as conn:
        rows = conn.execute(select(AuditRecord.__table__).order_by(AuditRecord.id.desc()).limit(max(1, limit))).all()
    out = []
    for r in rows:
        out.append(
            {
                "at": r.at.isoformat(timespec="seconds"),
                "user": r.user,
                "action": r.action,
                "query": r.query,
                "entity_id": r.entity_id,
                "status": r.status,
                "policy_id": r.policy_id,
                "policy_sha256": r.policy_sha256,
                "detail": json.loads(r.detail_json or "{}"),
            }
        )
    return out
