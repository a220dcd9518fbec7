"""The search field and the result list, with the keys that move between them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QListView, QToolButton

from desktop_app.ui.status_look import icon

PAGE = 8  # rows moved by Page Up / Page Down from the search field


class SearchField(QLineEdit):
    """Keeps focus while Up/Down move through the results, Enter opens, Esc clears."""

    moved = Signal(int)  # rows to move; large values jump
    accepted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        moves: dict[int, int] = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1,
                                 Qt.Key.Key_PageDown: PAGE, Qt.Key.Key_PageUp: -PAGE}
        if key in moves:
            self.moved.emit(moves[key])
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accepted.emit()
        elif key == Qt.Key.Key_Escape and self.text():
            self.clear()
        else:
            super().keyPressEvent(event)


class ResultsList(QListView):
    """Up from the first row returns to the search field; Esc too; typing goes on in the search field."""

    backToSearch = Signal()
    typed = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape or (event.key() == Qt.Key.Key_Up and self.currentIndex().row() <= 0):
            self.backToSearch.emit()
            return
        text = event.text()
        plain = not event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier)
        if plain and text and text.isprintable() and event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.typed.emit(text)
            return
        super().keyPressEvent(event)


def make_search_field() -> SearchField:
    """The large search field at the top of the window, named for screen readers."""
    field = SearchField()
    field.setObjectName("search")
    field.setAccessibleName("Search")
    field.setAccessibleDescription("Type a company name, web domain, e-mail address or LEI")
    field.setPlaceholderText("Company name, web domain, e-mail address or LEI   (Ctrl+K)")
    field.setClearButtonEnabled(True)
    field.addAction(icon("search.svg"), QLineEdit.ActionPosition.LeadingPosition)
    for button in field.findChildren(QToolButton):
        action = button.defaultAction()
        clears = action is not None and "clear" in action.objectName().lower()
        button.setAccessibleName("Clear the search" if clears else "Search")
    field.setMaxLength(10_000)
    big = field.font()
    big.setPointSizeF(big.pointSizeF() * 1.3)
    field.setFont(big)
    return field
