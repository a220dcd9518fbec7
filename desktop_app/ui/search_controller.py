"""Search as you type: debounced, run on the database lane, answers to superseded text dropped.

A generation counter is raised by every keystroke; an answer is shown only if no newer text arrived
while it ran. Enter before the answer has arrived opens the best result once it does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QStatusBar

from desktop_app.ui.backend import SEARCH_LIMIT, Backend
from desktop_app.ui.database_session import DatabaseSession
from desktop_app.ui.results_model import HIT_ROLE, POSSIBLE_TEXT
from desktop_app.ui.results_pane import ResultsPane
from desktop_app.ui.search_widgets import SearchField
from desktop_app.ui.tasks import Lane

if TYPE_CHECKING:
    from desktop_app.services.lookup import SearchResult

DEBOUNCE_MS = 100


def match_note(result: SearchResult) -> str:
    """What the list says above its rows: possible matches only, or a name shared within one group."""
    match, group = result.match, result.decision.group if result.decision else None
    if match is None:
        return f"{POSSIBLE_TEXT}. Not on file is not eligible."
    if group is not None:
        return (f"“{group.shared}” is shared by {group.entities} entities of one group; "
                f"the group's parent, {match.name}, is the match.")
    return ""


class SearchController(QObject):
    """Connects the search field to the results pane; `openRequested` carries the hit to open."""

    resultsShown = Signal(int)  # number of hits now in the list (0: the not-on-file message or the hint)
    openRequested = Signal(object)  # a SearchHit
    cleared = Signal()  # the search field was emptied

    def __init__(self, field: SearchField, pane: ResultsPane, session: DatabaseSession, lane: Lane,
                 backend: Backend, status_bar: QStatusBar, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.field, self.pane, self.session = field, pane, session
        self.lane, self.backend, self.status_bar = lane, backend, status_bar
        self.generation = 0
        self.shown_query = ""
        self._open_after_search: int | None = None

        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.search_now)
        # Says "Searching…" only when an answer is slow (a busy shared database), never on every keystroke.
        self.busy = QTimer(self)
        self.busy.setSingleShot(True)
        self.busy.setInterval(400)
        self.busy.timeout.connect(lambda: self.status_bar.showMessage("Searching…"))

        field.textChanged.connect(self._text_changed)
        field.moved.connect(pane.move_selection)
        field.accepted.connect(self._accept)
        pane.results.activated.connect(self._open_index)
        pane.results.clicked.connect(self._open_index)
        pane.results.backToSearch.connect(self.focus_search)
        pane.results.typed.connect(self._type_into_search)

    @property
    def pending(self) -> bool:
        return self.debounce.isActive() or self.shown_query != self.field.text()

    def focus_search(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def invalidate(self) -> None:
        """Drop any answer on its way (the database is being switched or the window closes)."""
        self.debounce.stop()
        self.generation += 1

    def _type_into_search(self, text: str) -> None:
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)
        self.field.insert(text)

    def _text_changed(self, text: str) -> None:
        self.generation += 1  # an answer still on its way is for older text: drop it
        if text.strip():
            self.debounce.start()  # restarts: only a pause in typing searches
        else:
            self.search_now()

    def search_now(self) -> None:
        self.debounce.stop()
        self.generation += 1
        gen = self.generation
        text = self.field.text()
        if not text.strip():
            self.shown_query = ""
            self.pane.show_hint()
            self.cleared.emit()
            self.resultsShown.emit(0)
            return
        ctx = self.session.ctx
        if ctx is None:
            return  # the window searches again once the database is open
        backend = self.backend

        def op(_progress: Any) -> SearchResult | None:
            if gen != self.generation:
                return None  # a newer keystroke arrived while this waited for the lane
            return backend.search(ctx, text)

        self.busy.start()
        self.lane.run(op, lambda result: self._show(gen, text, result), self._failed)

    def _show(self, gen: int, text: str, result: SearchResult | None) -> None:
        if gen != self.generation or result is None:
            return
        if self.busy.isActive() or self.status_bar.currentMessage() == "Searching…":
            self.busy.stop()
            self.status_bar.clearMessage()
        self.shown_query = text
        hits = result.hits
        match = result.match
        if hits:
            possible = frozenset(h.entity_id for h in hits if result.is_possible(h))
            self.pane.show_hits(text, hits, possible, match_note(result), len(hits) >= SEARCH_LIMIT)
        else:
            self.pane.show_not_found(text)
        self.resultsShown.emit(len(hits))
        if self._open_after_search == gen:
            self._open_after_search = None
            if match is not None:  # never a possible match
                self.openRequested.emit(match)

    def _failed(self, exc: BaseException) -> None:
        self.shown_query = self.field.text()
        self.pane.show_failure(exc)
        self.status_bar.showMessage(f"Search failed: {exc}", 10000)
        self.resultsShown.emit(0)

    def _accept(self) -> None:
        if self.pending and self.field.text().strip():
            self.search_now()
            self._open_after_search = self.generation
            return
        index = self.pane.results.currentIndex()
        if index.isValid():
            self._open_index(index)

    def _open_index(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if hit is not None:
            self.openRequested.emit(hit)
