"""Going back and forth, opening owners from the tree and the graph, Esc keeping the open company, persons."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from desktop_app.services import importing
from desktop_app.services.context import open_context
from desktop_app.ui.history import History
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.results_model import KIND_ROLE, SHARE_PHRASE_ROLE
from tests.conftest import make_dataset
from tests.ui.conftest import open_first, search


def find_row(model: Any, name: str, parent: QModelIndex | None = None) -> QModelIndex:
    parent = parent or QModelIndex()
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        if index.data() == name:
            return index
        found = find_row(model, name, index)
        if found.isValid():
            return found
    return QModelIndex()


def test_history_drops_the_forward_part_on_a_new_visit_and_keeps_recent_unique() -> None:
    h = History()
    for eid in ("a", "b", "c"):
        h.visit(eid, eid.upper())
    assert h.back() is not None and h.back() is not None
    assert h.current is not None and h.current.entity_id == "a"
    assert not h.visit("a", "A")  # going back to it is not a new visit
    h.visit("d", "D")
    assert not h.can_go_forward and h.can_go_back
    assert [v.entity_id for v in h.recent] == ["d", "a", "c", "b"]


def test_alt_left_and_alt_right_walk_through_the_opened_companies(qtbot: Any, window: MainWindow) -> None:
    assert not window.back_action.isEnabled() and not window.forward_action.isEnabled()
    open_first(qtbot, window, "tiktok.com")
    open_first(qtbot, window, "Nordic Music")
    assert window.back_action.isEnabled() and not window.forward_action.isEnabled()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    with qtbot.waitSignal(window.reportShown, timeout=5000) as shown:
        qtbot.keyClick(window.search, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert shown.args == ["sample:ttpte"]
    assert window.detail.name.text() == "TikTok Pte. Ltd."
    assert window.forward_action.isEnabled() and not window.back_action.isEnabled()
    with qtbot.waitSignal(window.reportShown, timeout=5000) as shown:
        qtbot.keyClick(window.search, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert shown.args == ["sample:nm"]
    assert not window.forward_action.isEnabled()
    # The recent lookups, most recent first, each once.
    assert [window.pane.recent_list.item(i).text() for i in range(window.pane.recent_list.count())] == [
        "Nordic Music AB", "TikTok Pte. Ltd."]
    assert [a.text() for a in window.navigator.recent_menu.actions()] == ["Nordic Music AB", "TikTok Pte. Ltd."]


def test_escape_clears_the_query_but_keeps_the_open_company(qtbot: Any, window: MainWindow) -> None:
    open_first(qtbot, window, "Alpine Sensors")
    with qtbot.waitSignal(window.resultsShown, timeout=5000):
        qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    assert window.search.text() == ""
    assert window.left.currentWidget() is window.hint_page
    assert window.right.currentWidget() is window.detail
    assert window.detail.name.text() == "Alpine Sensors GmbH"
    assert window.copy_action.isEnabled()
    # The hint page offers it again among the recent lookups.
    assert window.pane.recent_list.isVisible()
    item = window.pane.recent_list.item(0)
    assert item.text() == "Alpine Sensors GmbH"


def test_double_click_on_an_owner_in_the_tree_opens_it(qtbot: Any, window: MainWindow) -> None:
    open_first(qtbot, window, "tiktok.com")
    d = window.detail
    d.tabs.setCurrentWidget(d.tree)
    index = find_row(d.tree_model, "TikTok Ltd.")
    assert index.isValid() and d.tree.isExpanded(index)
    rect = d.tree.visualRect(index)
    with qtbot.waitSignal(window.reportShown, timeout=5000) as shown:
        # A real double-click is a press, a release, then the double-click: QTest sends only the last.
        qtbot.mouseClick(d.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(d.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert shown.args == ["sample:tt"]
    assert d.name.text() == "TikTok Ltd."
    # Enter on a selected owner opens it too.
    owner = find_row(d.tree_model, "ByteDance Ltd.")
    d.tree.setCurrentIndex(owner)
    d.tree.setFocus()
    with qtbot.waitSignal(window.reportShown, timeout=5000) as shown:
        qtbot.keyClick(d.tree, Qt.Key.Key_Return)
    assert shown.args == ["sample:bd"]
    with qtbot.waitSignal(window.reportShown, timeout=5000) as shown:
        window.back_action.trigger()
    assert shown.args == ["sample:tt"]


def test_double_click_on_a_box_in_the_graph_opens_it(qtbot: Any, window: MainWindow) -> None:
    open_first(qtbot, window, "tiktok.com")
    graph = window.detail.graph
    qtbot.waitUntil(lambda: graph.isVisible())
    box = graph.boxes["sample:bd"]
    graph.centerOn(box)
    pos = graph.mapFromScene(box.sceneBoundingRect().center())
    assert graph.viewport().rect().contains(pos)
    with qtbot.waitSignal(window.reportShown, timeout=5000) as shown:
        qtbot.mouseClick(graph.viewport(), Qt.MouseButton.LeftButton, pos=pos)
        qtbot.mouseDClick(graph.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert shown.args == ["sample:bd"]
    assert window.detail.banner.word.text() == "RESTRICTED"


def test_each_tree_row_names_its_source(qtbot: Any, window: MainWindow) -> None:
    open_first(qtbot, window, "tiktok.com")
    model = window.detail.tree_model
    assert model.headerData(4, Qt.Orientation.Horizontal) == "Source"
    owner = find_row(model, "TikTok Ltd.")
    assert model.index(owner.row(), 4, owner.parent()).data() == "Constructed, 2026-01-01"


def test_eligible_rows_do_not_read_as_restricted(qtbot: Any, window: MainWindow) -> None:
    search(qtbot, window, "Nordic Music")
    assert window.model.index(0, 0).data(SHARE_PHRASE_ROLE) == "no restricted owner above 18.7%"
    search(qtbot, window, "Acme Robotics")
    assert window.model.index(0, 0).data(SHARE_PHRASE_ROLE) in (
        "no restricted owner on file", "restricted 0–100%")
    search(qtbot, window, "tiktok.com")
    assert window.model.index(0, 0).data(SHARE_PHRASE_ROLE) == "restricted 100%"


def test_a_person_is_shown_as_an_owner_without_a_status(qtbot: Any, make_window: Any, tmp_path: Path) -> None:
    db = tmp_path / "people.db"
    ctx = open_context(db=db, seed_reference=False)
    try:
        importing.import_dataset(ctx, make_dataset(
            tmp_path / "people",
            [{"id": "p", "kind": "person", "name": "Erika Mustermann", "residence_country": "DE"},
             {"id": "k", "name": "Kleinwerk GmbH", "hq_country": "DE", "incorporation_country": "DE",
              "ownership": "complete"}],
            [{"owner_id": "p", "owned_id": "k", "share": 100}]))
    finally:
        ctx.close()
    window = make_window(db=db)
    search(qtbot, window, "Erika Mustermann")
    index = window.model.index(0, 0)
    assert index.data(KIND_ROLE) == "person"
    assert index.data(SHARE_PHRASE_ROLE) == ""
    assert "not a customer" in index.data(Qt.ItemDataRole.ToolTipRole)
    with qtbot.waitSignal(window.reportShown, timeout=5000):
        window.open_hit(window.model.hit(0))
    assert window.detail.banner.word.text() == "PERSON"
    assert "ELIGIBLE" not in window.detail.banner.accessibleDescription()
    assert window.detail.where.text().startswith("person, an owner in the data")
    # As an owner in a company's tree, a person has no status of its own.
    open_first(qtbot, window, "Kleinwerk")
    owner = find_row(window.detail.tree_model, "Erika Mustermann")
    assert window.detail.tree_model.index(owner.row(), 3, owner.parent()).data() == "owner (person)"


def test_recent_lookups_are_remembered_for_the_same_database(qtbot: Any, make_window: Any) -> None:
    first = make_window()
    open_first(qtbot, first, "Nordic Music")
    first.close()
    second = make_window()
    assert [a.text() for a in second.navigator.recent_menu.actions()] == ["Nordic Music AB"]
    item = second.pane.recent_list.item(0)
    with qtbot.waitSignal(second.reportShown, timeout=5000) as shown:
        second.pane.recent_list.itemActivated.emit(item)
    assert shown.args == ["sample:nm"]
