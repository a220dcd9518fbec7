"""The window as a salesperson uses it: type, see statuses, open a result, read why, copy a summary."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication

from desktop_app.services import lookup
from desktop_app.ui.backend import Backend
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.results_model import MATCHED_ROLE, POSSIBLE_ROLE, STATUS_ROLE
from tests.ui.conftest import open_first, search


def statuses(window: MainWindow) -> list[str]:
    return [window.model.index(r, 0).data(STATUS_ROLE) for r in range(window.model.rowCount())]


def test_search_field_has_focus_on_start(window: MainWindow) -> None:
    assert window.search.hasFocus() or QGuiApplication.focusObject() is window.search


def test_typing_shows_results_with_statuses(qtbot: Any, window: MainWindow) -> None:
    search(qtbot, window, "TikTok")
    names = [h.name for h in window.model.hits]
    assert "TikTok Pte. Ltd." in names and "TikTok Ltd." in names
    assert set(statuses(window)) == {"restricted"}
    assert window.left.currentWidget() is window.results_page


def test_results_say_what_matched(qtbot: Any, window: MainWindow) -> None:
    search(qtbot, window, "tiktok.com")
    assert window.model.index(0, 0).data(MATCHED_ROLE) == "domain: tiktok.com"
    search(qtbot, window, "字节跳动")
    assert window.model.hits[0].name == "ByteDance Ltd."
    assert "字节跳动" in window.model.index(0, 0).data(MATCHED_ROLE)


def test_typing_fast_runs_one_search(qtbot: Any, make_window: Any) -> None:
    calls: list[str] = []

    def counting(ctx: Any, text: str) -> lookup.SearchResult:
        calls.append(text)
        return lookup.search(ctx, text)

    window = make_window(Backend(search=counting))
    search(qtbot, window, "Nordic Music")
    assert calls == ["Nordic Music"]


def test_nothing_found_says_not_on_file_and_shows_no_status(qtbot: Any, window: MainWindow) -> None:
    open_first(qtbot, window, "Alpine Sensors")
    search(qtbot, window, "Zyxwv Imaginary Trading")
    assert window.left.currentWidget() is window.nf_page
    text = window.not_found.text()
    assert "Not on file is not eligible" in text and "establish" in text
    assert not any(word in text for word in ("RESTRICTED", "REVIEW", "ELIGIBLE"))
    # The company opened before must not read as the answer to the new query.
    assert window.right.currentWidget() is window.placeholder
    assert not window.copy_action.isEnabled()


def test_arrow_keys_move_through_results_and_enter_opens(qtbot: Any, window: MainWindow) -> None:
    search(qtbot, window, "TikTok")
    assert window.results.currentIndex().row() == 0
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    assert window.results.currentIndex().row() == 1
    assert window.search.hasFocus() or QGuiApplication.focusObject() is window.search
    qtbot.keyClick(window.search, Qt.Key.Key_Up)
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    chosen = window.model.hit(1)
    assert chosen is not None
    with qtbot.waitSignal(window.reportShown, timeout=5000) as shown:
        qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert shown.args == [chosen.entity_id]
    assert window.detail.name.text() == chosen.name


def test_enter_before_the_results_arrive_opens_the_best(qtbot: Any, window: MainWindow) -> None:
    window.search.clear()
    qtbot.keyClicks(window.search, "tiktok.com")
    with qtbot.waitSignal(window.reportShown, timeout=5000) as shown:
        qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert shown.args == ["sample:ttpte"]


def test_click_opens_a_result(qtbot: Any, window: MainWindow) -> None:
    search(qtbot, window, "Nordic")
    rect = window.results.visualRect(window.model.index(0, 0))
    with qtbot.waitSignal(window.reportShown, timeout=5000):
        qtbot.mouseClick(window.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.detail.banner.word.text() == "ELIGIBLE"


def test_escape_clears_and_ctrl_k_returns_to_search(qtbot: Any, window: MainWindow) -> None:
    search(qtbot, window, "TikTok")
    window.results.setFocus()
    qtbot.keyClick(window.results, Qt.Key.Key_Escape)
    assert window.search.hasFocus() or QGuiApplication.focusObject() is window.search
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    assert window.search.text() == ""
    assert window.left.currentWidget() is window.hint_page
    window.results.setFocus()
    window.find_action.trigger()
    assert QGuiApplication.focusObject() is window.search
    assert [s.toString() for s in window.find_action.shortcuts()] == ["Ctrl+K", "Ctrl+F"]


def test_restricted_result_shows_banner_rationale_tree_and_graph(qtbot: Any, window: MainWindow) -> None:
    open_first(qtbot, window, "tiktok.com")
    d = window.detail
    assert window.right.currentWidget() is d
    assert d.banner.word.text() == "RESTRICTED"
    assert "100%" in d.banner.share.text()
    rationale = d.rationale.text()
    assert "ByteDance Ltd. is headquartered in China (CN)" in rationale
    assert "[§2]" in rationale
    assert "§1 Entities headquartered in China" in d.clauses.text()
    assert d.fact_labels["hq"].text() == "Singapore (SG)"
    assert d.fact_labels["lei"].text() == "5493001KJTIIGC8Y1R12"
    assert "as of 2026-01-01" in d.fact_labels["data"].text()
    root = d.tree_model.index(0, 0)
    assert root.data() == "TikTok Pte. Ltd."
    assert d.tree.isExpanded(root)
    assert set(d.graph.boxes) == {"sample:ttpte", "sample:tt", "sample:bd"}
    assert d.graph.edge_labels == ["100%", "100%"]
    assert d.sources_model.rowCount() == 1
    assert d.tabs.tabText(2) == "Sources (1)"


def test_review_result_shows_the_range(qtbot: Any, window: MainWindow) -> None:
    open_first(qtbot, window, "Alpine Sensors")
    d = window.detail
    assert d.banner.word.text() == "REVIEW"
    assert "0–60%" in d.banner.share.text()
    assert "not known" in d.rationale.text()
    assert "To find out: The share Shenzhen Optics Co., Ltd. holds in Alpine Sensors GmbH" in d.banner.meaning.text()
    assert sorted(d.graph.edge_labels) == ["40%", "share unknown"]


def test_company_with_nothing_on_file_is_review_and_the_banner_says_what_to_find_out(
    qtbot: Any, window: MainWindow
) -> None:
    open_first(qtbot, window, "Acme Robotics")
    d = window.detail
    assert d.banner.word.text() == "REVIEW"
    assert "0–100%" in d.banner.share.text()
    assert "To find out: Who owns Acme Robotics Inc." in d.banner.meaning.text()
    assert "No owner of Acme Robotics Inc. is on file: its ownership must be established before selling" in (
        d.rationale.text()
    )


def test_eligible_result_explains_itself(qtbot: Any, window: MainWindow) -> None:
    open_first(qtbot, window, "Nordic Music")
    d = window.detail
    assert d.banner.word.text() == "ELIGIBLE"
    assert "18.7%" in d.banner.share.text()
    assert "Tencent Holdings Ltd. (CN) holds 18.7%" in d.rationale.text()


def test_graph_zooms_and_fits(qtbot: Any, window: MainWindow) -> None:
    open_first(qtbot, window, "Alpine Sensors")
    graph = window.detail.graph
    before = graph.zoom
    window.zoom_in_action.trigger()
    assert graph.zoom > before
    qtbot.keyClick(graph, Qt.Key.Key_Minus)
    qtbot.keyClick(graph, Qt.Key.Key_Minus)
    assert graph.zoom < before
    window.fit_action.trigger()
    assert graph.zoom == before


def test_copy_summary_puts_the_report_on_the_clipboard(qtbot: Any, window: MainWindow) -> None:
    QGuiApplication.clipboard().clear()
    open_first(qtbot, window, "Alpine Sensors")
    window.detail.copy_button.click()
    text = QGuiApplication.clipboard().text()
    assert text.startswith("Clearance check — Alpine Sensors GmbH")
    assert "Status: REVIEW" in text and "unsupported-regions" in text
    QGuiApplication.clipboard().clear()
    window.copy_action.trigger()
    assert QGuiApplication.clipboard().text() == text
    assert window.copy_action.shortcut().toString() == "Ctrl+Shift+C"


def test_status_bar_names_data_policy_and_staleness(window: MainWindow) -> None:
    assert "Constructed cases 1 (as of 2026-01-01)" in window.data_label.text()
    assert window.policy_label.text().startswith("Policy: unsupported-regions")
    # The sample data is dated 2026-01-01, older than the policy's 180 days.
    assert window.stale_label.isVisible()
    assert "older than 180 days" in window.stale_label.text()
    assert "Constructed cases (as of 2026-01-01)" in window.stale_label.toolTip()


def test_window_keeps_processing_events_while_a_slow_search_runs(qtbot: Any, make_window: Any) -> None:
    started, release = threading.Event(), threading.Event()
    calls: list[str] = []

    def slow(ctx: Any, text: str) -> lookup.SearchResult:
        calls.append(text)
        if len(calls) == 1:
            started.set()
            release.wait(10)
        return lookup.search(ctx, text)

    window = make_window(Backend(search=slow))
    shown: list[int] = []
    window.resultsShown.connect(shown.append)
    qtbot.keyClicks(window.search, "Tik")
    qtbot.waitUntil(started.is_set)
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.waitUntil(lambda: len(ticks) >= 5)  # the GUI thread runs timers while the search is stuck
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Searching…")
    qtbot.keyClicks(window.search, "Tok Pte")  # and takes keystrokes
    assert window.search.text() == "TikTok Pte"
    qtbot.wait(0)
    with qtbot.waitSignal(window.resultsShown, timeout=5000):
        release.set()
    timer.stop()
    assert shown == [len(window.model.hits)]  # the superseded answer for "Tik" was never shown
    assert window.statusBar().currentMessage() == ""
    assert calls == ["Tik", "TikTok Pte"]
    assert window.model.hits[0].name == "TikTok Pte. Ltd."


def test_window_geometry_is_kept(qtbot: Any, make_window: Any, settings: Any) -> None:
    first = make_window()
    first.resize(700, 500)
    first.close()
    assert settings.value("window/geometry") is not None
    second = make_window()
    assert (second.width(), second.height()) == (700, 500)


def test_dark_appearance_is_remembered(qtbot: Any, make_window: Any, settings: Any) -> None:
    window = make_window()
    window.theme_actions["dark"].trigger()
    assert QGuiApplication.palette().color(QGuiApplication.palette().ColorRole.Window).lightness() < 128
    window.close()
    second = make_window()
    assert second.theme_actions["dark"].isChecked()
    second.set_theme("light")


def test_every_control_has_an_accessible_name(qtbot: Any, window: MainWindow) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QLineEdit, QTabWidget

    open_first(qtbot, window, "tiktok.com")
    controls = [w for cls in (QLineEdit, QAbstractButton, QAbstractItemView, QTabWidget)
                for w in window.findChildren(cls) if w.isVisible()]
    assert controls
    unnamed = [f"{type(w).__name__} {w.objectName()!r}" for w in controls
               if not w.accessibleName() and not (isinstance(w, QAbstractButton) and w.text())]
    assert unnamed == []


def test_missing_database_directory_reports_a_failure(qtbot: Any, tmp_path: Path, settings: Any) -> None:
    bad = tmp_path / "not-a-db.db"
    bad.write_text("this is not SQLite", encoding="utf-8")
    window = MainWindow(db=str(bad), seed=False, settings=settings)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.openFailed, timeout=10000):
        window.start()
    assert window.ctx is None
    assert window.data_label.text() == "No database"


def test_ctrl_wheel_zooms_the_graph(qtbot: Any, window: MainWindow) -> None:
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    open_first(qtbot, window, "tiktok.com")
    graph = window.detail.graph
    before = graph.zoom
    centre = QPointF(graph.viewport().rect().center())
    event = QWheelEvent(centre, graph.viewport().mapToGlobal(centre), QPoint(), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase,
                        False)
    QApplication.sendEvent(graph.viewport(), event)
    assert graph.zoom > before


def test_tab_moves_from_search_to_results_to_the_detail(qtbot: Any, window: MainWindow) -> None:
    open_first(qtbot, window, "tiktok.com")
    window.search.setFocus()
    qtbot.keyClick(window.search, Qt.Key.Key_Tab)
    assert QGuiApplication.focusObject() is window.results
    qtbot.keyClick(window.results, Qt.Key.Key_Tab)
    assert QGuiApplication.focusObject() is window.detail.copy_button


def test_typing_in_the_result_list_goes_on_in_the_search_field(qtbot: Any, window: MainWindow) -> None:
    search(qtbot, window, "Tik")
    window.results.setFocus()
    with qtbot.waitSignal(window.resultsShown, timeout=5000):
        qtbot.keyClicks(window.results, "Tok")
    assert window.search.text() == "TikTok"
    assert QGuiApplication.focusObject() is window.search


def test_detail_lists_the_paths_from_restricted_owners(qtbot: Any, window: MainWindow) -> None:
    open_first(qtbot, window, "tiktok.com")
    text = window.detail.paths.text()
    assert "ByteDance Ltd. (RESTRICTED) → 100% → TikTok Ltd. → 100% → TikTok Pte. Ltd." in text
    assert "in effect <b>100%</b>" in text
    open_first(qtbot, window, "Acme Robotics")
    assert window.detail.paths.isHidden()


def test_another_database_can_be_opened_and_is_remembered(qtbot: Any, window: MainWindow, settings: Any,
                                                          tmp_path: Path) -> None:
    from desktop_app.services import importing
    from desktop_app.services.context import open_context
    from tests.ui.sample_data import build_sample

    other = tmp_path / "other.db"
    ctx = open_context(db=other, seed_reference=False)
    importing.import_dataset(ctx, build_sample(tmp_path / "v7", version="7"))
    ctx.close()
    open_first(qtbot, window, "tiktok.com")
    with qtbot.waitSignal(window.ready, timeout=10000):
        window.switch_database(str(other))
    assert "Constructed cases 7" in window.data_label.text()
    assert settings.value("data/location") == str(other)
    assert window.right.currentWidget() is window.placeholder
    search(qtbot, window, "Nordic")
    assert window.model.hits[0].name == "Nordic Music AB"


def test_a_possible_match_is_listed_but_never_selected_or_opened(qtbot: Any, window: MainWindow) -> None:
    # "Acme Robotics Inc." shares the word "Acme" with "Acme Robots", but it is not the same name
    search(qtbot, window, "Acme Robots")
    assert [h.entity_id for h in window.model.hits] == ["sample:acme"]
    assert window.model.index(0, 0).data(POSSIBLE_ROLE) is True
    assert "Possible match — not the same name; check before relying on it" in window.pane.weak_note.text()
    assert window.pane.weak_note.isVisibleTo(window)
    assert not window.results.currentIndex().isValid()
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    # opening a company says "Loading …" at once, before the report arrives
    assert window.detail.report is None and "Loading" not in window.placeholder.text()
    # Enter pressed before the answer arrives opens nothing either
    window.search.clear()
    with qtbot.waitSignal(window.resultsShown, timeout=5000):
        qtbot.keyClicks(window.search, "Acme Robots")
        qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert window.detail.report is None and "Loading" not in window.placeholder.text()
    assert window.right.currentWidget() is window.placeholder


def test_the_match_is_selected_and_not_marked_possible(qtbot: Any, window: MainWindow) -> None:
    search(qtbot, window, "Acme Robotics")
    assert window.model.index(0, 0).data(POSSIBLE_ROLE) is False
    assert window.results.currentIndex().row() == 0
    assert not window.pane.weak_note.isVisibleTo(window)
