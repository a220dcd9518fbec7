"""View → Appearance: follow the system's light or dark scheme, or force one; remembered in the settings."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu

from desktop_app.ui import theme

MODE_LABELS = (("system", "Follow the &system"), ("light", "&Light"), ("dark", "&Dark"))


class Appearance(QObject):
    """The theme menu's actions and the current mode; `changed` carries the mode after it was applied."""

    changed = Signal(str)

    def __init__(self, settings: QSettings | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.mode = "system"
        self.group = QActionGroup(self)
        self.actions: dict[str, QAction] = {}
        for mode, label in MODE_LABELS:
            action = QAction(label, self, checkable=True)
            action.triggered.connect(lambda _=False, m=mode: self.set_mode(m))
            self.group.addAction(action)
            self.actions[mode] = action
        self.actions["system"].setChecked(True)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)

    def add_to(self, menu: QMenu) -> None:
        for action in self.actions.values():
            menu.addAction(action)

    def restore(self) -> None:
        if self.settings is not None:
            self.set_mode(str(self.settings.value("appearance/theme", "system")))

    def set_mode(self, mode: str) -> None:
        self.mode = mode if mode in theme.MODES else "system"
        self.actions[self.mode].setChecked(True)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(self.mode, app)
        if self.settings is not None:
            self.settings.setValue("appearance/theme", self.mode)
        self.changed.emit(self.mode)

    def _system_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.mode == "system":
            self.set_mode("system")
