"""File → Database…: point the window at a team's PostgreSQL server, test the connection, keep the choice.

The URL is kept in the settings without a password. A password typed here goes to the platform's
credential store (services.server); where there is none, the dialog says to use PostgreSQL's password
file instead and keeps nothing. The connection test runs off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.tasks import Lane

EXAMPLE_URL = "postgresql://alice@clearance-db.example.com:5432/clearance?sslmode=verify-full"


def _test(location: str, password: str | None) -> tuple[bool, str]:
    from desktop_app.services import server

    result = server.test_connection(location, password)
    return result.ok, result.message


def _store_available() -> bool:
    from desktop_app.services import server

    return server.credential_store_available()


def _remember(location: str, password: str) -> None:
    from desktop_app.services import server

    server.remember_password(location, password)


def _split(location: str) -> tuple[str, str | None]:
    """The URL without its password, and the password if the URL held one."""
    from desktop_app.services import server

    return server.without_password(location), server.password_in(location)


def _is_server(location: str) -> bool:
    from desktop_app.services import server

    return server.is_server(location)


@dataclass(frozen=True)
class ServerAccess:
    """What the dialog asks of the services; a test may replace one of them."""

    test: Callable[[str, str | None], tuple[bool, str]] = _test
    store_available: Callable[[], bool] = _store_available
    remember: Callable[[str, str], None] = _remember
    split: Callable[[str], tuple[str, str | None]] = _split
    is_server: Callable[[str], bool] = _is_server


class DatabaseDialog(QDialog):
    tested = Signal(bool, str)  # the connection test finished: ok, what it found

    def __init__(self, current: str | None = None, parent: QWidget | None = None,
                 access: ServerAccess | None = None) -> None:
        super().__init__(parent)
        self.access = access or ServerAccess()
        self.lane = Lane(self)
        self.location: str | None = None  # what to open once accepted: the URL without a password
        self.setWindowTitle("Database server")
        self.setMinimumWidth(560)

        intro = QLabel("Use your team's Clearance database on a PostgreSQL server. Ask your administrator for "
                       "its address; lookups need the lookup role, imports the importer role.")
        intro.setWordWrap(True)
        self.url = QLineEdit(current if current and "://" in current else "")
        self.url.setPlaceholderText(EXAMPLE_URL)
        self.url.setAccessibleName("Server URL")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.has_store = self.access.store_available()
        if self.has_store:
            self.password.setPlaceholderText("kept in this computer's credential store, never in the settings")
        else:
            self.password.setPlaceholderText("no credential store here: use ~/.pgpass (see the note below)")
            self.password.setEnabled(False)
        note = QLabel(
            "Leave the password empty when it is in PostgreSQL's password file (~/.pgpass) or a service file, "
            "or when the server signs you in by certificate or Kerberos."
        )
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Server &URL:", self.url)
        form.addRow("&Password:", self.password)

        self.test_button = QPushButton("&Test connection")
        self.test_button.clicked.connect(self.test_connection)
        self.outcome = QLabel("")
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome.setAccessibleName("Connection test result")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Use this server")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.test_button)
        layout.addWidget(self.outcome)
        layout.addWidget(self.buttons)

    def _entered(self) -> tuple[str, str | None] | None:
        """The URL without a password and the password (typed, or written into the URL); None if unusable."""
        text = self.url.text().strip()
        if not self.access.is_server(text):
            self._show(False, "Enter the server's URL: postgresql://user@host:port/database")
            return None
        try:
            location, in_url = self.access.split(text)
        except Exception as exc:
            self._show(False, f"Not a usable URL: {exc}")
            return None
        return location, self.password.text() or in_url or None

    def _show(self, ok: bool, message: str) -> None:
        self.outcome.setText(("✓ " if ok else "✗ ") + message)
        self.outcome.setProperty("ok", ok)

    def test_connection(self) -> None:
        entered = self._entered()
        if entered is None:
            self.tested.emit(False, self.outcome.text())
            return
        location, password = entered
        self.test_button.setEnabled(False)
        self._show(True, "Connecting…")

        def finished(result: Any) -> None:
            self.test_button.setEnabled(True)
            ok, message = result
            self._show(ok, message)
            self.tested.emit(ok, message)

        def failed(exc: BaseException) -> None:
            self.test_button.setEnabled(True)
            self._show(False, str(exc))
            self.tested.emit(False, str(exc))

        self.lane.run(lambda _p: self.access.test(location, password), finished, failed)

    def accept(self) -> None:
        entered = self._entered()
        if entered is None:
            return
        location, password = entered
        if password:
            if not self.has_store:
                self._show(False, "This computer has no credential store to keep the password in: put it in "
                                  "~/.pgpass (one line host:port:database:user:password, mode 600) and leave the "
                                  "password empty here.")
                return
            try:
                self.access.remember(location, password)
            except Exception as exc:
                self._show(False, f"The password could not be kept in the credential store: {exc}")
                return
        self.location = location
        super().accept()



def choose_server(parent: QWidget, current: str | None) -> str | None:
    """Ask for a server; the URL to open (without a password) or None if cancelled."""
    dialog = DatabaseDialog(current, parent)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    dialog.deleteLater()
    return dialog.location if accepted else None
