"""The Qt binding must not drain references to None: the window calls Qt thousands of times a minute.

PySide6 6.12.0 on CPython 3.11 drops a reference to None on every call of a method returning void
(QLabel.setText, QPainter.save …); None is freed once its count reaches zero and the process aborts
with "none_dealloc: deallocating None" — after a few hundred repaints of the window. CPython 3.12+
makes None immortal, and PySide6 6.11 does not have the fault.
"""

from __future__ import annotations

import gc
import sys
from typing import Any

import PySide6
from PySide6.QtWidgets import QLabel


def test_calling_qt_keeps_the_references_to_none(qapp: Any) -> None:
    label = QLabel()
    gc.collect()
    before = sys.getrefcount(None)
    for _ in range(1000):
        label.setText("x")
    gc.collect()
    drained = before - sys.getrefcount(None)
    assert drained < 50, (f"PySide6 {PySide6.__version__} on Python {sys.version.split()[0]} lost {drained} "
                          "references to None in 1000 calls; the window would abort after a few hundred repaints. "
                          "Use PySide6-Essentials < 6.12 on Python < 3.12, or Python >= 3.12.")
