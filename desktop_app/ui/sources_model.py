"""The sources behind a determination: title, publisher, date, address, licence."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication, QPalette

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()

URL_ROLE = Qt.ItemDataRole.UserRole + 1

COLUMNS = ("Title", "Publisher", "Date", "Address", "Licence")


class SourcesModel(QAbstractTableModel):
    """Rows are any objects with key, title, publisher, as_of, url and license (the services' SourceInfo)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._sources: tuple[Any, ...] = ()

    def set_sources(self, sources: tuple[Any, ...]) -> None:
        self.beginResetModel()
        self._sources = tuple(sources)
        self.endResetModel()

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._sources)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._sources):
            return None
        s = self._sources[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (s.title, s.publisher, s.as_of.isoformat() if s.as_of else "undated", s.url or "—",
                    s.license or "—")[index.column()]
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            date = s.as_of.isoformat() if s.as_of else "undated"
            opens = " Double-click or press Enter to open it in the browser." if s.url else ""
            return f"{s.title} — {s.publisher}, {date}. {s.url or 'No address'}.{opens}"
        if role == URL_ROLE:
            return s.url or None
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 3 and s.url:
            return QGuiApplication.palette().color(QPalette.ColorRole.Link)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
