"""The window's size and its splitters, kept in QSettings between runs."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter


class WindowState:
    """Restores and saves the geometry and each named splitter (`window/<name>`)."""

    def __init__(self, window: QMainWindow, settings: QSettings | None, splitters: dict[str, QSplitter]) -> None:
        self.window, self.settings, self.splitters = window, settings, splitters

    def restore(self, default_width: int, default_height: int, default_sizes: dict[str, list[int]]) -> None:
        self.window.resize(default_width, default_height)
        for name, sizes in default_sizes.items():
            self.splitters[name].setSizes(sizes)
        s = self.settings
        if s is None:
            return
        geometry = s.value("window/geometry")
        if geometry is not None:
            self.window.restoreGeometry(geometry)
        for name, splitter in self.splitters.items():
            state = s.value(f"window/{name}")
            if state is not None:
                splitter.restoreState(state)

    def save(self) -> None:
        s = self.settings
        if s is None:
            return
        s.setValue("window/geometry", self.window.saveGeometry())
        for name, splitter in self.splitters.items():
            s.setValue(f"window/{name}", splitter.saveState())
        s.sync()
