"""One entity's determination: status banner, rationale with policy clauses, key facts, chain, sources."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui import labels
from desktop_app.ui.chain_model import ChainTreeModel
from desktop_app.ui.ownership_graph import OwnershipGraphView
from desktop_app.ui.sources_model import URL_ROLE, SourcesModel
from desktop_app.ui.status_look import PERSON_LOOK, chip_colors, icon, look, status_icon

if TYPE_CHECKING:
    from desktop_app.services.reporting import EntityReport

COPY_SHORTCUT = QKeySequence("Ctrl+Shift+C")


def _wrapping_label(name: str, rich: bool = False) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction if rich
                                  else Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setOpenExternalLinks(rich)
    label.setAccessibleName(name)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


def _scaled_font(base: QFont, factor: float, bold: bool = True) -> QFont:
    font = QFont(base)
    font.setPointSizeF(base.pointSizeF() * factor)
    font.setBold(bold)
    return font


class StatusBanner(QFrame):
    """RESTRICTED / REVIEW / ELIGIBLE in large type, with its icon, meaning and restricted share."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBanner")
        self.setAccessibleName("Status")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.status = ""
        self.person = False
        self.icon = QLabel()
        self.icon.setAccessibleName("Status icon")
        self.word = QLabel()
        self.word.setObjectName("bannerStatus")
        self.word.setAccessibleName("Status word")
        self.share = QLabel()
        self.share.setObjectName("bannerShare")
        self.share.setAccessibleName("Restricted share")
        self.meaning = QLabel()
        self.meaning.setAccessibleName("What the status means")
        self.meaning.setWordWrap(True)
        text = QVBoxLayout()
        text.setSpacing(2)
        top = QHBoxLayout()
        top.addWidget(self.word)
        top.addSpacing(self.fontMetrics().height())
        top.addWidget(self.share, 0, Qt.AlignmentFlag.AlignBottom)
        top.addStretch(1)
        text.addLayout(top)
        text.addWidget(self.meaning)
        row = QHBoxLayout(self)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        self._apply_fonts()

    def _apply_fonts(self) -> None:
        self.word.setFont(_scaled_font(self.font(), 2.0))
        self.share.setFont(_scaled_font(self.font(), 1.25))
        side = int(self.fontMetrics().height() * 2.6)
        if self.status:
            shown = icon(PERSON_LOOK.icon_name) if self.person else status_icon(self.status)
            self.icon.setPixmap(shown.pixmap(QSize(side, side), self.devicePixelRatioF()))
        self.icon.setFixedSize(side, side)

    def set_person(self) -> None:
        """A person is an owner in the data, not a customer: no status of its own is shown."""
        self.status, self.person = "person", True
        self.word.setText(PERSON_LOOK.word)
        self.share.setText("an owner, not a customer")
        self.meaning.setText("Clearance decides whether a company may be served; a person appears as an owner of "
                             "companies. Look up the company you are selling to.")
        self.setAccessibleDescription(f"{PERSON_LOOK.word}: {self.meaning.text()}")
        self._apply_fonts()
        self._apply_colours()

    def set_status(self, status: str, low: float, high: float, to_find_out: tuple[str, ...] = ()) -> None:
        self.status, self.person = status, False
        lk = look(status)
        self.word.setText(lk.word)
        share = labels.share_range(low, high)
        self.share.setText(f"restricted share {share}")
        # A range matters to the reader only where it leaves the decision open; a restricted low bound settles it.
        undecided = (" The data can only bound the restricted share."
                     if abs(high - low) > 1e-9 and status != "restricted" else "")
        if to_find_out and status == "review":
            # What the salesperson (or compliance) must establish before the review can be settled.
            items = "; ".join(t.rstrip(".") for t in to_find_out[:3]) + ("; …" if len(to_find_out) > 3 else "")
            undecided = f" To find out: {items}."
        self.meaning.setText(lk.meaning + undecided)
        self.setAccessibleDescription(f"{lk.word}. Restricted share {share}. {lk.meaning}{undecided}")
        self._apply_fonts()
        self._apply_colours()

    def _apply_colours(self) -> None:
        if not self.status:
            return
        # The application palette decides light or dark: the style sheet below changes this widget's own.
        fg, bg = chip_colors(self.status, QGuiApplication.palette())
        accent = (PERSON_LOOK if self.person else look(self.status)).accent
        sheet = (f"QFrame#statusBanner {{ background: {bg.name()}; border: 2px solid {accent}; border-radius: 8px; }}"
                 f"QFrame#statusBanner QLabel {{ color: {fg.name()}; background: transparent; border: none; }}")
        if sheet != self.styleSheet():
            self.setStyleSheet(sheet)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_colours()
        elif event.type() == QEvent.Type.FontChange:
            self._apply_fonts()


class DetailView(QWidget):
    """Shows one EntityReport; emits copySummaryRequested for the window to put on the clipboard."""

    copySummaryRequested = Signal()
    ownerActivated = Signal(str, str)  # entity id, name: an owner in the tree or the graph to open
    recordRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Details of the selected company")
        self.report: EntityReport | None = None

        self.name = QLabel()
        self.name.setObjectName("entityName")
        self.name.setAccessibleName("Company name")
        self.name.setWordWrap(True)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name.setFont(_scaled_font(self.font(), 1.5))
        self.where = QLabel()
        self.where.setAccessibleName("Country")
        self.copy_button = QPushButton(icon("copy.svg"), "Copy summary")
        self.copy_button.setAccessibleName("Copy summary")
        self.copy_button.setToolTip(f"Copy a plain-text summary for a CRM note "
                                    f"({COPY_SHORTCUT.toString(QKeySequence.SequenceFormat.NativeText)})")
        self.copy_button.clicked.connect(self.copySummaryRequested)
        self.record_button = QPushButton("Record decision…")
        self.record_button.setObjectName("recordDecision")
        self.record_button.setToolTip("Keep a tamper-evident record of this determination (note, customer reference)")
        self.record_button.clicked.connect(self.recordRequested)
        head = QHBoxLayout()
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.name)
        names.addWidget(self.where)
        head.addLayout(names, 1)
        head.addWidget(self.record_button, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignTop)

        self.banner = StatusBanner()

        # Why: rationale steps, policy clauses, then the facts they rest on.
        self.rationale = _wrapping_label("Rationale", rich=True)
        self.rationale.setObjectName("rationale")
        self.clauses = _wrapping_label("Policy clauses", rich=True)
        self.clauses.setObjectName("clauses")
        self.paths = _wrapping_label("Ownership paths", rich=True)
        self.paths.setObjectName("paths")
        self.facts = QFormLayout()
        self.facts.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.facts.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.fact_labels: dict[str, QLabel] = {}
        for key, title in (("hq", "Headquarters"), ("inc", "Incorporated in"), ("lei", "LEI"),
                           ("website", "Website"), ("ids", "Identifiers"), ("names", "Also known as"),
                           ("data", "Data as of"), ("policy", "Policy")):
            value = _wrapping_label(title, rich=key == "website")
            value.setObjectName(f"fact_{key}")
            self.fact_labels[key] = value
            self.facts.addRow(f"{title}:", value)
        why = QWidget()
        why.setAccessibleName("Why")
        why_layout = QVBoxLayout(why)
        why_layout.addWidget(self._heading("Why"))
        why_layout.addWidget(self.rationale)
        why_layout.addWidget(self.clauses)
        why_layout.addWidget(self.paths)
        why_layout.addWidget(self._heading("Key facts"))
        why_layout.addLayout(self.facts)
        why_layout.addStretch(1)
        self.why_scroll = QScrollArea()
        self.why_scroll.setWidgetResizable(True)
        self.why_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.why_scroll.setWidget(why)
        self.why_scroll.setAccessibleName("Rationale and key facts")

        # Chain: graph and tree over the same explanation; sources one click away.
        self.graph = OwnershipGraphView()
        self.graph.setAccessibleName("Ownership graph")
        self.graph.entityActivated.connect(self._owner_activated)
        self.tree_model = ChainTreeModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setAccessibleName("Ownership tree")
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            self.tree.header().setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        self.tree.header().resizeSection(4, self.fontMetrics().averageCharWidth() * 24)
        # Double-click or Enter opens the owner (the arrow beside a row expands and collapses it).
        self.tree.setExpandsOnDoubleClick(False)
        self.tree.activated.connect(self._tree_activated)
        self.tree.setToolTip("Double-click an owner, or select it and press Enter, to open it")
        self.sources_model = SourcesModel(self)
        self.sources = QTableView()
        self.sources.setModel(self.sources_model)
        self.sources.setAccessibleName("Sources")
        self.sources.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.sources.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sources.verticalHeader().setVisible(False)
        self.sources.setWordWrap(False)
        header = self.sources.horizontalHeader()
        for col, mode in enumerate((QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.Interactive,
                                    QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch,
                                    QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(col, mode)
        header.resizeSection(1, self.fontMetrics().averageCharWidth() * 22)
        self.sources.activated.connect(self._open_source)
        sources_hint = QLabel("Every fact above rests on these sources. Double-click one, or select it and press "
                              "Enter, to open it in your browser.")
        sources_hint.setWordWrap(True)
        sources_hint.setAccessibleName("How to open a source")
        sources_page = QWidget()
        sources_layout = QVBoxLayout(sources_page)
        sources_layout.setContentsMargins(4, 4, 4, 4)
        sources_layout.addWidget(sources_hint)
        sources_layout.addWidget(self.sources, 1)
        self.sources_page = sources_page
        self.graph_caption = QLabel("Arrows point from owner to owned and carry the share held; each box shows "
                                    "that entity's status and restricted share. Double-click a box to open it; "
                                    "Ctrl+wheel or +/− zoom, drag pans.")
        self.graph_caption.setWordWrap(True)
        self.graph_caption.setAccessibleName("How to read the graph")
        graph_page = QWidget()
        graph_layout = QVBoxLayout(graph_page)
        graph_layout.setContentsMargins(4, 4, 4, 4)
        graph_layout.addWidget(self.graph_caption)
        graph_layout.addWidget(self.graph, 1)
        self.graph_page = graph_page
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Ownership and sources")
        self.tabs.addTab(graph_page, "Ownership graph")
        self.tabs.addTab(self.tree, "Ownership tree")
        self.tabs.addTab(sources_page, "Sources")

        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.setObjectName("detailSplit")
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(self.why_scroll)
        self.split.addWidget(self.tabs)
        self.split.setStretchFactor(0, 2)
        self.split.setStretchFactor(1, 3)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.banner)
        layout.addWidget(self.split, 1)
        self.setTabOrder(self.copy_button, self.why_scroll)
        self.setTabOrder(self.why_scroll, self.tabs)

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setFont(_scaled_font(self.font(), 1.1))
        label.setAccessibleName(text)
        return label

    def show_report(self, report: EntityReport) -> None:
        self.report = report
        ex = report.explanation
        self.name.setText(report.name)
        where = report.hq_country or report.incorporation_country or report.residence_country
        if report.kind == "person":
            self.where.setText("person, an owner in the data" + (f" · resident in {labels.country(where)}"
                                                                 if where else ""))
            self.banner.set_person()
        else:
            self.where.setText(labels.place(report.kind, where) if not where
                               else f"{labels.country(where)} · {report.kind.replace('_', ' ')}")
            self.banner.set_status(ex.status, ex.restricted_min, ex.restricted_max, ex.to_find_out)

        steps = "".join(f"<li>{html.escape(s)}</li>" for s in ex.steps)
        extra = [*ex.notes]
        if report.truncated:
            extra.append("The ownership chain is very large: only its nearest part is shown and explained here.")
        notes = "".join(f"<p><i>{html.escape(n)}</i></p>" for n in extra)
        self.rationale.setText((f"<ol style='margin-left:0'>{steps}</ol>" if steps else html.escape(ex.rationale))
                               + notes)
        if ex.rules:
            items = "".join(f"<li>{html.escape(r.clause or r.title)}</li>" for r in ex.rules)
            self.clauses.setText(f"<b>Policy clauses applied</b><ul>{items}</ul>")
        else:
            self.clauses.setText("")
        self.clauses.setVisible(bool(ex.rules))

        self.paths.setText(self._paths_html(report))
        self.paths.setVisible(bool(self.paths.text()))

        f = self.fact_labels
        person = report.kind == "person"
        home = report.residence_country if person else report.hq_country
        hq_title = self.facts.labelForField(f["hq"])
        if isinstance(hq_title, QLabel):
            hq_title.setText("Residence:" if person else "Headquarters:")
        f["hq"].setText(labels.country(home) if home else "not on file")
        f["inc"].setText(labels.country(report.incorporation_country) if report.incorporation_country
                         else "not on file")
        f["lei"].setText(report.lei or "none on file")
        if report.website:
            url = report.website if "://" in report.website else f"https://{report.website}"
            f["website"].setText(f"<a href='{html.escape(url, quote=True)}'>{html.escape(report.website)}</a>")
        else:
            f["website"].setText("none on file")
        ids = [f"{i.scheme}: {i.value}" for i in report.identifiers if i.scheme not in ("lei",)]
        f["ids"].setText("; ".join(ids) if ids else "none on file")
        names = [f"{n.name} ({n.type}{', ' + n.lang if n.lang else ''})" for n in report.names]
        f["names"].setText("; ".join(names) if names else "—")
        f["data"].setText("; ".join(f"{d.title} {d.version}, as of {d.as_of}" for d in report.datasets) or "—")
        f["policy"].setText(f"{ex.policy_id} (SHA-256 {ex.policy_sha256[:12]}…), ownership as of {ex.as_of}")

        titles = {s.key: f"{s.title} — {s.publisher}, {s.as_of.isoformat() if s.as_of else 'undated'}"
                  for s in report.sources}
        brief = {s.key: f"{s.title}, {s.as_of.isoformat() if s.as_of else 'undated'}" for s in report.sources}
        self.graph.set_chain(ex.chain, report.entity_id, titles)
        self.tree_model.set_chain(ex.chain, report.entity_id, titles, brief)
        self.tree.expandToDepth(2)
        self.sources_model.set_sources(report.sources)
        self.tabs.setTabText(2, f"Sources ({len(report.sources)})")
        self.why_scroll.verticalScrollBar().setValue(0)

    @staticmethod
    def _paths_html(report: EntityReport) -> str:
        """Each path from a restricted or review owner down to the company, with the share it carries in effect."""
        items = []
        for path in report.explanation.paths:
            hops = path.hops
            if len(hops) < 2 or hops[-1].status == "eligible":
                continue
            parts = [f"{html.escape(hops[-1].name)} ({look(hops[-1].status).word})"]
            for upper, lower in zip(reversed(hops[1:]), reversed(hops[:-1]), strict=True):
                parts.append(f"{labels.share_range(upper.share_min, upper.share_max)} → {html.escape(lower.name)}")
            effective = labels.share_range(path.effective_min, path.effective_max)
            items.append(f"<li>{' → '.join(parts)} — in effect <b>{effective}</b></li>")
        if not items:
            return ""
        return f"<b>Ownership paths from restricted or review owners</b><ul>{''.join(items)}</ul>"

    def clear(self) -> None:
        self.report = None
        self.graph.clear()
        self.tree_model.clear()
        self.sources_model.set_sources(())

    def _tree_activated(self, index: QModelIndex) -> None:
        item = self.tree_model.item(index)
        if item is not None:
            self._owner_activated(item.node.entity_id, item.node.name)

    def _owner_activated(self, entity_id: str, name: str) -> None:
        if self.report is not None and entity_id != self.report.entity_id:
            self.ownerActivated.emit(entity_id, name)

    def _open_source(self, index: QModelIndex) -> None:
        url = index.data(URL_ROLE)
        if url:
            QDesktopServices.openUrl(QUrl(url))
