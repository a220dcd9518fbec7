"""The left side: how to search, the results as you type, or "not in the data" — one page at a time."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.result_delegate import ResultDelegate
from desktop_app.ui.results_model import POSSIBLE_TEXT, ResultsModel
from desktop_app.ui.search_widgets import ResultsList
from desktop_app.ui.status_legend import StatusLegend
from desktop_app.ui.status_look import icon

if TYPE_CHECKING:
    from desktop_app.services.lookup import SearchHit
    from desktop_app.ui.history import Visit

NOT_ON_FILE_TITLE = "Not in the data"
NOT_ON_FILE_RULE = "Not on file is not eligible: establish the company's ownership before selling."
NOT_ON_FILE_HINT = "Check the spelling, or try its web domain, an e-mail address or its LEI."


class ResultsPane(QStackedWidget):
    """Pages: hint_page (before typing), results_page (the list), nf_page (nothing matched or the search failed)."""

    recentActivated = Signal(str, str)  # entity id, name: a recent lookup to open again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Search results")
        self.model = ResultsModel(self)
        self.results = ResultsList()
        self.results.setObjectName("results")
        self.results.setModel(self.model)
        self.results.setItemDelegate(ResultDelegate(self.results))
        self.results.setAccessibleName("Results")
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setUniformItemSizes(True)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)

        self.weak_note = QLabel(f"{POSSIBLE_TEXT}. Not on file is not eligible.")
        self.weak_note.setObjectName("weakMatchNote")
        self.weak_note.setAccessibleName("Only similar names found")
        self.weak_note.setWordWrap(True)
        self.weak_note.setVisible(False)
        self.count_label = QLabel()
        self.count_label.setObjectName("resultCount")
        self.count_label.setAccessibleName("Number of results")
        self.results_page = QWidget()
        rp = QVBoxLayout(self.results_page)
        rp.setContentsMargins(0, 0, 0, 0)
        rp.addWidget(self.count_label)
        rp.addWidget(self.weak_note)
        rp.addWidget(self.results, 1)

        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setAccessibleName("How to search")
        self.hint.setWordWrap(True)
        self.hint.setText("<h3>Check a prospective customer</h3><p>Type its name — in any script — its web "
                          "domain, an e-mail address or its LEI. Results appear as you type.</p>")
        self.hint_page = QWidget()
        hp = QVBoxLayout(self.hint_page)
        hp.addWidget(self.hint)
        hp.addSpacing(self.fontMetrics().height() // 2)
        hp.addWidget(StatusLegend())
        self.recent_title = QLabel("<b>Recent lookups</b>")
        self.recent_title.setAccessibleName("Recent lookups heading")
        self.recent_list = QListWidget()
        self.recent_list.setObjectName("recentLookups")
        self.recent_list.setAccessibleName("Recent lookups")
        self.recent_list.setToolTip("Double-click or press Enter to open it again")
        self.recent_list.itemActivated.connect(self._recent_activated)
        hp.addSpacing(self.fontMetrics().height() // 2)
        hp.addWidget(self.recent_title)
        hp.addWidget(self.recent_list, 3)
        hp.addStretch(1)
        self.show_recent(())

        self.not_found_icon = QLabel()
        self.not_found_icon.setAccessibleName("Not in the data icon")
        side = self.fontMetrics().height() * 3
        self.not_found_icon.setPixmap(icon("not-on-file.svg").pixmap(QSize(side, side), self.devicePixelRatioF()))
        self.not_found = QLabel()
        self.not_found.setObjectName("notFound")
        self.not_found.setAccessibleName(NOT_ON_FILE_TITLE)
        self.not_found.setWordWrap(True)
        self.not_found.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.nf_page = QFrame()
        self.nf_page.setObjectName("notFoundPanel")
        self.nf_page.setFrameShape(QFrame.Shape.StyledPanel)
        nf = QVBoxLayout(self.nf_page)
        nf.addWidget(self.not_found_icon)
        nf.addWidget(self.not_found)
        nf.addStretch(1)

        for page in (self.hint_page, self.results_page, self.nf_page):
            self.addWidget(page)

    def show_recent(self, visits: tuple[Visit, ...]) -> None:
        self.recent_list.clear()
        for visit in visits:
            item = QListWidgetItem(visit.name)
            item.setData(Qt.ItemDataRole.UserRole, visit.entity_id)
            self.recent_list.addItem(item)
        self.recent_title.setVisible(bool(visits))
        self.recent_list.setVisible(bool(visits))

    def _recent_activated(self, item: QListWidgetItem) -> None:
        self.recentActivated.emit(str(item.data(Qt.ItemDataRole.UserRole)), item.text())

    def show_hint(self) -> None:
        self.model.set_hits(())
        self.setCurrentWidget(self.hint_page)

    def show_hits(self, text: str, hits: tuple[SearchHit, ...], possible: frozenset[str], note: str,
                  capped: bool) -> None:
        """The hits; those in `possible` are possible matches only: none of them is pre-selected."""
        self.model.set_hits(hits, possible)
        many = "" if len(hits) == 1 else "s"
        more = " (the best matches)" if capped else ""
        self.count_label.setText(f"{len(hits)} result{many} for “{text.strip()[:80]}”{more}")
        self.setCurrentWidget(self.results_page)
        self.weak_note.setText(note)
        self.weak_note.setVisible(bool(note))
        if hits[0].entity_id not in possible:  # the match
            self.results.setCurrentIndex(self.model.index(0, 0))
        else:
            self.results.setCurrentIndex(QModelIndex())
            self.results.clearSelection()

    def show_not_found(self, text: str) -> None:
        self.model.set_hits(())
        self.not_found.setText(f"<h2>{NOT_ON_FILE_TITLE} — no status</h2><p>“"
                               f"{html.escape(text.strip()[:200])}” is not in the data.</p>"
                               f"<p style='font-size:large'><b>{NOT_ON_FILE_RULE}</b></p>"
                               f"<p>{NOT_ON_FILE_HINT}</p>")
        self.setCurrentWidget(self.nf_page)

    def show_failure(self, exc: BaseException) -> None:
        # Never leave the previous query's results on screen under a new query.
        self.model.set_hits(())
        self.not_found.setText(f"<h3>The search failed</h3><p>{html.escape(str(exc))}</p>"
                               "<p>No status can be shown. Try again, or check the database (Help → About).</p>")
        self.setCurrentWidget(self.nf_page)

    def move_selection(self, step: int) -> None:
        rows = self.model.rowCount()
        if rows == 0:
            return
        current = self.results.currentIndex().row()
        row = 0 if current < 0 and step > 0 else max(0, min(rows - 1, current + step))
        index = self.model.index(row, 0)
        self.results.setCurrentIndex(index)
        self.results.scrollTo(index)

    def select_entity(self, entity_id: str) -> None:
        """Mark the row of `entity_id` as the one shown, if it is in the list."""
        row = next((r for r, h in enumerate(self.model.hits) if h.entity_id == entity_id), -1)
        if row >= 0 and self.results.currentIndex().row() != row:
            self.results.setCurrentIndex(self.model.index(row, 0))
