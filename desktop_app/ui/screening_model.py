"""The screened list as a Qt table: one row per lead, sortable and filterable by status and text."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt

from desktop_app.ui import labels
from desktop_app.ui.list_table_model import ListTableModel

if TYPE_CHECKING:
    from desktop_app.services.screening import ScreenedRow

Index = QModelIndex | QPersistentModelIndex

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the ScreenedRow
KEY_ROLE = Qt.ItemDataRole.UserRole + 2  # restricted | review | eligible | possible match | not on file
SORT_ROLE = Qt.ItemDataRole.UserRole + 3

MATCH, POSSIBLE, NOT_ON_FILE = "match", "possible match", "not on file"  # as services.screening names them
KEYS = ("restricted", "review", "eligible", POSSIBLE, NOT_ON_FILE)
KEY_TITLES = {"restricted": "Restricted", "review": "Review", "eligible": "Eligible",
              POSSIBLE: "Possible match", NOT_ON_FILE: "Not on file"}
# Sorting by status puts what needs attention first; leads with no status come after every match.
KEY_ORDER = {k: i for i, k in enumerate(KEYS)}

COLUMNS = ("Line", "Lead", "Country", "Result", "Restricted share", "Company in the data", "Score", "Note")
RESULT_COLUMN = 3


def row_key(row: ScreenedRow) -> str:
    return row.status or row.verdict


class ScreeningModel(ListTableModel):
    columns = COLUMNS

    @property
    def rows(self) -> list[ScreenedRow]:
        return self.items

    def set_rows(self, rows: list[ScreenedRow]) -> None:
        self.set_items(rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.item(index)
        if row is None:
            return None
        col = index.column()
        if role == ROW_ROLE:
            return row
        if role == KEY_ROLE:
            return row_key(row)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, col)
        if role == SORT_ROLE:
            return self._sort_value(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, col)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._text(row, col) if col != RESULT_COLUMN else row.status_label
        return None

    @staticmethod
    def _lead_text(row: ScreenedRow) -> str:
        lead = row.lead
        extra = [v for v in (lead.domain, lead.email) if v and v != lead.label]
        return lead.label + (f"  ({', '.join(extra)})" if extra else "")

    def _text(self, row: ScreenedRow, col: int) -> str:
        hit = row.hit
        if col == 0:
            return str(row.lead.line)
        if col == 1:
            return self._lead_text(row)
        if col == 2:
            return row.lead.country
        if col == RESULT_COLUMN:
            return row.status_label
        if col == 4:
            return labels.share_range(hit.restricted_min, hit.restricted_max) if row.verdict == MATCH and hit else ""
        if col == 5:
            if hit is None:
                return "—"
            prefix = "check: " if row.verdict == POSSIBLE else ""
            more = f" (+{len(row.candidates)} more)" if row.verdict == POSSIBLE and row.candidates else ""
            return f"{prefix}{hit.name} ({hit.country or '??'}){more}"
        if col == 6:
            return f"{hit.score:g}" if hit else ""
        return row.note

    def _sort_value(self, row: ScreenedRow, col: int) -> Any:
        hit = row.hit
        if col == 0:
            return row.lead.line
        if col == RESULT_COLUMN:
            return KEY_ORDER.get(row_key(row), 9)
        if col == 4:
            return (hit.restricted_max if row.verdict == MATCH and hit else -1.0)
        if col == 6:
            return hit.score if hit else -1.0
        return self._text(row, col).casefold()

    def _tooltip(self, row: ScreenedRow, col: int) -> str | None:
        if col == 5 and row.verdict == POSSIBLE and row.hit is not None:
            names = [row.hit, *row.candidates]
            return "Possible matches — not the same company unless you confirm it:\n" + "\n".join(
                f"• {h.name} ({h.country or '??'}), {h.status}, score {h.score:g}" for h in names)
        if col == RESULT_COLUMN and row.verdict == NOT_ON_FILE:
            return "Not in the data: not on file is not eligible. Establish the company's ownership before selling."
        if col == 5 and row.hit is not None:
            return f"{row.hit.name}\nmatched on {row.hit.matched_on}: {row.hit.matched_text}\nDouble-click to open."
        if col == 7 and row.note:
            return row.note
        return None


class ScreeningFilter(QSortFilterProxyModel):
    """Shows the rows whose status is among the chosen ones and whose texts hold the typed words."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.keys: set[str] = set(KEYS)
        self.words: list[str] = []
        self.setSortRole(SORT_ROLE)

    def set_keys(self, keys: set[str]) -> None:
        self._refilter(lambda: setattr(self, "keys", set(keys)))

    def set_text(self, text: str) -> None:
        self._refilter(lambda: setattr(self, "words", text.casefold().split()))

    def _refilter(self, change: Callable[[], None]) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 and later
            self.beginFilterChange()
            change()
            self.endFilterChange()
        else:
            change()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, ScreeningModel) or source_row >= len(model.rows):
            return False
        row = model.rows[source_row]
        if row_key(row) not in self.keys:
            return False
        if not self.words:
            return True
        hay = " ".join(model._text(row, c) for c in range(len(COLUMNS))).casefold()
        return all(w in hay for w in self.words)
