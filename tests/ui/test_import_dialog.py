"""File → Import dataset…: progress, refusal with the problems listed, cancel leaving the database as it was."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QPushButton

from desktop_app.services import importing, info, lookup
from desktop_app.services.context import open_context
from desktop_app.ui.backend import Backend
from desktop_app.ui.import_flow import ProblemsDialog
from tests.conftest import ENTITY_COLS, write_csv
from tests.ui.conftest import search
from tests.ui.sample_data import ENTITIES, build_sample


def version_two(folder: Path) -> Path:
    """The sample dataset, version 2, with one company more."""
    path = build_sample(folder, version="2")
    rows = [*ENTITIES, {"id": "zn", "name": "Zeta Newco Ltd.", "hq_country": "GB", "incorporation_country": "GB"}]
    write_csv(path / "entities.csv", ENTITY_COLS,
              [[{"kind": "company", "status": "active", "source_id": "s1", **e}.get(c, "") for c in ENTITY_COLS]
               for e in rows])
    return path


def database_state(db: Path) -> tuple[list[tuple[str, str]], int, int]:
    ctx = open_context(db=db, seed_reference=False)
    try:
        data = info.database_info(ctx)
        found = len(lookup.search(ctx, "Zeta Newco").hits)
        return [(d["id"], d["version"]) for d in data["datasets"]], data["entities"], found
    finally:
        ctx.close()


def test_import_shows_progress_and_refreshes_the_window(qtbot: Any, make_window: Any, tmp_path: Path) -> None:
    window = make_window()
    window.import_path(version_two(tmp_path / "v2"))
    dialog = window.import_flow.dialog
    assert dialog is not None and dialog.isVisible()
    with qtbot.waitSignal(window.importFinished, timeout=15000) as done:
        pass
    assert done.args == ["imported"]
    assert window.import_flow.dialog is None
    assert "Constructed cases 2" in window.data_label.text()
    assert "Replaced Constructed cases 2" in window.statusBar().currentMessage()
    search(qtbot, window, "Zeta Newco")
    assert window.model.hits[0].name == "Zeta Newco Ltd."


def test_cancelled_import_leaves_the_database_unchanged(qtbot: Any, make_window: Any, sample_db: Path,
                                                       tmp_path: Path) -> None:
    before = database_state(sample_db)
    inside, resume = threading.Event(), threading.Event()

    def held_import(ctx: Any, path: Path, progress: Any, cancelled: Any) -> importing.ImportSummary:
        def hold(phase: str, done: int, total: int) -> None:
            progress(phase, done, total)
            if phase.startswith("Merging"):  # the new rows are written, the transaction still open
                inside.set()
                resume.wait(10)
        return importing.import_dataset(ctx, path, hold, cancelled)

    window = make_window(Backend(import_dataset=held_import))
    window.import_path(version_two(tmp_path / "v2"))
    qtbot.waitUntil(inside.is_set, timeout=10000)
    dialog = window.import_flow.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: "Merging entities" in dialog.labelText())  # progress reaches the dialog
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel")
    cancel.click()
    assert window.import_flow.cancelling
    assert "Cancelling" in dialog.labelText()
    with qtbot.waitSignal(window.importFinished, timeout=15000) as done:
        resume.set()
    assert done.args == ["cancelled"]
    assert "the database is unchanged" in window.statusBar().currentMessage()
    assert database_state(sample_db) == before == ([("sample", "1")], 11, 0)
    search(qtbot, window, "TikTok")  # the window goes on working
    assert window.model.rowCount() >= 2


def test_refused_dataset_lists_its_problems(qtbot: Any, make_window: Any, sample_db: Path, tmp_path: Path) -> None:
    before = database_state(sample_db)
    bad = build_sample(tmp_path / "bad", version="3")
    (bad / "entities.csv").write_text(
        "id,kind,name,hq_country,incorporation_country,residence_country,status,ownership,lei,website,source_id\n"
        "x1,company,Broken Co,XX,,,active,,,,s1\n"
        "x2,spaceship,Odd Co,DE,,,active,,,,s1\n", encoding="utf-8")
    window = make_window()
    with qtbot.waitSignal(window.importFinished, timeout=15000) as done:
        window.import_path(bad)
    assert done.args == ["failed"]
    dialog = window.import_flow.problems
    assert isinstance(dialog, ProblemsDialog) and dialog.isVisible()
    listed = dialog.problems.toPlainText()
    assert "entities.csv" in listed and "XX" in listed
    assert len(listed.splitlines()) >= 2
    dialog.close()
    assert database_state(sample_db) == before
