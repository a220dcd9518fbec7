"""The main window: search on top, results on the left, the opened company's determination on the right.

The window composes and wires; each responsibility lives in its own object:
`DatabaseSession` (opening and switching the database), `SearchController` (search as you type),
`DetailPresenter` (loading and showing one company), `Navigator` (back, forward and recent lookups),
`ImportFlow` (importing a dataset), `Appearance`
(light and dark), `WindowState` (size and splitters) and `DataStatus` (the status bar's data labels).
Every database call runs on the one database lane; the GUI thread only renders answers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.appearance import Appearance
from desktop_app.ui.backend import Backend
from desktop_app.ui.data_status import DataStatus
from desktop_app.ui.database_session import DatabaseSession
from desktop_app.ui.detail_presenter import DetailPresenter
from desktop_app.ui.detail_view import COPY_SHORTCUT
from desktop_app.ui.help_dialogs import AboutDialog, ShortcutsDialog
from desktop_app.ui.import_flow import ImportFlow, choose_dataset, choose_folder, describe
from desktop_app.ui.navigation import Navigator
from desktop_app.ui.record_dialog import RecordFlow
from desktop_app.ui.results_pane import ResultsPane
from desktop_app.ui.screening_window import ScreeningFlow
from desktop_app.ui.search_controller import SearchController
from desktop_app.ui.search_widgets import make_search_field
from desktop_app.ui.status_look import icon
from desktop_app.ui.tasks import Lane
from desktop_app.ui.window_state import WindowState


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
        self.lane = Lane(self)
        self._closing = False
        self.setWindowTitle("Clearance")
        self.setWindowIcon(icon("app.svg"))
        self.setAccessibleName("Clearance")

        self.session = DatabaseSession(self.lane, self.backend, self, db, policy, seed, settings)
        self.search = make_search_field()
        self.pane = ResultsPane()
        self.searcher = SearchController(self.search, self.pane, self.session, self.lane, self.backend,
                                         self.statusBar(), self)
        self.presenter = DetailPresenter(self.session, self.lane, self.backend, self.statusBar(),
                                         self.search.text, self)
        self.navigator = Navigator(settings, self)
        self.import_flow = ImportFlow(self.lane, self.backend, self)
        self.appearance = Appearance(settings, self)
        self.data_status = DataStatus(self.statusBar())
        self._layout()
        self.screening = ScreeningFlow(self)
        self.records = RecordFlow(self)
        self._build_menus()
        self._connect()
        self.state = WindowState(self, settings, {"split": self.split, "detailSplit": self.detail.split})
        fm = self.fontMetrics()
        width = fm.averageCharWidth() * 170
        self.state.restore(width, fm.height() * 46, {"split": [int(width * 0.36), int(width * 0.64)]})
        self.appearance.restore()

    # --- the parts, as tests and the self-test reach them ----------------------------------------------

    @property
    def ctx(self) -> Any:
        return self.session.ctx

    @property
    def info(self) -> dict[str, Any] | None:
        return self.session.info

    @property
    def startup_dialog(self) -> Any:
        return self.session.startup_dialog

    @property
    def theme_mode(self) -> str:
        return self.appearance.mode

    @property
    def theme_actions(self) -> dict[str, QAction]:
        return self.appearance.actions

    # --- construction -------------------------------------------------------------------------------

    def _layout(self) -> None:
        pane, presenter = self.pane, self.presenter
        self.left, self.model, self.results = pane, pane.model, pane.results
        self.hint_page, self.results_page, self.nf_page = pane.hint_page, pane.results_page, pane.nf_page
        self.not_found = pane.not_found
        self.right, self.detail, self.placeholder = presenter.right, presenter.detail, presenter.placeholder
        self.data_label = self.data_status.data_label
        self.policy_label = self.data_status.policy_label
        self.stale_label = self.data_status.stale_label

        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.setObjectName("mainSplit")
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(self.left)
        self.split.addWidget(self.right)
        self.split.setStretchFactor(0, 2)
        self.split.setStretchFactor(1, 3)
        central = QWidget()
        layout = QVBoxLayout(central)
        top = QHBoxLayout()
        top.setSpacing(2)
        for button in self.navigator.buttons():
            top.addWidget(button)
        top.addWidget(self.search, 1)
        layout.addLayout(top)
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
        self.file_menu = file
        self.import_action = self._action("&Import dataset…", self.choose_import, ("Ctrl+I",),
                                          "Add or replace a dataset (its dataset.toml or .zip), or the three "
                                          "GLEIF golden-copy files")
        self.import_action.setEnabled(False)
        file.addAction(self.import_action)
        self.import_folder_action = self._action("Import dataset &folder…", self.choose_import_folder, (),
                                                 "A folder with dataset.toml, or a folder holding the GLEIF files")
        self.import_folder_action.setEnabled(False)
        file.addAction(self.import_folder_action)
        self.screen_action = self._action("&Screen a list…", lambda: self.screening.show(), ("Ctrl+L",),
                                          "Check a list of leads (CSV, XLSX or pasted lines) in one go")
        file.addAction(self.screen_action)
        file.addAction(self.records.records_action)
        file.addSeparator()
        self.open_db_action = self._action("&Open database…", self.choose_database, (),
                                           "Use another Clearance database file; it is used again at the next start")
        self.default_db_action = self._action("Use the &default database", lambda: self.switch_database(None))
        self.server_db_action = self._action("Data&base server…", self.choose_server, (),
                                             "Use your team's database on a PostgreSQL server")
        file.addAction(self.open_db_action)
        file.addAction(self.server_db_action)
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
        self.view_menu = view
        self.zoom_in_action = self._action("Zoom graph &in", self.presenter.zoom_in, ("Ctrl++", "Ctrl+="))
        self.zoom_out_action = self._action("Zoom graph &out", self.presenter.zoom_out, ("Ctrl+-",))
        self.fit_action = self._action("&Fit graph", self.presenter.fit, ("Ctrl+0",))
        for a in (self.zoom_in_action, self.zoom_out_action, self.fit_action):
            view.addAction(a)
        view.addSeparator()
        self.appearance.add_to(view.addMenu("&Appearance"))

        go = bar.addMenu("&Go")
        self.go_menu = go
        self.back_action, self.forward_action = self.navigator.back_action, self.navigator.forward_action
        go.addAction(self.back_action)
        go.addAction(self.forward_action)
        go.addSeparator()
        go.addMenu(self.navigator.recent_menu)

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self._action("&Keyboard shortcuts", self.show_shortcuts, ("F1",)))
        help_menu.addAction(self._action("&About Clearance", self.show_about))

    def _connect(self) -> None:
        s = self.session
        s.opened.connect(self._opened)
        s.openFailed.connect(self._open_failed)
        s.infoChanged.connect(self._show_info)
        s.message.connect(self.statusBar().showMessage)
        self.searcher.resultsShown.connect(self._results_shown)
        self.searcher.openRequested.connect(self.open_hit)
        self.searcher.cleared.connect(self.presenter.query_cleared)
        self.presenter.reportShown.connect(self._report_shown)
        self.detail.ownerActivated.connect(self.open_entity)
        self.pane.recentActivated.connect(self.open_entity)
        self.navigator.openRequested.connect(self.open_entity)
        self.navigator.recentChanged.connect(self.pane.show_recent)
        self.presenter.titleChanged.connect(self.setWindowTitle)
        self.presenter.openChanged.connect(self.copy_action.setEnabled)
        self.import_flow.finished.connect(self._import_finished)
        self.import_flow.described.connect(s.set_info)

    # --- start-up and the database ------------------------------------------------------------------

    def start(self) -> None:
        """Open the database on the lane; the window is usable (typing queues) in the meantime."""
        self.session.start()

    def _opened(self) -> None:
        self.navigator.database_opened(str((self.session.info or {}).get("location", "")))
        self.import_action.setEnabled(True)
        self.import_folder_action.setEnabled(True)
        self.statusBar().showMessage("Ready.", 3000)
        self.ready.emit()
        if self.search.text().strip():
            self.searcher.search_now()

    def _open_failed(self, message: str) -> None:
        self.data_status.failed()
        self.statusBar().showMessage(message)
        self.openFailed.emit(message)
        if not self._closing and QGuiApplication.platformName() not in ("offscreen", "minimal"):
            QMessageBox.critical(self, "Clearance", f"The database could not be opened:\n{message}")

    def _show_info(self, info: dict[str, Any]) -> None:
        ctx = self.session.ctx
        self.data_status.show_info(info, ctx.policy.stale_after_days if ctx is not None else None)

    def choose_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open database", "", "Clearance databases (*.db);;All files (*)")
        if path:
            self.switch_database(path)

    def choose_server(self) -> None:
        from desktop_app.ui.database_dialog import choose_server

        location = choose_server(self, self.session.open_args[0])
        if location:
            self.switch_database(location)

    def switch_database(self, location: str | None) -> None:
        """Close the open database and open `location` (None: the user's default); remembered in the settings."""
        if self.import_flow.running:
            return
        self.screening.shutdown()
        self.searcher.invalidate()
        self.import_action.setEnabled(False)
        self.import_folder_action.setEnabled(False)
        self.presenter.clear()
        self.data_status.opening()
        self.session.switch(location)

    # --- searching and opening ----------------------------------------------------------------------

    @property
    def search_pending(self) -> bool:
        return self.searcher.pending

    def focus_search(self) -> None:
        self.searcher.focus_search()

    def _results_shown(self, count: int) -> None:
        if self.search.text().strip():
            self.presenter.follow_results(self.model.hits)
        self.resultsShown.emit(count)

    def open_hit(self, hit: Any) -> None:
        """Open a result; the list marks it as the one shown."""
        self.pane.select_entity(hit.entity_id)
        self.open_entity(hit.entity_id, hit.name)

    def open_entity(self, entity_id: str, name: str = "") -> None:
        self.presenter.open_entity(entity_id, name)

    def _report_shown(self, entity_id: str) -> None:
        report = self.presenter.report
        self.navigator.shown(entity_id, report.name if report is not None else entity_id)
        self.reportShown.emit(entity_id)

    def go_back(self) -> None:
        self.navigator.back()

    def go_forward(self) -> None:
        self.navigator.forward()

    def copy_summary(self) -> None:
        self.presenter.copy_summary()

    # --- import -------------------------------------------------------------------------------------

    def choose_import(self) -> None:
        path = choose_dataset(self)
        if path is not None:
            self.import_path(path)

    def choose_import_folder(self) -> None:
        path = choose_folder(self)
        if path is not None:
            self.import_path(path)

    def import_path(self, path: Path | list[Path]) -> None:
        ctx = self.session.ctx
        if ctx is None or self.import_flow.running:
            return
        self.import_action.setEnabled(False)
        self.import_folder_action.setEnabled(False)
        self.statusBar().showMessage(f"Importing {describe(path)}…")
        self.import_flow.start(ctx, path)

    def _import_finished(self, outcome: str, message: str) -> None:
        self.import_action.setEnabled(self.session.ctx is not None)
        self.import_folder_action.setEnabled(self.session.ctx is not None)
        self.statusBar().showMessage(message, 15000)
        if outcome == "imported":
            if self.search.text().strip():
                self.searcher.search_now()
            self.presenter.reload()
        self.importFinished.emit(outcome)

    # --- help and appearance ------------------------------------------------------------------------

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self).open()

    def show_about(self) -> None:
        AboutDialog(self.session.info, self).open()

    def set_theme(self, mode: str) -> None:
        self.appearance.set_mode(mode)

    # --- settings and shutdown ----------------------------------------------------------------------

    def save_settings(self) -> None:
        self.state.save()
        if self.settings is not None:
            self.settings.setValue("appearance/theme", self.appearance.mode)
            self.settings.sync()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not self.screening.drag_enter(event):
            super().dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        if not self.screening.drop(event):
            super().dropEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True
        self.session.closing = True
        self.save_settings()
        self.searcher.invalidate()
        self.presenter.generation += 1
        if self.import_flow.running:
            self.import_flow.cancel()
        self.screening.shutdown()
        self.lane.wait()
        QApplication.processEvents()  # deliver the lane's last answers before the context goes
        self.session.shutdown()
        super().closeEvent(event)
