"""The result list's model: search hits with their stored statuses, one row each."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from desktop_app.ui import labels
from desktop_app.ui.status_look import PERSON_LOOK, icon, look, status_icon

if TYPE_CHECKING:
    from desktop_app.services.lookup import SearchHit

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
COUNTRY_ROLE = Qt.ItemDataRole.UserRole + 3
MATCHED_ROLE = Qt.ItemDataRole.UserRole + 4
SHARE_ROLE = Qt.ItemDataRole.UserRole + 5
KIND_ROLE = Qt.ItemDataRole.UserRole + 6
SHARE_PHRASE_ROLE = Qt.ItemDataRole.UserRole + 7
POSSIBLE_ROLE = Qt.ItemDataRole.UserRole + 8  # True for a possible match: never shown as the match

POSSIBLE_TEXT = "Possible match — not the same name; check before relying on it"


class ResultsModel(QAbstractListModel):
    """Read-only; replaced as a whole when a newer search answers."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: tuple[SearchHit, ...] = ()
        self._possible: frozenset[str] = frozenset()

    @property
    def hits(self) -> tuple[SearchHit, ...]:
        return self._hits

    def set_hits(self, hits: tuple[SearchHit, ...], possible: frozenset[str] = frozenset()) -> None:
        """The hits to list; those in `possible` are possible matches to check, not the match."""
        self.beginResetModel()
        self._hits = tuple(hits)
        self._possible = possible
        self.endResetModel()

    def is_possible(self, hit: SearchHit) -> bool:
        return hit.entity_id in self._possible

    def hit(self, row: int) -> SearchHit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        hit = self.hit(index.row())
        if hit is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.name
        if role == Qt.ItemDataRole.DecorationRole:
            return icon(PERSON_LOOK.icon_name) if hit.kind == "person" else status_icon(hit.status)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.describe(hit)
        if role == HIT_ROLE:
            return hit
        if role == STATUS_ROLE:
            return hit.status
        if role == COUNTRY_ROLE:
            if hit.kind == "person":
                return "person, an owner in the data"
            return labels.country(hit.country)
        if role == MATCHED_ROLE:
            return labels.matched(hit)
        if role == SHARE_ROLE:
            return labels.share_range(hit.restricted_min, hit.restricted_max)
        if role == SHARE_PHRASE_ROLE:
            return "" if hit.kind == "person" else labels.share_phrase(hit.status, hit.restricted_min,
                                                                        hit.restricted_max)
        if role == KIND_ROLE:
            return hit.kind
        if role == POSSIBLE_ROLE:
            return self.is_possible(hit)
        return None

    def describe(self, hit: SearchHit) -> str:
        if self.is_possible(hit):
            return f"{POSSIBLE_TEXT}. {self._describe(hit)}"
        return self._describe(hit)

    @staticmethod
    def _describe(hit: SearchHit) -> str:
        if hit.kind == "person":
            return (f"{hit.name}: a person, an owner in the data, not a customer. "
                    f"Matched on {labels.matched(hit)} (score {hit.score:g}).")
        return (f"{look(hit.status).word}: {hit.name}, {labels.country(hit.country)}. "
                f"Restricted share {labels.share_range(hit.restricted_min, hit.restricted_max)}. "
                f"Matched on {labels.matched(hit)} (score {hit.score:g}).")

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
