"""File → Database server…: a URL, a connection test against a real server, the password kept out of settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import QSettings
from sqlalchemy.engine import make_url

from desktop_app.services import server
from desktop_app.ui.database_dialog import DatabaseDialog
from tests.pg import PG_URL


class MemoryKeyring(KeyringBackend):
    """A credential store in memory, standing in for the platform's."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[(service, username)] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.kept.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        self.kept.pop((service, username), None)


@pytest.fixture
def make_dialog(qtbot: Any) -> Any:
    """Dialogs kept referenced until the test ends, then closed (Python owns a dialog without a parent)."""
    made: list[DatabaseDialog] = []

    def make() -> DatabaseDialog:
        made.append(DatabaseDialog(None))
        return made[-1]

    yield make
    for dialog in made:
        dialog.close()


@pytest.fixture
def memory_keyring() -> Any:
    previous = keyring.get_keyring()
    store = MemoryKeyring()
    keyring.set_keyring(store)
    yield store
    keyring.set_keyring(previous)


def test_password_goes_to_the_credential_store_and_never_into_the_settings(
        make_dialog: Any, qtbot: Any, memory_keyring: MemoryKeyring, settings: QSettings) -> None:
    dialog = make_dialog()
    qtbot.keyClicks(dialog.url, "postgresql://alice@db.example.com:5433/clearance?sslmode=verify-full")
    qtbot.keyClicks(dialog.password, "s3cret-Pass")
    dialog.accept()
    assert dialog.location == "postgresql://alice@db.example.com:5433/clearance?sslmode=verify-full"
    assert memory_keyring.kept == {(server.KEYRING_SERVICE, "alice@db.example.com:5433/clearance"): "s3cret-Pass"}
    settings.setValue("data/location", dialog.location)  # what the window keeps
    settings.sync()
    assert "s3cret-Pass" not in Path(settings.fileName()).read_text(encoding="utf-8")
    # opening the server adds the kept password to the connection, and only there
    assert "s3cret-Pass" in server.connection_location(dialog.location)


def test_a_password_written_into_the_url_is_taken_out(make_dialog: Any, memory_keyring: MemoryKeyring) -> None:
    dialog = make_dialog()
    dialog.url.setText("postgresql://bob:pw%40x@db.example.com/clearance")
    dialog.accept()
    assert dialog.location == "postgresql://bob@db.example.com/clearance"
    assert list(memory_keyring.kept.values()) == ["pw@x"]


def test_without_a_credential_store_a_password_is_refused_and_nothing_kept(make_dialog: Any, qtbot: Any) -> None:
    previous = keyring.get_keyring()
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    try:
        dialog = make_dialog()
        assert not dialog.password.isEnabled()
        dialog.url.setText("postgresql://bob:secret@db.example.com/clearance")
        dialog.accept()
        assert dialog.location is None and dialog.result() == 0
        assert ".pgpass" in dialog.outcome.text()
        dialog.url.setText("postgresql://bob@db.example.com/clearance")  # password in ~/.pgpass: fine
        dialog.accept()
        assert dialog.location == "postgresql://bob@db.example.com/clearance"
    finally:
        keyring.set_keyring(previous)


def test_not_a_server_url_is_said_so(make_dialog: Any, qtbot: Any) -> None:
    dialog = make_dialog()
    dialog.url.setText("/home/alice/clearance.db")
    with qtbot.waitSignal(dialog.tested, timeout=5000) as blocker:
        dialog.test_button.click()
    assert blocker.args[0] is False
    assert "postgresql://" in dialog.outcome.text()


@pytest.mark.postgres
@pytest.mark.parametrize("reachable", [True, False])
def test_connection_test_against_a_real_server(make_dialog: Any, qtbot: Any, reachable: bool) -> None:
    if not PG_URL:
        pytest.skip("CLEARANCE_TEST_PG_URL is not set")
    dialog = make_dialog()
    url = PG_URL if reachable else make_url(PG_URL).set(port=1).render_as_string(hide_password=False)
    dialog.url.setText(url)
    with qtbot.waitSignal(dialog.tested, timeout=15000) as blocker:
        dialog.test_button.click()
    assert blocker.args[0] is reachable, blocker.args[1]
    if reachable:
        assert "connected: PostgreSQL" in dialog.outcome.text()
    else:
        assert "cannot connect to 127.0.0.1" in dialog.outcome.text()


def test_file_menu_has_the_database_server_entry(window: Any) -> None:
    actions = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "Data&base server…" in actions


@pytest.mark.postgres
def test_the_window_searches_and_opens_a_report_on_a_server(make_window: Any, qtbot: Any, tmp_path: Path) -> None:
    if not PG_URL:
        pytest.skip("CLEARANCE_TEST_PG_URL is not set")
    from desktop_app.services import importing
    from desktop_app.services.context import open_context
    from tests.pg import reset_database
    from tests.ui.conftest import open_first
    from tests.ui.sample_data import build_sample

    ctx = open_context(reset_database(), seed_reference=False)
    try:
        importing.import_dataset(ctx, build_sample(tmp_path / "sample"))
    finally:
        ctx.close()
    window = make_window(db=PG_URL)
    open_first(qtbot, window, "TikTok")
    assert "TikTok Pte. Ltd." in [h.name for h in window.model.hits]
    assert window.ctx.location.startswith("postgresql://") and not window.ctx.store.is_sqlite
