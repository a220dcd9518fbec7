"""Every model passes Qt's model tester, and its data() reads right without any view."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from desktop_app.domain.explanation import ChainNode, ChainOwner
from desktop_app.services import reporting
from desktop_app.services.context import open_context
from desktop_app.services.lookup import SearchHit
from desktop_app.ui import labels
from desktop_app.ui.chain_model import ENTITY_ID_ROLE, ChainTreeModel, build_tree
from desktop_app.ui.results_model import COUNTRY_ROLE, HIT_ROLE, MATCHED_ROLE, SHARE_ROLE, STATUS_ROLE, ResultsModel
from desktop_app.ui.sources_model import URL_ROLE, SourcesModel

HITS = (
    SearchHit("bd", "ByteDance Ltd.", "CN", "restricted", 100.0, 100.0, 97.0, "local", "字节跳动"),
    SearchHit("ttpte", "TikTok Pte. Ltd.", "SG", "restricted", 100.0, 100.0, 100.0, "domain", "tiktok.com"),
    SearchHit("as", "Alpine Sensors GmbH", "DE", "review", 0.0, 60.0, 91.5, "name", "Alpine Sensors GmbH"),
)


def node(entity_id: str, status: str = "eligible", owners: tuple[ChainOwner, ...] = (), depth: int = 0) -> ChainNode:
    return ChainNode(entity_id, entity_id.upper(), "company", "DE", "DE", status, 0.0, 0.0, owners,  # type: ignore[arg-type]
                     None, depth)


def owner(entity_id: str, low: float | None = 50.0, high: float | None = 50.0, kind: str = "ownership") -> ChainOwner:
    return ChainOwner(entity_id, kind, low, high, None, None)


def report_for(db: Path, entity_id: str) -> reporting.EntityReport:
    ctx = open_context(db=db, seed_reference=False)
    try:
        return reporting.entity_report(ctx, entity_id)
    finally:
        ctx.close()


def test_results_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = ResultsModel()
    model.set_hits(HITS)
    qtmodeltester.check(model)
    model.set_hits(())
    qtmodeltester.check(model)


def test_results_model_says_status_country_and_what_matched(qapp: Any) -> None:
    model = ResultsModel()
    model.set_hits(HITS)
    first, second, third = (model.index(r, 0) for r in range(3))
    assert model.rowCount() == 3
    assert first.data(Qt.ItemDataRole.DisplayRole) == "ByteDance Ltd."
    assert first.data(STATUS_ROLE) == "restricted"
    assert first.data(COUNTRY_ROLE) == "China (CN)"
    assert first.data(MATCHED_ROLE) == "local: 字节跳动"
    assert second.data(MATCHED_ROLE) == "domain: tiktok.com"
    assert third.data(MATCHED_ROLE) == "matched on its name"
    assert third.data(SHARE_ROLE) == "0–60%"
    assert third.data(HIT_ROLE) is HITS[2]
    # Screen readers hear the status as a word, never only a colour.
    assert third.data(Qt.ItemDataRole.AccessibleTextRole).startswith("REVIEW: Alpine Sensors GmbH")
    assert model.data(model.index(7, 0)) is None


def test_share_labels_show_exact_shares_and_ranges() -> None:
    assert labels.share_range(100.0, 100.0) == "100%"
    assert labels.share_range(0.0, 60.0) == "0–60%"
    assert labels.share_range(18.7, 18.7) == "18.7%"
    assert labels.edge(owner("x", None, None)) == "share unknown"
    assert labels.edge(owner("x", 10.0, 30.0, "voting")) == "10–30% voting"
    assert labels.edge(owner("x", kind="control")) == "controls"


def test_chain_model_passes_the_model_tester(qtmodeltester: Any, sample_db: Path) -> None:
    report = report_for(sample_db, "sample:ttpte")
    model = ChainTreeModel()
    model.set_chain(report.explanation.chain, report.entity_id)
    qtmodeltester.check(model)
    model.clear()
    qtmodeltester.check(model)


def test_chain_model_puts_each_owner_under_what_it_owns(qapp: Any, sample_db: Path) -> None:
    report = report_for(sample_db, "sample:ttpte")
    model = ChainTreeModel()
    model.set_chain(report.explanation.chain, report.entity_id)
    root = model.index(0, 0)
    assert root.data() == "TikTok Pte. Ltd."
    parent = model.index(0, 0, root)
    assert parent.data() == "TikTok Ltd."
    assert model.index(0, 1, root).data() == "100%"
    grandparent = model.index(0, 0, parent)
    assert grandparent.data() == "ByteDance Ltd."
    assert model.index(0, 2, parent).data() == "China (CN)"
    assert model.index(0, 3, parent).data() == "RESTRICTED (100%)"
    assert grandparent.data(ENTITY_ID_ROLE) == "sample:bd"
    assert model.rowCount(grandparent) == 0


def test_chain_tree_stops_at_a_cross_holding() -> None:
    # A and B own 60% of each other; C owns 30% of A. The tree must end, marking the repeat.
    chain = (node("t", owners=(owner("a"),)), node("a", owners=(owner("b", 60, 60), owner("c", 30, 30)), depth=1),
             node("b", owners=(owner("a", 60, 60),), depth=2), node("c", depth=2))
    root, truncated = build_tree(chain, "t")
    assert root is not None and not truncated
    a = root.children[0]
    b = a.children[0]
    assert [c.node.entity_id for c in a.children] == ["b", "c"]
    assert b.children[0].node.entity_id == "a" and b.children[0].repeated
    assert b.children[0].children == []


def test_chain_tree_is_capped(qapp: Any) -> None:
    owners = tuple(owner(f"o{i}", 1, 1) for i in range(50))
    chain = (node("t", owners=owners), *(node(f"o{i}", depth=1) for i in range(50)))
    root, truncated = build_tree(chain, "t", max_rows=10)
    assert root is not None and truncated and len(root.children) == 9


def test_sources_model_passes_the_model_tester_and_gives_addresses(qtmodeltester: Any, sample_db: Path) -> None:
    report = report_for(sample_db, "sample:ttpte")
    model = SourcesModel()
    model.set_sources(report.sources)
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    assert model.index(0, 0).data() == "Constructed"
    assert model.index(0, 2).data() == date(2026, 1, 1).isoformat()
    assert model.index(0, 0).data(URL_ROLE) == "https://example.org/cases"
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Address"
    assert model.rowCount(model.index(0, 0)) == 0
    assert not model.index(0, 0).parent().isValid()
    assert model.data(QModelIndex()) is None


def test_chain_rows_name_the_source_of_each_share(qapp: Any, sample_db: Path) -> None:
    report = report_for(sample_db, "sample:ttpte")
    model = ChainTreeModel()
    model.set_chain(report.explanation.chain, report.entity_id, {"sample:s1": "Constructed — Tests, 2026-01-01"})
    parent = model.index(0, 0, model.index(0, 0))
    tip = parent.data(Qt.ItemDataRole.ToolTipRole)
    assert "Holds 100% of TikTok Pte. Ltd." in tip
    assert "Source: Constructed — Tests, 2026-01-01" in tip


def test_graph_puts_deciding_owners_in_the_middle_above_the_owned() -> None:
    from desktop_app.ui.ownership_graph import centre_out, layered_layout

    assert centre_out(["a", "b", "c", "d", "e"]) == ["d", "b", "a", "c", "e"]
    owners = (owner("small", 1, 1), owner("big", 40, 40), owner("bad", 10, 10))
    chain = (node("t", owners=owners), node("small", depth=1), node("big", depth=1),
             node("bad", status="restricted", depth=1))
    pos = layered_layout(chain, "t", 100, 50)
    xs = sorted(("small", "big", "bad"), key=lambda e: pos[e].x())
    assert xs[1] == "bad"  # the restricted owner sits right above the company
    assert pos["bad"].x() == pos["t"].x()
    assert pos["bad"].y() < pos["t"].y()


def test_long_names_wrap_onto_two_lines_in_the_graph(qapp: Any) -> None:
    from PySide6.QtGui import QFont, QFontMetrics

    from desktop_app.ui.ownership_graph import name_lines

    fm = QFontMetrics(QFont())
    width = fm.horizontalAdvance("Beijing Automotive Group")
    assert name_lines("Acme AG", fm, width) == ["Acme AG"]
    lines = name_lines("Beijing Automotive Group Co., Ltd. and Friends of the Automotive Industry", fm, width)
    assert lines[0] == "Beijing Automotive Group" and len(lines) == 2 and lines[1].endswith("…")


def test_graph_draws_one_arrow_per_owner_labelled_with_every_relationship(qapp: Any) -> None:
    from desktop_app.ui.ownership_graph import OwnershipGraphView

    chain = (node("t", owners=(owner("p", 20, 22), owner("p", kind="control"))), node("p", depth=1))
    view = OwnershipGraphView()
    view.set_chain(chain, "t", {})
    assert view.edge_labels == ["20–22%, controls"]


def test_chain_tree_shows_an_owner_once_with_everything_it_holds() -> None:
    root, _ = build_tree((node("t", owners=(owner("p", 20, 22), owner("p", kind="control"))), node("p", depth=1)), "t")
    assert root is not None and len(root.children) == 1
    assert [v.kind for v in root.children[0].via] == ["ownership", "control"]
