"""The window at a small size, with long pastes, theme switches, imports and the datasets dialog."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app.ui.help_dialogs import about_html
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.status_look import LOOKS
from tests.ui.conftest import open_first, search
from tests.ui.test_import_dialog import version_two


def test_at_1024_by_700_the_graph_and_the_rationale_both_have_room(qtbot: Any, window: MainWindow) -> None:
    window.resize(1024, 700)
    open_first(qtbot, window, "tiktok.com")
    d = window.detail
    qtbot.waitUntil(lambda: d.graph.isVisible())
    assert window.width() <= 1024 and window.height() <= 700
    line = d.fontMetrics().height()
    assert d.why_scroll.viewport().height() >= 6 * line  # several lines of the rationale
    # The customer and its owner are both whole in the graph at a legible zoom.
    view = d.graph.viewport().rect()
    for entity_id in ("sample:ttpte", "sample:tt"):
        box = d.graph.mapFromScene(d.graph.boxes[entity_id].sceneBoundingRect()).boundingRect()
        assert view.contains(box), entity_id
    assert d.graph.zoom >= 0.75


def test_the_split_is_remembered(qtbot: Any, make_window: Any, settings: Any) -> None:
    first = make_window()
    first.detail.split.setSizes([100, 400])
    first.split.setSizes([300, 700])
    sizes, detail = first.split.sizes(), first.detail.split.sizes()
    first.close()
    second = make_window()
    assert second.split.sizes() == sizes
    assert second.detail.split.sizes() == detail


def test_a_long_paste_never_widens_the_window(qtbot: Any, window: MainWindow) -> None:
    window.resize(1000, 650)
    width = window.width()
    for text in ("x" * 3000, "Acme " * 600, "汉" * 3000):
        with qtbot.waitSignal(window.resultsShown, timeout=10000):
            window.search.setText(text)
        QApplication.processEvents()
        assert window.width() == width
        assert window.minimumSizeHint().width() <= width


def test_switching_the_theme_recolours_an_open_banner(qtbot: Any, window: MainWindow) -> None:
    open_first(qtbot, window, "tiktok.com")
    banner = window.detail.banner
    window.set_theme("light")
    assert LOOKS["restricted"].light_bg in banner.styleSheet()
    window.set_theme("dark")
    try:
        assert LOOKS["restricted"].dark_bg in banner.styleSheet()
        assert LOOKS["restricted"].light_bg not in banner.styleSheet()
        dark_base = QGuiApplication.palette().color(QGuiApplication.palette().ColorRole.Base)
        assert window.detail.graph.boxes["sample:ttpte"].palette.color(
            QGuiApplication.palette().ColorRole.Base) == dark_base
    finally:
        window.set_theme("light")
    assert LOOKS["restricted"].light_bg in banner.styleSheet()


def test_a_finished_import_confirms_what_changed(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    with qtbot.waitSignal(window.importFinished, timeout=15000):
        window.import_path(version_two(tmp_path / "v2"))
    box = window.import_flow.confirmation
    assert box is not None and box.isVisible()
    text = box.text()
    assert text.startswith("Replaced Constructed cases 1 (as of 2026-01-01) with version 2 (as of 2026-01-01).")
    assert "12 entities" in text and "(+1)" in text
    assert "Statuses:" in text
    box.close()


def test_datasets_are_listed_and_one_can_be_removed(qtbot: Any, window: MainWindow) -> None:
    open_first(qtbot, window, "tiktok.com")
    window.datasets_action.trigger()
    dialog = window.datasets_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 0).text() == "Constructed cases"
    assert dialog.table.item(0, 5).text() == "11"
    assert not dialog.remove_button.isEnabled()
    dialog.table.selectRow(0)
    assert dialog.remove_button.isEnabled()
    dialog.remove_button.click()
    assert dialog.confirm is not None and dialog.confirm.isVisible()
    with qtbot.waitSignal(window.datasetRemoved, timeout=15000) as removed:
        dialog.confirm.button(QMessageBox.StandardButton.Yes).click()
    assert removed.args == ["sample"]
    assert dialog.table.rowCount() == 0
    assert window.data_label.text() == "Data: none — File → Import dataset…"
    search(qtbot, window, "TikTok")
    assert window.model.rowCount() == 0


def test_about_counts_with_the_right_plural_and_states_the_reference_caveat() -> None:
    info = {"policy": {"id": "p", "version": "1", "sha256": "0" * 64}, "location": "db",
            "datasets": [{"id": "reference", "title": "Clearance reference data", "version": "1", "as_of": "2026-01-01",
                          "publisher": "Clearance", "license": "CC-BY-4.0", "entities": 1, "relationships": 2}]}
    text = about_html(info)
    assert "1 entity," in text and "2 relationships" in text and "1 entities" not in text
    assert "compiled from public reporting and is not authoritative" in text
