"""The services the window calls, gathered in one value so a test can replace one of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.services import determinations, importing, info, lookup, reporting
from desktop_app.services.context import AppContext, Progress, open_context

SEARCH_LIMIT = 50


@dataclass(frozen=True)
class Opened:
    """What the window needs once the database is open."""

    ctx: AppContext
    info: dict[str, Any]


def _open(db: str | None, policy: str | None, seed: bool | None, progress: Progress) -> Opened:
    ctx = open_context(db, policy, progress, seed_reference=seed)
    try:
        progress("Checking statuses are up to date", 0, 0)
        determinations.ensure_current(ctx, progress=progress)
        return Opened(ctx, info.database_info(ctx))
    except BaseException:
        ctx.close()
        raise


def _search(ctx: AppContext, text: str) -> lookup.SearchResult:
    return lookup.search(ctx, text, limit=SEARCH_LIMIT, prefix=True)


def _report(ctx: AppContext, entity_id: str, query: str) -> reporting.EntityReport:
    report = reporting.entity_report(ctx, entity_id)
    reporting.record_audit(ctx, "view", query, report)
    return report


@dataclass(frozen=True)
class Backend:
    """Each callable runs on the database lane, never on the GUI thread."""

    open: Callable[[str | None, str | None, bool | None, Progress], Opened] = _open
    search: Callable[[AppContext, str], lookup.SearchResult] = _search
    report: Callable[[AppContext, str, str], reporting.EntityReport] = _report
    import_dataset: Callable[..., importing.ImportSummary] = importing.import_dataset
    database_info: Callable[[AppContext], dict[str, Any]] = info.database_info
    summary_text: Callable[[reporting.EntityReport], str] = reporting.summary_text


def import_then_describe(backend: Backend, ctx: AppContext, path: Path, progress: Progress,
                         cancelled: Callable[[], bool]) -> tuple[importing.ImportSummary, dict[str, Any]]:
    summary = backend.import_dataset(ctx, path, progress, cancelled)
    return summary, backend.database_info(ctx)
