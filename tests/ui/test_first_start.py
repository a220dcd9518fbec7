"""First start: the database is built from the embedded reference data, with progress shown meanwhile."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from desktop_app import locations
from desktop_app.ui.backend import Backend, open_database
from desktop_app.ui.main_window import MainWindow


def test_slow_start_shows_progress_and_the_window_stays_usable(qtbot: Any, sample_db: Path, settings: Any) -> None:
    reported, release = threading.Event(), threading.Event()

    def slow_open(db: Any, policy: Any, seed: Any, progress: Any) -> Any:
        progress("Importing entities", 10, 100)
        reported.set()
        release.wait(10)
        return open_database(db, policy, seed, progress)

    window = MainWindow(backend=Backend(open=slow_open), db=str(sample_db), seed=False, settings=settings)
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window.startup_dialog is not None and window.startup_dialog.isVisible(), timeout=5000)
    assert "Importing entities" in window.startup_dialog.labelText()
    qtbot.keyClicks(window.search, "tiktok.com")  # typing while the database opens is kept
    with qtbot.waitSignal(window.resultsShown, timeout=10000):
        release.set()
    assert window.startup_dialog is None
    assert window.model.hits[0].name == "TikTok Pte. Ltd."
    window.close()


@pytest.mark.skipif(not (locations.reference_dataset_path() / "dataset.toml").is_file(),
                    reason="no embedded reference data")
def test_first_start_builds_the_database_from_the_reference_data(qtbot: Any, tmp_path: Path, settings: Any) -> None:
    window = MainWindow(db=str(tmp_path / "first.db"), seed=True, settings=settings)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=60000):
        window.start()
    assert window.info is not None and window.info["entities"] > 0
    assert [d["id"] for d in window.info["datasets"]] == ["reference"]
    assert "Clearance reference data" in window.data_label.text()
    window.close()
