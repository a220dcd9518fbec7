"""The services the window calls, gathered in one value so a test can replace one of them.

The services (and SQLAlchemy beneath them) are imported on the database lane when first used, so the
window appears before they have loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop_app.services.context import AppContext, Progress
    from desktop_app.services.importing import ImportSummary
    from desktop_app.services.lookup import SearchResult
    from desktop_app.services.reporting import EntityReport

SEARCH_LIMIT = 50


@dataclass(frozen=True)
class Opened:
    """What the window needs once the database is open."""

    ctx: AppContext
    info: dict[str, Any]


def open_database(db: str | None, policy: str | None, seed: bool | None, progress: Progress) -> Opened:
    from desktop_app.services import determinations, info
    from desktop_app.services.context import open_context

    ctx = open_context(db, policy, progress, seed_reference=seed)
    try:
        progress("Checking statuses are up to date", 0, 0)
        determinations.ensure_current(ctx, progress=progress)
        return Opened(ctx, info.database_info(ctx))
    except BaseException:
        ctx.close()
        raise


def search(ctx: AppContext, text: str) -> SearchResult:
    """The match decision of `check` for the text typed so far, with the possible matches to check."""
    from desktop_app.services import lookup

    return lookup.find(ctx, text)


def report(ctx: AppContext, entity_id: str, query: str) -> EntityReport:
    """The entity's report; showing it to a user is recorded in the audit trail."""
    from desktop_app.services import reporting

    result = reporting.entity_report(ctx, entity_id)
    reporting.record_audit(ctx, "view", query, result)
    return result


def import_dataset(
    ctx: AppContext, path: Path | list[Path], progress: Progress, cancelled: Callable[[], bool]
) -> ImportSummary:
    from desktop_app.services import importing

    return importing.import_dataset(ctx, path, progress, cancelled)


def database_info(ctx: AppContext) -> dict[str, Any]:
    from desktop_app.services import info

    return info.database_info(ctx)


def summary_text(result: EntityReport) -> str:
    from desktop_app.services import reporting

    return reporting.summary_text(result)


@dataclass(frozen=True)
class Backend:
    """Each callable but summary_text runs on the database lane, never on the GUI thread."""

    open: Callable[[str | None, str | None, bool | None, Progress], Opened] = open_database
    search: Callable[[AppContext, str], SearchResult] = search
    report: Callable[[AppContext, str, str], EntityReport] = report
    import_dataset: Callable[[AppContext, Path | list[Path], Progress, Callable[[], bool]], ImportSummary] = (
        import_dataset
    )
    database_info: Callable[[AppContext], dict[str, Any]] = database_info
    summary_text: Callable[[EntityReport], str] = summary_text


def import_then_describe(backend: Backend, ctx: AppContext, path: Path | list[Path], progress: Progress,
                         cancelled: Callable[[], bool]) -> tuple[ImportSummary, dict[str, Any]]:
    summary = backend.import_dataset(ctx, path, progress, cancelled)
    return summary, backend.database_info(ctx)
