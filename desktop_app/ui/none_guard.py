"""Keeps the process alive on a Qt binding that drops references to None.

PySide6 6.12.0 on CPython 3.11 releases a reference to None on every call of a Qt method that returns
void (QLabel.setText, QPainter.save …) without having taken one. Once None's count reaches zero the
interpreter aborts ("none_dealloc: deallocating None") — in this window after about 85 look-ups.
CPython 3.12 made None immortal, and PySide6 6.11 does not have the fault; the dependency should
exclude the faulty combination. Until it does, this guard adds back to None's reference count from a
timer, before the count can run out. The references are counted, never held, so nothing is released
at exit (releasing them would abort the interpreter at shutdown instead) and nothing is allocated.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, QTimer

FLOOR = 200_000  # top up below this many references: far more than a burst of repaints can drop in one tick
TARGET = 400_000
INTERVAL_MS = 250


def binding_drains_none(calls: int = 200) -> bool:
    """True when calling a void Qt method loses references to None."""
    if sys.version_info >= (3, 12):
        return False  # None is immortal: its count cannot reach zero
    timer = QTimer()
    before = sys.getrefcount(None)
    for _ in range(calls):
        timer.setInterval(1)
    return before - sys.getrefcount(None) > calls // 2


def add_references_to_none(count: int) -> None:
    """Raise None's reference count (CPython < 3.12: the count is the first field of the object)."""
    ctypes.c_ssize_t.from_address(id(None)).value += count


class NoneGuard(QObject):
    """Tops None's reference count up on a timer while the application runs."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.top_up)
        self.top_up()
        self.timer.start()

    def top_up(self) -> None:
        if sys.version_info >= (3, 12):
            return
        count = sys.getrefcount(None)
        if count < FLOOR:
            add_references_to_none(TARGET - count)


def install(parent: QObject) -> NoneGuard | None:
    """Start the guard if this binding needs it; returns it (None when not needed)."""
    return NoneGuard(parent) if binding_drains_none() else None
