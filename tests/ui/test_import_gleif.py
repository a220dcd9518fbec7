"""File → Import with the GLEIF golden copy: several files or a folder, progress in records, cancel, what changed."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QPushButton

from desktop_app.services import importing, info
from desktop_app.services.context import open_context
from desktop_app.ui.backend import Backend
from desktop_app.ui.help_dialogs import about_html
from desktop_app.ui.import_flow import time_left
from tests.importers.gleif_builder import write_golden_copy
from tests.importers.test_gleif import ENTITIES, EXCEPTIONS, RELATIONSHIPS
from tests.ui.conftest import search


def datasets_in(db: Path) -> list[tuple[str, str]]:
    ctx = open_context(db=db, seed_reference=False)
    try:
        return [(d["id"], d["version"]) for d in info.database_info(ctx)["datasets"]]
    finally:
        ctx.close()


def test_gleif_files_import_and_the_window_says_what_changed(qtbot: Any, make_window: Any, tmp_path: Path) -> None:
    paths = write_golden_copy(tmp_path / "gc", ENTITIES, RELATIONSHIPS, EXCEPTIONS, "xml", zipped=True)
    window = make_window()
    window.import_path(paths)
    dialog = window.import_flow.dialog
    assert dialog is not None and "3 files" in dialog.labelText()
    with qtbot.waitSignal(window.importFinished, timeout=30000) as done:
        pass
    assert done.args == ["imported"]
    message = window.statusBar().currentMessage()
    assert "Imported GLEIF golden copy 20260105-0800 (as of 2026-01-05)" in message
    assert "19 entities, 8 relationships; 0 entities changed status" in message
    search(qtbot, window, "Example Singapore")
    assert window.model.hits[0].name == "Example Singapore Pte. Ltd."
    assert "GLEIF golden copy 20260105-0800 (as of 2026-01-05)" in about_html(window.info)
    assert "19 entities, 8 relationships" in about_html(window.info)


def test_a_folder_of_gleif_files_imports_as_one_dataset(qtbot: Any, make_window: Any, sample_db: Path,
                                                        tmp_path: Path) -> None:
    write_golden_copy(tmp_path / "gc", ENTITIES, RELATIONSHIPS, EXCEPTIONS, "csv")
    window = make_window()
    with qtbot.waitSignal(window.importFinished, timeout=30000) as done:
        window.import_path(tmp_path / "gc")
    assert done.args == ["imported"]
    assert datasets_in(sample_db) == [("gleif", "20260105-0800"), ("sample", "1")]


def test_cancel_while_the_golden_copy_is_being_checked(qtbot: Any, make_window: Any, sample_db: Path,
                                                       tmp_path: Path) -> None:
    paths = write_golden_copy(tmp_path / "gc", ENTITIES, RELATIONSHIPS, EXCEPTIONS, "csv")
    inside, resume = threading.Event(), threading.Event()

    def held_import(ctx: Any, path: Any, progress: Any, cancelled: Any) -> importing.ImportSummary:
        def hold(phase: str, done: int, total: int) -> None:
            progress(phase, done, total)
            if phase.startswith("Checking") and not inside.is_set():
                inside.set()
                resume.wait(10)
        return importing.import_dataset(ctx, path, hold, cancelled)

    window = make_window(Backend(import_dataset=held_import))
    window.import_path(paths)
    qtbot.waitUntil(inside.is_set, timeout=10000)
    dialog = window.import_flow.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: "Checking" in dialog.labelText() and "records" in dialog.labelText())
    next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel").click()
    with qtbot.waitSignal(window.importFinished, timeout=15000) as done:
        resume.set()
    assert done.args == ["cancelled"]
    assert datasets_in(sample_db) == [("sample", "1")]


def test_progress_says_how_long_is_left(qtbot: Any, make_window: Any, tmp_path: Path) -> None:
    window = make_window()
    flow = window.import_flow
    flow.start(window.ctx, write_golden_copy(tmp_path / "gc", ENTITIES, RELATIONSHIPS, EXCEPTIONS, "csv"))
    dialog = flow.dialog
    assert dialog is not None
    flow._phase = ("Writing entities", 0.0, 0)  # pretend the phase began long ago: 1,000 records took ages
    flow._progress("Writing entities", 1_000, 3_000)
    assert "Writing entities… 1,000 of 3,000 records — about" in dialog.labelText()
    assert "left" in dialog.labelText()
    with qtbot.waitSignal(window.importFinished, timeout=30000):
        pass
    assert time_left(30) == "less than a minute left" and time_left(600) == "about 10 min left"
