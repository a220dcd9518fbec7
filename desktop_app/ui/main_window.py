"""The main window: search on top, results on the left, the selected company's determination on the right.

Every database call runs on the one database lane; the GUI thread only renders answers. A newer
keystroke supersedes an older search (generation counter), and answers to superseded searches or
reports are dropped.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QFrame,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui import theme
from desktop_app.ui.backend import SEARCH_LIMIT, Backend, Opened
from desktop_app.ui.detail_view import COPY_SHORTCUT, DetailView
from desktop_app.ui.help_dialogs import AboutDialog, ShortcutsDialog
from desktop_app.ui.import_flow import ImportFlow, choose_dataset
from desktop_app.ui.result_delegate import ResultDelegate
from desktop_app.ui.results_model import HIT_ROLE, POSSIBLE_TEXT, ResultsModel
from desktop_app.ui.search_widgets import ResultsList, SearchField
from desktop_app.ui.status_legend import StatusLegend
from desktop_app.ui.status_look import icon, icon_path
from desktop_app.ui.tasks import Lane

if TYPE_CHECKING:
    from desktop_app.services.context import AppContext
    from desktop_app.services.lookup import SearchHit, SearchResult
    from desktop_app.services.reporting import EntityReport

DEBOUNCE_MS = 100

NOT_ON_FILE_TITLE = "Not in the data"
PLACEHOLDER = "Open a result (Enter or click) to see its status, ownership chain and why."
WELCOME = ("Type a company's name, web domain, e-mail address or LEI above.\n\n"
           "A company that is not in the data gets no status: not on file is not eligible — "
           "establish its ownership before selling.")
NOT_ON_FILE_RULE = "Not on file is not eligible: establish the company's ownership before selling."
NOT_ON_FILE_HINT = "Check the spelling, or try its web domain, an e-mail address or its LEI."


def match_note(result: SearchResult) -> str:
    """What the list says above its rows: possible matches only, or a name shared within one group."""
    match, group = result.match, result.decision.group if result.decision else None
    if match is None:
        return f"{POSSIBLE_TEXT}. Not on file is not eligible."
    if group is not None:
        return (f"“{group.shared}” is shared by {group.entities} entities of one group; "
                f"the group's parent, {match.name}, is the match.")
    return ""


class MainWindow(QMainWindow):
    ready = Signal()  # the database is open and searches run
    openFailed = Signal(str)
    resultsShown = Signal(int)  # number of hits now in the list (0: the not-on-file message)
    reportShown = Signal(str)  # entity id now in the detail view
    importFinished = Signal(str)  # imported | cancelled | failed

    def __init__(
        self,
        backend: Backend | None = None,
        db: str | None = None,
        policy: str | None = None,
        seed: bool | None = None,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__()
        self.backend = backend or Backend()
        self.settings = settings
        self._open_args = (db, policy, seed)
        self.ctx: AppContext | None = None
        self.info: dict[str, Any] | None = None
        self.lane = Lane(self)
        self._search_gen = 0
        self._report_gen = 0
        self._shown_query = ""
        self._open_after_search: int | None = None
        self._closing = False
        self.startup_dialog: QProgressDialog | None = None
        self.theme_mode = "system"

        self.setWindowTitle("Clearance")
        self.setWindowIcon(icon("app.svg"))
        self.setAccessibleName("Clearance")

        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self._search_now)
        # Says "Searching…" only when an answer is slow (a busy shared database), never on every keystroke.
        self.busy = QTimer(self)
        self.busy.setSingleShot(True)
        self.busy.setInterval(400)
        self.busy.timeout.connect(lambda: self.statusBar().showMessage("Searching…"))

        self._build_widgets()
        self._build_menus()
        self._build_status_bar()
        self.import_flow = ImportFlow(self.lane, self.backend, self)
        self.import_flow.finished.connect(self._import_finished)
        self.import_flow.described.connect(self._set_info)
        self._restore_settings()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)

    # --- construction -------------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.search = SearchField()
        self.search.setObjectName("search")
        self.search.setAccessibleName("Search")
        self.search.setAccessibleDescription("Type a company name, web domain, e-mail address or LEI")
        self.search.setPlaceholderText("Company name, web domain, e-mail address or LEI   (Ctrl+K)")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search.svg"), QLineEdit.ActionPosition.LeadingPosition)
        for button in self.search.findChildren(QToolButton):
            action = button.defaultAction()
            clears = action is not None and "clear" in action.objectName().lower()
            button.setAccessibleName("Clear the search" if clears else "Search")
        self.search.setMaxLength(10_000)
        big = self.search.font()
        big.setPointSizeF(big.pointSizeF() * 1.3)
        self.search.setFont(big)
        self.search.textChanged.connect(self._text_changed)
        self.search.moved.connect(self._move_selection)
        self.search.accepted.connect(self._accept)

        self.model = ResultsModel(self)
        self.results = ResultsList()
        self.results.setObjectName("results")
        self.results.setModel(self.model)
        self.results.setItemDelegate(ResultDelegate(self.results))
        self.results.setAccessibleName("Results")
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setUniformItemSizes(True)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results.activated.connect(self._open_index)
        self.results.clicked.connect(self._open_index)
        self.results.backToSearch.connect(self.focus_search)
        self.results.typed.connect(self._type_into_search)

        self.weak_note = QLabel(f"{POSSIBLE_TEXT}. Not on file is not eligible.")
        self.weak_note.setObjectName("weakMatchNote")
        self.weak_note.setAccessibleName("Only similar names found")
        self.weak_note.setWordWrap(True)
        self.weak_note.setVisible(False)
        self.count_label = QLabel()
        self.count_label.setObjectName("resultCount")
        self.count_label.setAccessibleName("Number of results")
        results_page = QWidget()
        rp = QVBoxLayout(results_page)
        rp.setContentsMargins(0, 0, 0, 0)
        rp.addWidget(self.count_label)
        rp.addWidget(self.weak_note)
        rp.addWidget(self.results, 1)

        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setAccessibleName("How to search")
        self.hint.setWordWrap(True)
        self.hint.setText("<h3>Check a prospective customer</h3><p>Type its name — in any script — its web "
                          "domain, an e-mail address or its LEI. Results appear as you type.</p>")
        hint_page = QWidget()
        hp = QVBoxLayout(hint_page)
        hp.addWidget(self.hint)
        hp.addSpacing(self.fontMetrics().height() // 2)
        hp.addWidget(StatusLegend())
        hp.addStretch(1)

        self.not_found_icon = QLabel()
        self.not_found_icon.setAccessibleName("Not in the data icon")
        side = self.fontMetrics().height() * 3
        self.not_found_icon.setPixmap(icon("not-on-file.svg").pixmap(QSize(side, side), self.devicePixelRatioF()))
        self.not_found = QLabel()
        self.not_found.setObjectName("notFound")
        self.not_found.setAccessibleName(NOT_ON_FILE_TITLE)
        self.not_found.setWordWrap(True)
        self.not_found.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        nf_page = QFrame()
        nf_page.setObjectName("notFoundPanel")
        nf_page.setFrameShape(QFrame.Shape.StyledPanel)
        nf = QVBoxLayout(nf_page)
        nf.addWidget(self.not_found_icon)
        nf.addWidget(self.not_found)
        nf.addStretch(1)

        self.left = QStackedWidget()
        self.left.setAccessibleName("Search results")
        for page in (hint_page, results_page, nf_page):
            self.left.addWidget(page)
        self.hint_page, self.results_page, self.nf_page = hint_page, results_page, nf_page

        self.detail = DetailView()
        self.detail.copySummaryRequested.connect(self.copy_summary)
        self.placeholder = QLabel(WELCOME)
        self.placeholder.setObjectName("detailPlaceholder")
        self.placeholder.setAccessibleName("No company open")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.right = QStackedWidget()
        self.right.setAccessibleName("Details")
        self.right.addWidget(self.placeholder)
        self.right.addWidget(self.detail)

        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.setObjectName("mainSplit")
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(self.left)
        self.split.addWidget(self.right)
        self.split.setStretchFactor(0, 2)
        self.split.setStretchFactor(1, 3)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.search)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)
        layout.addWidget(self.split, 1)
        self.setCentralWidget(central)
        self.setTabOrder(self.search, self.results)
        self.setTabOrder(self.results, self.detail.copy_button)
        self.search.setFocus()

    def _action(self, text: str, slot: Any, shortcuts: tuple[QKeySequence | QKeySequence.StandardKey | str, ...] = (),
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self.import_action = self._action("&Import dataset…", self.choose_import, ("Ctrl+I",),
                                          "Add or replace a dataset (folder with dataset.toml, or .zip)")
        self.import_action.setEnabled(False)
        file.addAction(self.import_action)
        file.addSeparator()
        self.open_db_action = self._action("&Open database…", self.choose_database, (),
                                           "Use another Clearance database file; it is used again at the next start")
        self.default_db_action = self._action("Use the &default database", lambda: self.switch_database(None))
        file.addAction(self.open_db_action)
        file.addAction(self.default_db_action)
        file.addSeparator()
        file.addAction(self._action("&Quit", self.close, (QKeySequence.StandardKey.Quit, "Ctrl+Q")))

        edit = bar.addMenu("&Edit")
        self.find_action = self._action("&Find company", self.focus_search, ("Ctrl+K", "Ctrl+F"))
        edit.addAction(self.find_action)
        self.copy_action = self._action("&Copy summary", self.copy_summary, (COPY_SHORTCUT,),
                                        "Copy a plain-text summary of the open result for a CRM note")
        self.copy_action.setEnabled(False)
        edit.addAction(self.copy_action)

        view = bar.addMenu("&View")
        self.zoom_in_action = self._action("Zoom graph &in", self._zoom_in, ("Ctrl++", "Ctrl+="))
        self.zoom_out_action = self._action("Zoom graph &out", self._zoom_out, ("Ctrl+-",))
        self.fit_action = self._action("&Fit graph", self._fit, ("Ctrl+0",))
        for a in (self.zoom_in_action, self.zoom_out_action, self.fit_action):
            view.addAction(a)
        view.addSeparator()
        appearance = view.addMenu("&Appearance")
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for mode, label in (("system", "Follow the &system"), ("light", "&Light"), ("dark", "&Dark")):
            action = QAction(label, self, checkable=True)
            action.triggered.connect(lambda _=False, m=mode: self.set_theme(m))
            self.theme_group.addAction(action)
            appearance.addAction(action)
            self.theme_actions[mode] = action
        self.theme_actions["system"].setChecked(True)

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self._action("&Keyboard shortcuts", self.show_shortcuts, ("F1",)))
        help_menu.addAction(self._action("&About Clearance", self.show_about))

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setAccessibleName("Status bar")
        self.stale_label = QLabel()
        self.stale_label.setObjectName("staleWarning")
        self.stale_label.setAccessibleName("Data age warning")
        self.stale_label.setVisible(False)
        self.stale_label.setStyleSheet("QLabel#staleWarning { background: #fff1cc; color: #4a3000; "
                                       "border: 1px solid #d18b00; border-radius: 3px; padding: 1px 6px; }")
        self.data_label = QLabel("Opening the database…")
        self.data_label.setObjectName("dataLabel")
        self.data_label.setAccessibleName("Datasets in use")
        self.policy_label = QLabel()
        self.policy_label.setObjectName("policyLabel")
        self.policy_label.setAccessibleName("Policy in use")
        bar.addPermanentWidget(self.stale_label)
        bar.addPermanentWidget(self.data_label)
        bar.addPermanentWidget(self.policy_label)

    # --- start-up -----------------------------------------------------------------------------------

    def start(self) -> None:
        """Open the database on the lane; the window is usable (typing queues) in the meantime."""
        db, policy, seed = self._open_args
        backend = self.backend
        self.statusBar().showMessage("Opening the database…")
        self.lane.run(lambda progress: backend.open(db, policy, seed, progress),
                      self._opened, self._open_failed, self._startup_progress)

    def _startup_progress(self, phase: str, done: int, total: int) -> None:
        # Only the first start (building the database from the reference data) takes long enough to show.
        if self.startup_dialog is None:
            dialog = QProgressDialog("Preparing the data for first use…", "", 0, 0, self)
            dialog.setWindowTitle("Clearance")
            dialog.setAccessibleName("Preparing the data")
            dialog.setCancelButtonText(None)  # type: ignore[arg-type]  # a null text removes the button
            dialog.setMinimumDuration(700)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            self.startup_dialog = dialog
        count = f" {done:,} of {total:,}" if total else ""
        self.startup_dialog.setLabelText(f"Preparing the data for first use:\n{phase}…{count}")
        self.startup_dialog.setMaximum(max(total, 0))
        if total:
            self.startup_dialog.setValue(min(done, total))
        self.statusBar().showMessage(f"{phase}…{count}")

    def _closestartup_dialog(self) -> None:
        if self.startup_dialog is not None:
            self.startup_dialog.hide()
            self.startup_dialog.deleteLater()
            self.startup_dialog = None

    def _opened(self, opened: Opened) -> None:
        self._closestartup_dialog()
        if self._closing:
            opened.ctx.close()
            return
        self.ctx = opened.ctx
        self._set_info(opened.info)
        self.import_action.setEnabled(True)
        self.statusBar().showMessage("Ready.", 3000)
        self.ready.emit()
        if self.search.text().strip():
            self._search_now()

    def _open_failed(self, exc: BaseException) -> None:
        self._closestartup_dialog()
        message = f"The database could not be opened:\n{exc}"
        self.data_label.setText("No database")
        self.statusBar().showMessage(str(exc))
        self.openFailed.emit(str(exc))
        if not self._closing and QGuiApplication.platformName() not in ("offscreen", "minimal"):
            QMessageBox.critical(self, "Clearance", message)

    def _set_info(self, info: dict[str, Any]) -> None:
        self.info = info
        dsets = info.get("datasets", [])
        if dsets:
            text = "Data: " + "; ".join(f"{d['title']} {d['version']} (as of {d['as_of']})" for d in dsets)
        else:
            text = "Data: none — File → Import dataset…"
        self.data_label.setText(text)
        self.data_label.setToolTip(f"Database: {info.get('location', '')}\n"
                                   f"{info.get('entities', 0):,} entities, "
                                   f"{info.get('relationships', 0):,} relationships")
        p = info.get("policy", {})
        self.policy_label.setText(f"Policy: {p.get('id', '?')} {p.get('version', '')}")
        self.policy_label.setToolTip(f"{p.get('path', '')}\nSHA-256 {p.get('sha256', '')}")
        stale = info.get("stale_warning")
        self.stale_label.setVisible(bool(stale))
        if stale:
            side = self.fontMetrics().height()
            limit = (self.ctx.policy.stale_after_days if self.ctx is not None else None) or "the policy's"
            self.stale_label.setText(f"<img src='{html.escape(icon_path('warning.svg'), quote=True)}' width={side} "
                                     f"height={side}> Data older than {limit} days — check with compliance")
            self.stale_label.setToolTip(stale[:1].upper() + stale[1:])
            self.stale_label.setAccessibleDescription(stale)

    # --- searching ----------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _type_into_search(self, text: str) -> None:
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)
        self.search.insert(text)

    def _text_changed(self, text: str) -> None:
        self._search_gen += 1  # an answer still on its way is for older text: drop it
        if text.strip():
            self.debounce.start()  # restarts: only a pause in typing searches
        else:
            self._search_now()

    def _search_now(self) -> None:
        self.debounce.stop()
        self._search_gen += 1
        gen = self._search_gen
        text = self.search.text()
        if not text.strip():
            self._shown_query = ""
            self.model.set_hits(())
            self._clear_detail()
            self.placeholder.setText(WELCOME)
            self.left.setCurrentWidget(self.hint_page)
            self.resultsShown.emit(0)
            return
        ctx = self.ctx
        if ctx is None:
            return  # _opened runs the search once the database is open
        backend = self.backend

        def op(_progress: Any) -> SearchResult | None:
            if gen != self._search_gen:
                return None  # a newer keystroke arrived while this waited for the lane
            return backend.search(ctx, text)

        self.busy.start()
        self.lane.run(op, lambda result: self._show_results(gen, text, result), self._search_failed)

    @property
    def search_pending(self) -> bool:
        return self.debounce.isActive() or self._shown_query != self.search.text()

    def _show_results(self, gen: int, text: str, result: SearchResult | None) -> None:
        if gen != self._search_gen or result is None:
            return
        if self.busy.isActive() or self.statusBar().currentMessage() == "Searching…":
            self.busy.stop()
            self.statusBar().clearMessage()
        self._shown_query = text
        hits = result.hits
        match = result.match
        self.model.set_hits(hits, frozenset(h.entity_id for h in hits if result.is_possible(h)))
        open_report = self.detail.report
        if open_report is not None and all(h.entity_id != open_report.entity_id for h in hits):
            # The open company is not among these results: keep it from reading as the answer to this query.
            self._clear_detail()
        if hits:
            if self.right.currentWidget() is self.placeholder:
                self.placeholder.setText(PLACEHOLDER)
            many = "" if len(hits) == 1 else "s"
            more = " (the best matches)" if len(hits) >= SEARCH_LIMIT else ""
            self.count_label.setText(f"{len(hits)} result{many} for “{text.strip()[:80]}”{more}")
            self.left.setCurrentWidget(self.results_page)
            note = match_note(result)
            self.weak_note.setText(note)
            self.weak_note.setVisible(bool(note))
            if match is not None:
                self.results.setCurrentIndex(self.model.index(0, 0))
            else:  # possible matches only: none is pre-selected, Enter opens none
                self.results.setCurrentIndex(QModelIndex())
                self.results.clearSelection()
        else:
            self.not_found.setText(f"<h2>{NOT_ON_FILE_TITLE} — no status</h2><p>“"
                                   f"{html.escape(text.strip()[:200])}” is not in the data.</p>"
                                   f"<p style='font-size:large'><b>{NOT_ON_FILE_RULE}</b></p>"
                                   f"<p>{NOT_ON_FILE_HINT}</p>")
            self.placeholder.setText("Nothing to open: no company in the data matches the search.")
            self.left.setCurrentWidget(self.nf_page)
        self.resultsShown.emit(len(hits))
        if self._open_after_search == gen:
            self._open_after_search = None
            if match is not None:
                self.open_hit(match)

    def _search_failed(self, exc: BaseException) -> None:
        # Never leave the previous query's results on screen under a new query.
        self._shown_query = self.search.text()
        self.model.set_hits(())
        self.not_found.setText(f"<h3>The search failed</h3><p>{html.escape(str(exc))}</p>"
                               "<p>No status can be shown. Try again, or check the database (Help → About).</p>")
        self.left.setCurrentWidget(self.nf_page)
        self.statusBar().showMessage(f"Search failed: {exc}", 10000)
        self.resultsShown.emit(0)

    def _move_selection(self, step: int) -> None:
        rows = self.model.rowCount()
        if rows == 0:
            return
        current = self.results.currentIndex().row()
        row = 0 if current < 0 and step > 0 else max(0, min(rows - 1, current + step))
        index = self.model.index(row, 0)
        self.results.setCurrentIndex(index)
        self.results.scrollTo(index)

    def _accept(self) -> None:
        if self.search_pending and self.search.text().strip():
            self._search_now()
            self._open_after_search = self._search_gen
            return
        index = self.results.currentIndex()
        if index.isValid():
            self._open_index(index)

    # --- the detail view ----------------------------------------------------------------------------

    def _open_index(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if hit is not None:
            self.open_hit(hit)

    def open_hit(self, hit: SearchHit) -> None:
        """Open a result; the list marks it as the one shown."""
        row = next((r for r, h in enumerate(self.model.hits) if h.entity_id == hit.entity_id), -1)
        if row >= 0 and self.results.currentIndex().row() != row:
            self.results.setCurrentIndex(self.model.index(row, 0))
        self.open_entity(hit.entity_id, hit.name)

    def open_entity(self, entity_id: str, name: str = "") -> None:
        ctx = self.ctx
        if ctx is None:
            return
        self._report_gen += 1
        gen = self._report_gen
        backend, query = self.backend, self.search.text()
        if self.detail.report is None or self.detail.report.entity_id != entity_id:
            self.placeholder.setText(f"Loading {name or entity_id}…")
            self.right.setCurrentWidget(self.placeholder)
        self.lane.run(lambda _p: backend.report(ctx, entity_id, query),
                      lambda report: self._show_report(gen, report), self._report_failed)

    def _show_report(self, gen: int, report: EntityReport) -> None:
        if gen != self._report_gen:
            return
        self.detail.show_report(report)
        self.right.setCurrentWidget(self.detail)
        self.setWindowTitle(f"{report.name} — Clearance")
        self.copy_action.setEnabled(True)
        self.reportShown.emit(report.entity_id)

    def _clear_detail(self) -> None:
        self._report_gen += 1
        self.detail.clear()
        self.setWindowTitle("Clearance")
        self.placeholder.setText(PLACEHOLDER)
        self.right.setCurrentWidget(self.placeholder)
        self.copy_action.setEnabled(False)

    def _report_failed(self, exc: BaseException) -> None:
        self.placeholder.setText(f"Could not load the details: {exc}")
        self.right.setCurrentWidget(self.placeholder)

    def copy_summary(self) -> None:
        report = self.detail.report
        if report is None or self.right.currentWidget() is not self.detail:
            self.statusBar().showMessage("Open a result first; then Copy summary puts it on the clipboard.", 5000)
            return
        QGuiApplication.clipboard().setText(self.backend.summary_text(report))
        self.statusBar().showMessage(f"Summary of {report.name} copied to the clipboard.", 5000)

    def _graph_shown(self) -> bool:
        if self.right.currentWidget() is not self.detail:
            return False
        self.detail.tabs.setCurrentWidget(self.detail.graph_page)
        return True

    def _zoom_in(self) -> None:
        if self._graph_shown():
            self.detail.graph.zoom_in()

    def _zoom_out(self) -> None:
        if self._graph_shown():
            self.detail.graph.zoom_out()

    def _fit(self) -> None:
        if self._graph_shown():
            self.detail.graph.fit()

    # --- import -------------------------------------------------------------------------------------

    def choose_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open database", "", "Clearance databases (*.db);;All files (*)")
        if path:
            self.switch_database(path)

    def switch_database(self, location: str | None) -> None:
        """Close the open database and open `location` (None: the user's default); remembered in the settings."""
        if self.import_flow.running:
            return
        old, self.ctx = self.ctx, None
        self._search_gen += 1
        self._report_gen += 1
        self.import_action.setEnabled(False)
        self._clear_detail()
        self.data_label.setText("Opening the database…")
        if old is not None:
            self.lane.run(lambda _p: old.close(), lambda _r: None)
        _, policy, _ = self._open_args
        self._open_args = (location, policy, None)
        if self.settings is not None:
            if location:
                self.settings.setValue("data/location", location)
            else:
                self.settings.remove("data/location")
        self.start()

    def choose_import(self) -> None:
        path = choose_dataset(self)
        if path is not None:
            self.import_path(path)

    def import_path(self, path: Path) -> None:
        if self.ctx is None or self.import_flow.running:
            return
        self.import_action.setEnabled(False)
        self.statusBar().showMessage(f"Importing {path.name}…")
        self.import_flow.start(self.ctx, path)

    def _import_finished(self, outcome: str, message: str) -> None:
        self.import_action.setEnabled(self.ctx is not None)
        self.statusBar().showMessage(message, 15000)
        if outcome == "imported":
            if self.search.text().strip():
                self._search_now()
            if self.detail.report is not None and self.right.currentWidget() is self.detail:
                self.open_entity(self.detail.report.entity_id, self.detail.report.name)
        self.importFinished.emit(outcome)

    # --- help and appearance ------------------------------------------------------------------------

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self).open()

    def show_about(self) -> None:
        AboutDialog(self.info, self).open()

    def set_theme(self, mode: str) -> None:
        self.theme_mode = mode if mode in theme.MODES else "system"
        self.theme_actions[self.theme_mode].setChecked(True)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(self.theme_mode, app)
        if self.settings is not None:
            self.settings.setValue("appearance/theme", self.theme_mode)

    def _system_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.theme_mode == "system":
            self.set_theme("system")

    # --- settings and shutdown ----------------------------------------------------------------------

    def _restore_settings(self) -> None:
        fm = self.fontMetrics()
        self.resize(fm.averageCharWidth() * 170, fm.height() * 46)
        width = self.width()
        self.split.setSizes([int(width * 0.36), int(width * 0.64)])
        s = self.settings
        if s is None:
            return
        geometry = s.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = s.value("window/split")
        if state is not None:
            self.split.restoreState(state)
        detail_state = s.value("window/detailSplit")
        if detail_state is not None:
            self.detail.split.restoreState(detail_state)
        mode = s.value("appearance/theme", "system")
        self.set_theme(str(mode))

    def save_settings(self) -> None:
        s = self.settings
        if s is None:
            return
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/split", self.split.saveState())
        s.setValue("window/detailSplit", self.detail.split.saveState())
        s.setValue("appearance/theme", self.theme_mode)
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True
        self.save_settings()
        self.debounce.stop()
        self._search_gen += 1
        self._report_gen += 1
        if self.import_flow.running:
            self.import_flow.cancel()
        self.lane.wait()
        QApplication.processEvents()  # deliver the lane's last answers before the context goes
        if self.ctx is not None:
            self.ctx.close()
            self.ctx = None
        super().closeEvent(event)
