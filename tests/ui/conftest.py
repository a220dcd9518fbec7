"""Window fixtures: a real SQLite database built from the sample dataset in tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from desktop_app.services import importing
from desktop_app.services.context import open_context
from desktop_app.ui import none_guard
from desktop_app.ui.backend import Backend
from desktop_app.ui.main_window import MainWindow
from tests.ui.sample_data import build_sample


@pytest.fixture(scope="session", autouse=True)
def none_references(qapp: Any) -> Any:
    """The application's guard against a binding that drains references to None, as the app installs it."""
    return none_guard.install(qapp)


@pytest.fixture
def sample_db(tmp_path: Path) -> Path:
    db = tmp_path / "sample.db"
    ctx = open_context(db=db, seed_reference=False)
    try:
        importing.import_dataset(ctx, build_sample(tmp_path / "sample"))
    finally:
        ctx.close()
    return db


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot: Any, sample_db: Path, settings: QSettings) -> Iterator[Any]:
    windows: list[MainWindow] = []

    def make(backend: Backend | None = None, db: Path | None = None) -> MainWindow:
        window = MainWindow(backend=backend, db=str(db or sample_db), seed=False, settings=settings)
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitSignal(window.ready, timeout=10000):
            window.start()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


@pytest.fixture
def window(make_window: Any) -> MainWindow:
    return make_window()  # type: ignore[no-any-return]


def search(qtbot: Any, window: MainWindow, text: str) -> None:
    """Type `text` as a user would and wait for its answer."""
    window.search.clear()
    with qtbot.waitSignal(window.resultsShown, timeout=5000):
        if text.isascii():
            qtbot.keyClicks(window.search, text)
        else:
            window.search.insert(text)  # as an input method commits it; QTest types ASCII only


def open_first(qtbot: Any, window: MainWindow, text: str) -> None:
    search(qtbot, window, text)
    hit = window.model.hit(0)
    assert hit is not None, f"no result for {text!r}"
    with qtbot.waitSignal(window.reportShown, timeout=5000):
        window.open_hit(hit)
