"""Screen a list in the window: columns, progress, cancel, the results table, click-through, export, drops."""

from __future__ import annotations

import csv
import threading
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent

from desktop_app.ui import screening_window
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.screening_model import ROW_ROLE

STOP_AT = 50


def write_list(path: Path, rows: int = 200) -> Path:
    cycle = [("TikTok Pte. Ltd.", "", "SG"), ("Nordic Music AB", "", "SE"), ("", "ops@tiktok.com", ""),
             ("Quixotic Zebra Upholstery {i}", "", "DE"), ("=cmd|' /C calc'!A0", "", "")]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["Company", "Contact e-mail", "Country"])
        for i in range(rows):
            name, mail, country = cycle[i % len(cycle)]
            w.writerow([name.format(i=i), mail, country])
    return path


def pick_columns(qtbot: Any, w: screening_window.ScreeningWindow) -> None:
    qtbot.waitUntil(lambda: w.picker is not None and w.picker.isVisible(), timeout=10000)
    picker = w.picker
    assert picker is not None
    # found by their headers
    assert [picker.combos[r].currentText() for r in ("name", "domain", "email", "country")] == [
        "Company", screening_window.NONE_CHOICE, "Contact e-mail", "Country"]
    picker.choose("country", "Country")
    qtbot.mouseClick(picker.start_button, Qt.MouseButton.LeftButton)


@pytest.fixture
def gated(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """Holds the screening after STOP_AT rows until the test lets it go on (no sleeping, no races)."""
    reached, release = threading.Event(), threading.Event()
    real = screening_window._screen

    def screen(ctx: Any, table: Any, columns: Any, progress: Any, cancelled: Any) -> Any:
        def report(what: str, done: int, total: int) -> None:
            progress(what, done, total)
            if done == STOP_AT:
                reached.set()
                release.wait(30)
        return real(ctx, table, columns, report, cancelled)

    monkeypatch.setattr(screening_window, "_screen", screen)
    return reached, release


def test_screening_200_rows_cancel_keeps_what_was_done_and_exports_it(
        qtbot: Any, window: MainWindow, tmp_path: Path, gated: tuple[threading.Event, threading.Event]) -> None:
    reached, release = gated
    leads = write_list(tmp_path / "leads.csv")
    window.screen_action.trigger()
    w = window.screening.window
    assert w is not None and w.isVisible()
    w.open_path(leads)
    pick_columns(qtbot, w)
    with qtbot.waitSignal(w.finished, timeout=30000) as finished:
        qtbot.waitUntil(reached.is_set, timeout=20000)
        assert w.pages.currentWidget() is w.progress_page
        qtbot.waitUntil(lambda: w.progress.value() > 0)
        assert " of 200 rows screened — " in w.progress_label.text() and "left" in w.progress_label.text()
        qtbot.mouseClick(w.cancel_button, Qt.MouseButton.LeftButton)
        release.set()
    assert finished.args == ["cancelled"]
    assert w.pages.currentWidget() is w.results_page
    assert w.model.rowCount() == STOP_AT
    assert "Cancelled" in w.summary.text() and f"after {STOP_AT} of 200 rows" in w.summary.text()

    target = tmp_path / "partial.xlsx"
    with qtbot.waitSignal(w.exported, timeout=10000):
        w.export_to(target)
    rows = [[c.value for c in r] for r in load_workbook(target).active.iter_rows()]  # type: ignore[union-attr]
    assert len(rows) == STOP_AT + 1 and rows[0][:4] == ["Company", "Contact e-mail", "Country", "result"]
    assert rows[5][0] == "'=cmd|' /C calc'!A0"  # line 6 of the list, neutralised


def test_a_whole_list_is_sortable_filterable_and_opens_a_company(
        qtbot: Any, qtmodeltester: Any, window: MainWindow, tmp_path: Path) -> None:
    leads = write_list(tmp_path / "leads.csv", rows=200)
    w = window.screening.show()
    w.open_path(leads)
    pick_columns(qtbot, w)
    with qtbot.waitSignal(w.finished, timeout=60000) as finished:
        pass
    assert finished.args == ["done"]
    assert w.model.rowCount() == 200
    qtmodeltester.check(w.model)
    # 40 each: TikTok Pte. (restricted), e-mail at tiktok.com (restricted), Nordic Music (eligible) …
    assert w.filter_buttons["restricted"].text() == "Restricted  80"
    assert w.filter_buttons["eligible"].text() == "Eligible  40"
    assert w.filter_buttons["not on file"].text() == "Not on file  80"

    # only the leads with no status: nothing among them shows a status chip
    for key, button in w.filter_buttons.items():
        button.setChecked(key in ("possible match", "not on file"))
    assert w.proxy.rowCount() == 80
    keys = {w.proxy.index(r, 3).data(screening_window.KEY_ROLE) for r in range(w.proxy.rowCount())}
    assert keys == {"not on file"}
    for button in w.filter_buttons.values():
        button.setChecked(True)
    w.filter_edit.setText("nordic")
    assert w.proxy.rowCount() == 40
    w.filter_edit.clear()

    w.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)  # by status: restricted first
    first = w.proxy.index(0, 0).data(ROW_ROLE)
    last = w.proxy.index(199, 0).data(ROW_ROLE)
    assert first.status == "restricted" and last.verdict == "not on file"

    row = next(r for r in range(200) if w.proxy.index(r, 0).data(ROW_ROLE).status == "eligible")
    with qtbot.waitSignal(window.reportShown, timeout=10000) as shown:
        w.table.doubleClicked.emit(w.proxy.index(row, 1))
    assert shown.args == ["sample:nm"]
    assert window.detail.report is not None and window.detail.report.name == "Nordic Music AB"

    with qtbot.waitSignal(w.exported, timeout=10000):
        w.export_to(tmp_path / "all.csv")
    with (tmp_path / "all.csv").open(encoding="utf-8-sig", newline="") as fh:
        out = list(csv.reader(fh))
    assert len(out) == 201 and out[5][0].startswith("'=cmd")


def test_a_list_dropped_on_the_window_is_screened(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    leads = write_list(tmp_path / "dropped.csv", rows=10)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(leads))])
    enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)
    w = window.screening.window
    assert w is not None and w.isVisible()
    pick_columns(qtbot, w)
    qtbot.waitUntil(lambda: w.model.rowCount() == 10, timeout=20000)


def test_pasted_lines_are_screened_without_a_column_picker(qtbot: Any, window: MainWindow) -> None:
    w = window.screening.show()
    w.paste_box.setPlainText("TikTok Pte. Ltd.\nQuixotic Zebra Upholstery\n")
    with qtbot.waitSignal(w.finished, timeout=20000):
        qtbot.mouseClick(w.paste_button, Qt.MouseButton.LeftButton)
    assert w.picker is None
    assert [w.model.rows[i].status_label for i in range(2)] == ["restricted", "not on file"]
