"""The open database: opening it on the lane (with a progress dialog on first start), switching to another.

The window and its controllers read `ctx` from here; it is None while no database is open, and every
controller checks that before it queues work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop_app.ui.backend import Backend, Opened
from desktop_app.ui.tasks import Lane

if TYPE_CHECKING:
    from desktop_app.services.context import AppContext


class DatabaseSession(QObject):
    """Owns the AppContext; `opened`/`openFailed` say how an open ended, `infoChanged` what is in it now."""

    opened = Signal()
    openFailed = Signal(str)
    closed = Signal()  # the previous database was let go (switching)
    infoChanged = Signal(object)  # database_info: datasets, counts, policy, staleness
    message = Signal(str)  # progress for the status bar

    def __init__(self, lane: Lane, backend: Backend, window: QWidget, db: str | None, policy: str | None,
                 seed: bool | None, settings: QSettings | None) -> None:
        super().__init__(window)
        self.lane, self.backend, self.window = lane, backend, window
        self.settings = settings
        self.open_args = (db, policy, seed)
        self.ctx: AppContext | None = None
        self.info: dict[str, Any] | None = None
        self.closing = False
        self.startup_dialog: QProgressDialog | None = None

    def start(self) -> None:
        """Open the database on the lane; the window is usable (typing queues) in the meantime."""
        db, policy, seed = self.open_args
        backend = self.backend
        self.message.emit("Opening the database…")
        self.lane.run(lambda progress: backend.open(db, policy, seed, progress),
                      self._opened, self._failed, self._progress)

    def switch(self, location: str | None) -> None:
        """Close the open database and open `location` (None: the user's default); remembered in the settings."""
        old, self.ctx = self.ctx, None
        self.closed.emit()
        if old is not None:
            self.lane.run(lambda _p: old.close(), lambda _r: None)
        _, policy, _ = self.open_args
        self.open_args = (location, policy, None)
        if self.settings is not None:
            if location:
                self.settings.setValue("data/location", location)
            else:
                self.settings.remove("data/location")
        self.start()

    def set_info(self, info: dict[str, Any]) -> None:
        self.info = info
        self.infoChanged.emit(info)

    def refresh_info(self) -> None:
        """Re-read what the database holds (after a dataset was added or removed)."""
        ctx, backend = self.ctx, self.backend
        if ctx is not None:
            self.lane.run(lambda _p: backend.database_info(ctx), self.set_info)

    def shutdown(self) -> None:
        """After the lane has finished: close the context."""
        self.closing = True
        if self.ctx is not None:
            self.ctx.close()
            self.ctx = None

    def _progress(self, phase: str, done: int, total: int) -> None:
        # Only the first start (building the database from the reference data) takes long enough to show.
        if self.startup_dialog is None:
            dialog = QProgressDialog("Preparing the data for first use…", "", 0, 0, self.window)
            dialog.setWindowTitle("Clearance")
            dialog.setAccessibleName("Preparing the data")
            dialog.setCancelButtonText(None)  # type: ignore[arg-type]  # a null text removes the button
            dialog.setMinimumDuration(700)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            self.startup_dialog = dialog
        count = f" {done:,} of {total:,}" if total else ""
        self.startup_dialog.setLabelText(f"Preparing the data for first use:\n{phase}…{count}")
        self.startup_dialog.setMaximum(max(total, 0))
        if total:
            self.startup_dialog.setValue(min(done, total))
        self.message.emit(f"{phase}…{count}")

    def _close_startup_dialog(self) -> None:
        if self.startup_dialog is not None:
            self.startup_dialog.hide()
            self.startup_dialog.deleteLater()
            self.startup_dialog = None

    def _opened(self, opened: Opened) -> None:
        self._close_startup_dialog()
        if self.closing:
            opened.ctx.close()
            return
        self.ctx = opened.ctx
        self.set_info(opened.info)
        self.opened.emit()

    def _failed(self, exc: BaseException) -> None:
        self._close_startup_dialog()
        self.openFailed.emit(str(exc))
