"""The right side: a placeholder or one company's report, loaded on the lane; latest request wins."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QStackedWidget, QStatusBar

from desktop_app.ui.backend import Backend
from desktop_app.ui.database_session import DatabaseSession
from desktop_app.ui.detail_view import DetailView
from desktop_app.ui.tasks import Lane

if TYPE_CHECKING:
    from desktop_app.services.lookup import SearchHit
    from desktop_app.services.reporting import EntityReport

PLACEHOLDER = "Open a result (Enter or click) to see its status, ownership chain and why."
WELCOME = ("Type a company's name, web domain, e-mail address or LEI above.\n\n"
           "A company that is not in the data gets no status: not on file is not eligible — "
           "establish its ownership before selling.")
NOTHING_TO_OPEN = "Nothing to open: no company in the data matches the search."


class DetailPresenter(QObject):
    """Loads and shows reports; `reportShown` carries the entity id once its report is on screen."""

    reportShown = Signal(str)
    titleChanged = Signal(str)  # the window title for what is shown
    openChanged = Signal(bool)  # whether a report is on screen (Copy summary and friends)

    def __init__(self, session: DatabaseSession, lane: Lane, backend: Backend, status_bar: QStatusBar,
                 query: Callable[[], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session, self.lane, self.backend, self.status_bar = session, lane, backend, status_bar
        self._query = query  # the text a report was opened from goes into the audit trail
        self.generation = 0
        self.detail = DetailView()
        self.detail.copySummaryRequested.connect(self.copy_summary)
        self.placeholder = QLabel(WELCOME)
        self.placeholder.setObjectName("detailPlaceholder")
        self.placeholder.setAccessibleName("No company open")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.right = QStackedWidget()
        self.right.setAccessibleName("Details")
        self.right.addWidget(self.placeholder)
        self.right.addWidget(self.detail)

    @property
    def report(self) -> EntityReport | None:
        """The report on screen, if any."""
        return self.detail.report if self.right.currentWidget() is self.detail else None

    def open_entity(self, entity_id: str, name: str = "") -> None:
        ctx = self.session.ctx
        if ctx is None:
            return
        self.generation += 1
        gen = self.generation
        backend = self.backend
        query = self._query()
        if self.detail.report is None or self.detail.report.entity_id != entity_id:
            self.placeholder.setText(f"Loading {name or entity_id}…")
            self.right.setCurrentWidget(self.placeholder)
        self.lane.run(lambda _p: backend.report(ctx, entity_id, query),
                      lambda report: self._show(gen, report), self._failed)

    def reload(self) -> None:
        """Load the open report again (the data changed)."""
        report = self.report
        if report is not None:
            self.open_entity(report.entity_id, report.name)

    def _show(self, gen: int, report: EntityReport) -> None:
        if gen != self.generation:
            return
        self.detail.show_report(report)
        self.right.setCurrentWidget(self.detail)
        self.titleChanged.emit(f"{report.name} — Clearance")
        self.openChanged.emit(True)
        self.reportShown.emit(report.entity_id)

    def _failed(self, exc: BaseException) -> None:
        self.placeholder.setText(f"Could not load the details: {exc}")
        self.right.setCurrentWidget(self.placeholder)

    def clear(self, message: str = PLACEHOLDER) -> None:
        self.generation += 1
        self.detail.clear()
        self.titleChanged.emit("Clearance")
        self.placeholder.setText(message)
        self.right.setCurrentWidget(self.placeholder)
        self.openChanged.emit(False)

    def follow_results(self, hits: tuple[SearchHit, ...]) -> None:
        """A new search answered: the open company must not read as the answer to it unless it is among the hits."""
        open_report = self.detail.report
        if open_report is not None and all(h.entity_id != open_report.entity_id for h in hits):
            self.clear()
        if hits:
            if self.right.currentWidget() is self.placeholder:
                self.placeholder.setText(PLACEHOLDER)
        else:
            self.placeholder.setText(NOTHING_TO_OPEN)

    def query_cleared(self) -> None:
        if self.right.currentWidget() is self.placeholder:
            self.placeholder.setText(WELCOME)

    def copy_summary(self) -> None:
        report = self.report
        if report is None:
            self.status_bar.showMessage("Open a result first; then Copy summary puts it on the clipboard.", 5000)
            return
        QGuiApplication.clipboard().setText(self.backend.summary_text(report))
        self.status_bar.showMessage(f"Summary of {report.name} copied to the clipboard.", 5000)

    def _graph_shown(self) -> bool:
        if self.right.currentWidget() is not self.detail:
            return False
        self.detail.tabs.setCurrentWidget(self.detail.graph_page)
        return True

    def zoom_in(self) -> None:
        if self._graph_shown():
            self.detail.graph.zoom_in()

    def zoom_out(self) -> None:
        if self._graph_shown():
            self.detail.graph.zoom_out()

    def fit(self) -> None:
        if self._graph_shown():
            self.detail.graph.fit()
