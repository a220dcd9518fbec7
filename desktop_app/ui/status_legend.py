"""The three statuses as chips with what each means, for the empty window."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop_app.ui.result_delegate import chip_size, paint_chip
from desktop_app.ui.status_look import LOOKS


class StatusLegend(QWidget):
    """The three statuses as they appear in the list, each with what it means: the empty state teaches them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("What the statuses mean")
        self.setAccessibleDescription(" ".join(f"{lk.word}: {lk.meaning}" for lk in LOOKS.values()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for status, lk in LOOKS.items():
            row = QHBoxLayout()
            chip = _Chip(status)
            row.addWidget(chip)
            meaning = QLabel(lk.meaning)
            meaning.setWordWrap(True)
            meaning.setAccessibleName(f"{lk.word} means")
            row.addWidget(meaning, 1)
            layout.addLayout(row)


class _Chip(QWidget):
    def __init__(self, status: str) -> None:
        super().__init__()
        self.status = status
        self.setAccessibleName(LOOKS[status].word)

    def sizeHint(self) -> QSize:
        return chip_size(self.font())

    def minimumSizeHint(self) -> QSize:
        return chip_size(self.font())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        size = chip_size(self.font())
        paint_chip(painter, self.rect().adjusted(0, 0, size.width() - self.width(), size.height() - self.height()),
                   self.status, self.font(), self.palette())
