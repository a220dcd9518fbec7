"""Starting the window: the Qt application, its identity and settings, then the main window."""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from desktop_app.locations import APP_NAME
from desktop_app.ui import none_guard
from desktop_app.ui.help_dialogs import app_version
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.status_look import icon

SELF_TEST = "--self-test"


def make_application(argv: list[str]) -> QApplication:
    """The one QApplication, created on first use with the app's identity and style."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *argv])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(app_version())
    app.setDesktopFileName("clearance")
    # Fusion draws the same on every platform and honours light and dark palettes everywhere.
    app.setStyle("Fusion")
    app.setWindowIcon(icon("app.svg"))
    if not any(isinstance(child, none_guard.NoneGuard) for child in app.children()):
        none_guard.install(app)
    return app


def run(argv: list[str], db: str | None = None, policy: str | None = None) -> int:
    """Open the window (or run the self-test); returns the process exit code."""
    t0 = time.perf_counter()
    self_test = SELF_TEST in argv
    qt_args = [a for a in argv if a != SELF_TEST]
    if self_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = make_application(qt_args)
    if self_test:
        from desktop_app.ui.self_test import run_self_test

        return run_self_test(app, db, policy)

    settings = QSettings()
    # The database chosen with File → Open database… (an administrator may put a PostgreSQL URL here).
    configured = settings.value("data/location")
    location = db or (str(configured) if configured and not os.environ.get("CLEARANCE_DB") else None)
    window = MainWindow(db=location, policy=policy, settings=settings)
    window.show()
    window.ready.connect(lambda: window.statusBar().showMessage(
        f"Ready in {time.perf_counter() - t0:.2f} s.", 5000))
    window.start()
    code = app.exec()
    return int(code)
