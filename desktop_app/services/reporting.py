"""One entity's full determination report, and its renderings: JSON (the CLI contract), text, summary."""

from __future__ import annotations

import getpass
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert

from desktop_app.domain.countries import country_name
from desktop_app.domain.determination import default_determination
from desktop_app.domain.explanation import Explanation, explain
from desktop_app.domain.policy import format_percent
from desktop_app.services import determinations
from desktop_app.services.context import AppContext
from desktop_app.services.lookup import CheckOutcome, SearchHit
from desktop_app.store import queries
from desktop_app.store.schema import AuditRecord


class UnknownEntity(LookupError):
    pass


@dataclass(frozen=True)
class EntityReport:
    entity_id: str
    name: str
    kind: str
    hq_country: str | None
    incorporation_country: str | None
    residence_country: str | None
    lei: str | None
    website: str | None
    names: tuple[queries.NameInfo, ...]
    identifiers: tuple[queries.IdentifierInfo, ...]
    explanation: Explanation
    sources: tuple[queries.SourceInfo, ...]
    datasets: tuple[queries.DatasetInfo, ...]
    truncated: bool

    @property
    def status(self) -> str:
        return self.explanation.status

    @property
    def share_text(self) -> str:
        lo, hi = self.explanation.restricted_min, self.explanation.restricted_max
        return format_percent(lo) if abs(hi - lo) < 1e-9 else f"{format_percent(lo)}–{format_percent(hi)}"

    def source(self, key: str | None) -> queries.SourceInfo | None:
        return next((s for s in self.sources if s.key == key), None)


def entity_report(ctx: AppContext, entity_id: str, as_of: date | None = None) -> EntityReport:
    """Explain one entity from its ownership subgraph (recomputed on demand, milliseconds)."""
    as_of = as_of or date.today()
    with ctx.store.read() as conn:
        cluster = queries.cluster_of(conn, entity_id)
        if cluster is None:
            raise UnknownEntity(f"no entity with id {entity_id!r}")
        entities, rels, truncated = queries.ancestor_subgraph(conn, cluster)
        facts = queries.entity_facts(conn, cluster)
        stored = None
        if not truncated and determinations.statuses_hold(conn, ctx.policy, as_of):
            # the owners' bounds as stored for the whole graph: the subgraph need not be solved again
            _, lo, hi = default_determination(ctx.policy)
            stored = queries.stored_bounds(conn, ctx.policy.sha256, list(entities), (lo, hi))
        ex = explain(cluster, entities, rels, ctx.policy, as_of, stored)
        srcs = queries.sources(
            conn,
            ex.source_ids
            + tuple(
                n.source_key
                for n in (facts.names if facts else ())
                if n.source_key and n.source_key not in ex.source_ids
            ),
        )
        dsets = queries.datasets(conn)
    e = entities[cluster]
    return EntityReport(
        entity_id=cluster,
        name=e.name,
        kind=e.kind,
        hq_country=e.hq_country,
        incorporation_country=e.incorporation_country,
        residence_country=e.residence_country,
        lei=facts.lei if facts else None,
        website=facts.website if facts else None,
        names=facts.names if facts else (),
        identifiers=facts.identifiers if facts else (),
        explanation=ex,
        sources=tuple(srcs),
        datasets=tuple(dsets),
        truncated=truncated or ex.truncated,
    )


def determination_json(report: EntityReport) -> dict[str, Any]:
    ex = report.explanation
    return {
        "status": ex.status,
        "restricted_share": {"min": ex.restricted_min, "max": ex.restricted_max},
        "rules": [{"id": r.id, "title": r.title, **({"clause": r.clause} if r.clause else {})} for r in ex.rules],
        "rationale": ex.rationale,
        "steps": list(ex.steps),
        "notes": list(ex.notes),
        "chain": [
            {
                "entity_id": n.entity_id,
                "name": n.name,
                "kind": n.kind,
                "hq_country": n.hq_country,
                "incorporation_country": n.incorporation_country,
                "status": n.status,
                "restricted_share": {"min": n.restricted_min, "max": n.restricted_max},
                "depth": n.depth,
                "owners": [
                    {
                        "entity_id": o.entity_id,
                        "kind": o.kind,
                        "share_min": o.share_min,
                        "share_max": o.share_max,
                        "source": o.source_id,
                        **({"note": o.note} if o.note else {}),
                    }
                    for o in n.owners
                ],
            }
            for n in ex.chain
        ],
        "paths": [
            {
                "effective_share": {"min": p.effective_min, "max": p.effective_max},
                "hops": [
                    {
                        "entity_id": h.entity_id,
                        "name": h.name,
                        "share_min": h.share_min,
                        "share_max": h.share_max,
                        "status": h.status,
                    }
                    for h in p.hops
                ],
            }
            for p in ex.paths
        ],
        "sources": [
            {
                "id": s.key,
                "title": s.title,
                "url": s.url,
                "publisher": s.publisher,
                "as_of": s.as_of.isoformat() if s.as_of else None,
            }
            for s in report.sources
        ],
        "datasets": [{"id": d.id, "version": d.version, "as_of": d.as_of.isoformat()} for d in report.datasets],
        "policy": {"id": ex.policy_id, "sha256": ex.policy_sha256},
        "as_of": ex.as_of.isoformat(),
    }


def hit_json(hit: SearchHit, with_status: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"entity_id": hit.entity_id, "name": hit.name, "score": hit.score}
    if with_status:
        out["status"] = hit.status
        out["country"] = hit.country
    out["matched_on"] = hit.matched_on
    out["matched_text"] = hit.matched_text
    return out


def check_json(outcome: CheckOutcome, report: EntityReport | None) -> dict[str, Any]:
    return {
        "query": outcome.query,
        "match": hit_json(outcome.match, with_status=False) if outcome.match else None,
        "alternatives": [hit_json(a, with_status=True) for a in outcome.alternatives],
        "determination": determination_json(report) if report else None,
    }


NOT_ON_FILE = (
    "{query!r} is not in the data. Not on file is not eligible: establish the company's ownership before selling."
)


def chain_lines(report: EntityReport, indent: str = "  ") -> list[str]:
    """The ownership chain as an indented tree, the entity first, each owner under what it owns."""
    ex = report.explanation
    nodes = {n.entity_id: n for n in ex.chain}
    lines: list[str] = []

    def walk(entity_id: str, depth: int, share: str, on_path: frozenset[str]) -> None:
        n = nodes.get(entity_id)
        if n is None:
            return
        where = n.hq_country or n.incorporation_country or "country unknown"
        lines.append(f"{indent * depth}{share}{n.name} ({where}) — {n.status.upper()}")
        if entity_id in on_path or depth > 12 or len(lines) > 200:
            return
        for o in n.owners:
            if o.kind == "control":
                label = "controls"
            elif o.share_min is None and o.share_max is None:
                label = "share unknown"
            else:
                lo, hi = o.share_min or 0.0, o.share_max if o.share_max is not None else 100.0
                label = format_percent(lo) if lo == hi else f"{format_percent(lo)}–{format_percent(hi)}"
                if o.kind == "voting":
                    label += " voting"
            walk(o.entity_id, depth + 1, f"└─ {label}: ", on_path | {entity_id})

    walk(report.entity_id, 0, "", frozenset())
    return lines


def text_report(report: EntityReport) -> str:
    ex = report.explanation
    where = report.hq_country or report.incorporation_country
    lines = [
        f"{ex.status.upper()}  {report.name} ({country_name(where)}{f', {where}' if where else ''})",
        f"Restricted share: {report.share_text}",
    ]
    lines += ["", "Ownership chain:"] + ["  " + line for line in chain_lines(report)]
    lines += ["", "Rationale:", "  " + ex.rationale]
    if ex.rules:
        lines += ["", "Rules:"] + [f"  {r.clause or r.title}" for r in ex.rules]
    lines += [
        "",
        "Data: " + ", ".join(f"{d.id} {d.version} (as of {d.as_of})" for d in report.datasets),
        f"Policy: {ex.policy_id} (sha256 {ex.policy_sha256[:12]}…), as of {ex.as_of}",
    ]
    return "\n".join(lines)


def summary_text(report: EntityReport) -> str:
    """Plain text for a CRM note: status, chain, rationale, data and policy versions, date."""
    ex = report.explanation
    lines = [
        f"Clearance check — {report.name}",
        f"Status: {ex.status.upper()} (restricted share {report.share_text})",
        "",
        "Ownership chain:",
        *("  " + line for line in chain_lines(report)),
        "",
        "Rationale: " + ex.rationale,
        "",
        "Data: " + ", ".join(f"{d.title} {d.version} (as of {d.as_of})" for d in report.datasets),
        f"Policy: {ex.policy_id} (SHA-256 {ex.policy_sha256})",
        f"Checked: {datetime.now().strftime('%Y-%m-%d %H:%M')} (ownership as of {ex.as_of})",
    ]
    return "\n".join(lines)


def record_audit(ctx: AppContext, action: str, query: str, report: EntityReport | None) -> None:
    """Keep a reproducible record of a decision shown to a user."""
    detail = {
        "datasets": [{"id": d.id, "version": d.version, "sha256": d.content_sha256} for d in report.datasets]
        if report
        else [],
        "restricted_share": [report.explanation.restricted_min, report.explanation.restricted_max] if report else None,
    }
    try:
        user = getpass.getuser()
    except Exception:
        user = ""
    with ctx.store.write("record a decision") as conn:
        conn.execute(
            insert(AuditRecord).values(
                at=datetime.now(UTC).replace(tzinfo=None),
                user=user,
                action=action,
                query=query[:1000],
                entity_id=report.entity_id if report else None,
                status=report.status if report else None,
                policy_id=ctx.policy.id,
                policy_sha256=ctx.policy.sha256,
                detail_json=json.dumps(detail),
            )
        )
