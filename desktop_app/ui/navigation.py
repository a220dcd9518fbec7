"""Back, forward and recent lookups: actions for the menu and the buttons beside the search field.

Every report shown becomes a visit; going back or forward opens a visited company again without
adding a visit. The recent lookups are kept in the settings with the database they belong to.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QStyle, QToolButton, QWidget

from desktop_app.ui.history import History, Visit

RECENT_KEY = "history/recent"
LOCATION_KEY = "history/location"


class Navigator(QObject):
    """Owns the History; `openRequested(entity_id, name)` asks the window to open a company."""

    openRequested = Signal(str, str)
    recentChanged = Signal(object)  # tuple[Visit, ...], most recent first

    def __init__(self, settings: QSettings | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.settings = settings
        self.location = ""
        self.history = History()
        style = QApplication.style()
        self.back_action = QAction(style.standardIcon(QStyle.StandardPixmap.SP_ArrowBack), "&Back", parent)
        self.back_action.setShortcuts([QKeySequence("Alt+Left")])
        self.back_action.setStatusTip("Open the previously viewed company again (Alt+Left)")
        self.back_action.setToolTip("Back to the previous company (Alt+Left)")
        self.back_action.triggered.connect(self.back)
        self.forward_action = QAction(style.standardIcon(QStyle.StandardPixmap.SP_ArrowForward), "&Forward", parent)
        self.forward_action.setShortcuts([QKeySequence("Alt+Right")])
        self.forward_action.setToolTip("Forward to the next company (Alt+Right)")
        self.forward_action.triggered.connect(self.forward)
        for action in (self.back_action, self.forward_action):
            parent.addAction(action)
        self.recent_menu = QMenu("&Recent lookups", parent)
        self.recent_menu.setAccessibleName("Recent lookups")
        self._update()

    def buttons(self) -> list[QToolButton]:
        """Back, forward and a recent-lookups drop-down, for the row beside the search field."""
        out = []
        for action, name in ((self.back_action, "Back"), (self.forward_action, "Forward")):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setAccessibleName(name)
            button.setAutoRaise(True)
            out.append(button)
        recent = QToolButton()
        recent.setText("Recent")
        recent.setAccessibleName("Recent lookups")
        recent.setToolTip("Companies opened recently")
        recent.setMenu(self.recent_menu)
        recent.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        recent.setAutoRaise(True)
        out.append(recent)
        return out

    def shown(self, entity_id: str, name: str) -> None:
        """A report is on screen."""
        self.history.visit(entity_id, name)
        self._save_recent()
        self._update()

    def back(self) -> None:
        visit = self.history.back()
        if visit is not None:
            self._update()
            self.openRequested.emit(visit.entity_id, visit.name)

    def forward(self) -> None:
        visit = self.history.forward()
        if visit is not None:
            self._update()
            self.openRequested.emit(visit.entity_id, visit.name)

    def database_opened(self, location: str) -> None:
        """A database is open: its own recent lookups (none if they were of another database)."""
        self.location = location
        self.history = History(self._load_recent())
        self._update()

    def _update(self) -> None:
        h = self.history
        self.back_action.setEnabled(h.can_go_back)
        self.forward_action.setEnabled(h.can_go_forward)
        self.recent_menu.clear()
        for visit in h.recent:
            action = self.recent_menu.addAction(visit.name)
            action.triggered.connect(lambda _=False, v=visit: self.openRequested.emit(v.entity_id, v.name))
        self.recent_menu.setEnabled(bool(h.recent))
        self.recentChanged.emit(h.recent)

    def _load_recent(self) -> list[Visit]:
        if self.settings is None or str(self.settings.value(LOCATION_KEY, "")) != self.location:
            return []
        raw = self.settings.value(RECENT_KEY, [])
        items = raw if isinstance(raw, list) else [raw] if raw else []
        out = []
        for item in items:
            entity_id, _, name = str(item).partition("\t")
            if entity_id:
                out.append(Visit(entity_id, name or entity_id))
        return out

    def _save_recent(self) -> None:
        if self.settings is not None and self.location:
            self.settings.setValue(LOCATION_KEY, self.location)
            self.settings.setValue(RECENT_KEY, [f"{v.entity_id}\t{v.name}" for v in self.history.recent])
