"""File → Screen a list… (and a CSV or XLSX file dropped on the window): a lead list checked row by row.

The list is read and screened on the database lane; the window shows rows done and the time left, and
Cancel keeps the rows already screened. The results table sorts and filters; a status chip marks each
match, and leads that are only a possible match or not on file are marked apart — they have no status.
"""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.result_delegate import chip_font, chip_size, paint_chip
from desktop_app.ui.screening_model import (
    KEY_ROLE,
    KEY_TITLES,
    KEYS,
    NOT_ON_FILE,
    POSSIBLE,
    RESULT_COLUMN,
    ROW_ROLE,
    ScreeningFilter,
    ScreeningModel,
)
from desktop_app.ui.status_look import UNKNOWN_LOOK, icon, is_dark, status_icon
from desktop_app.ui.tasks import Lane

if TYPE_CHECKING:
    from desktop_app.services.context import AppContext
    from desktop_app.services.screening import Columns, LeadTable, ScreeningResult

LIST_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")
ROLE_TITLES = (("name", "Company name"), ("domain", "Web domain or website"), ("email", "E-mail address"),
               ("country", "Country"))
NONE_CHOICE = "— none —"

Index = QModelIndex | QPersistentModelIndex


def list_file(paths: list[Path]) -> Path | None:
    """The one lead list among dropped files, if there is exactly one."""
    lists = [p for p in paths if p.suffix.lower() in LIST_SUFFIXES and p.is_file()]
    return lists[0] if len(lists) == 1 else None


# --- reading and screening on the lane ---------------------------------------------------------------


def _read(path: Path) -> LeadTable:
    from desktop_app.services import screening

    return screening.read_list(path)


def _pasted(text: str) -> LeadTable:
    from desktop_app.services import screening

    return screening.parse_pasted(text)


def _guess(table: LeadTable) -> Columns:
    from desktop_app.services import screening

    return screening.guess_columns(table)


def _screen(ctx: AppContext, table: LeadTable, columns: Columns, progress: Any,
            cancelled: Callable[[], bool]) -> ScreeningResult:
    from desktop_app.services import screening

    return screening.screen(ctx, table, columns, progress, cancelled)


def _export(result: ScreeningResult, path: Path) -> Path:
    from desktop_app.services import screening

    screening.export(result, path)
    return path


# --- the column picker ---------------------------------------------------------------------------------


class ColumnPicker(QDialog):
    """Which column holds the name, the domain, the e-mail address and the country, with a preview."""

    PREVIEW_ROWS = 8

    def __init__(self, table: LeadTable, guess: Columns, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = table
        self.setWindowTitle("Screen a list — columns")
        self.setAccessibleName("Choose the columns")
        intro = QLabel(f"<b>{html.escape(table.source)}</b>: {len(table.rows):,} rows. Choose the column that "
                       "holds each part of a lead. Domain and e-mail address are looked up exactly; a country "
                       "narrows the match to companies in that country.")
        intro.setWordWrap(True)
        form = QFormLayout()
        self.combos: dict[str, QComboBox] = {}
        for role, title in ROLE_TITLES:
            combo = QComboBox()
            combo.setObjectName(f"column_{role}")
            combo.setAccessibleName(f"{title} column")
            combo.addItem(NONE_CHOICE, None)
            for i, head in enumerate(table.header):
                combo.addItem(head, i)
            chosen = getattr(guess, role)
            combo.setCurrentIndex(0 if chosen is None else chosen + 1)
            combo.currentIndexChanged.connect(self._check)
            self.combos[role] = combo
            form.addRow(f"{title}:", combo)
        preview = QTableWidget(min(self.PREVIEW_ROWS, len(table.rows)), len(table.header))
        preview.setAccessibleName("First rows of the list")
        preview.setHorizontalHeaderLabels(list(table.header))
        preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        preview.verticalHeader().setVisible(False)
        for r, row in enumerate(table.rows[: self.PREVIEW_ROWS]):
            for c, value in enumerate(row):
                preview.setItem(r, c, QTableWidgetItem(value[:200]))
        preview.resizeColumnsToContents()
        self.preview = preview
        self.problem = QLabel()
        self.problem.setObjectName("columnProblem")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.start_button = self.buttons.addButton("Screen", QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(preview, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        fm = self.fontMetrics()
        self.resize(fm.averageCharWidth() * 100, fm.height() * 28)
        self._check()

    def columns(self) -> Columns:
        from desktop_app.services.screening import Columns

        return Columns(**{role: combo.currentData() for role, combo in self.combos.items()})

    def choose(self, role: str, header: str | None) -> None:
        """Pick a column by its header (None: no column), as a user does with the combo box."""
        combo = self.combos[role]
        combo.setCurrentIndex(0 if header is None else combo.findText(header))

    def _check(self) -> None:
        chosen = [c.currentData() for c in self.combos.values() if c.currentData() is not None]
        if not any(self.combos[r].currentData() is not None for r in ("name", "domain", "email")):
            text = "Choose at least a name, domain or e-mail column."
        elif len(chosen) != len(set(chosen)):
            text = "One column is chosen twice."
        else:
            text = ""
        self.problem.setText(text)
        self.start_button.setEnabled(not text)


# --- the status chip of a row ---------------------------------------------------------------------------


class ResultChipDelegate(QStyledItemDelegate):
    """A status chip for a match; for a possible match or a lead not on file, a plain outlined label that
    no one can take for a status."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        base = chip_size(option.font)
        fm = QFontMetrics(chip_font(option.font))
        wide = max(fm.horizontalAdvance("POSSIBLE MATCH — CHECK"), base.width()) + fm.height() * 2
        return QSize(wide, base.height() + 6)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, option.widget)
        key = index.data(KEY_ROLE)
        size = chip_size(option.font)
        rect = QRect(option.rect.left() + 4, option.rect.center().y() - size.height() // 2,
                     size.width(), size.height())
        if key in ("restricted", "review", "eligible"):
            paint_chip(painter, rect, key, option.font, option.palette)
            return
        font = chip_font(option.font)
        fm = QFontMetrics(font)
        word = "POSSIBLE MATCH — CHECK" if key == POSSIBLE else "NOT ON FILE — NO STATUS"
        rect.setWidth(fm.horizontalAdvance(word) + fm.height())
        dark = is_dark(option.palette)
        fg = QColor(UNKNOWN_LOOK.dark_fg if dark else UNKNOWN_LOOK.light_fg)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(fg, 1.2, Qt.PenStyle.DashLine if key == POSSIBLE else Qt.PenStyle.SolidLine)
        painter.setPen(pen)
        painter.setBrush(option.palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
        painter.setFont(font)
        painter.setPen(fg)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, word)
        painter.restore()


# --- the window -------------------------------------------------------------------------------------------


class ScreeningWindow(QMainWindow):
    """One list at a time: source → columns → progress → results."""

    openRequested = Signal(str, str)  # entity id, name: the main window opens it in its detail view
    started = Signal(int)  # rows to screen
    finished = Signal(str)  # done | cancelled | failed
    exported = Signal(str)  # the file written

    def __init__(self, context: Callable[[], AppContext | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowTitle("Screen a list — Clearance")
        self.setAccessibleName("Screen a list")
        # A lane of its own (the same one-worker pattern as the window's): a long list only reads, and the
        # main window goes on answering searches while it is screened.
        self.lane = Lane(self)
        self.context = context
        self.picker: ColumnPicker | None = None
        self.result: ScreeningResult | None = None
        self._cancel = threading.Event()
        self._running = False
        self._started_at = 0.0
        self._total = 0
        self.setAcceptDrops(True)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._source_page())
        self.pages.addWidget(self._progress_page())
        self.pages.addWidget(self._results_page())
        self.setCentralWidget(self.pages)
        fm = self.fontMetrics()
        self.resize(fm.averageCharWidth() * 150, fm.height() * 40)

    # --- pages ---------------------------------------------------------------------------------------

    def _source_page(self) -> QWidget:
        page = QWidget()
        intro = QLabel("<h3>Screen a list of leads</h3><p>Choose a CSV or XLSX file (or drop it here), or paste "
                       "one company per line. A name column and optional domain, e-mail and country columns are "
                       "used for the match.</p>")
        intro.setWordWrap(True)
        self.choose_button = QPushButton("Choose a file…")
        self.choose_button.setAccessibleName("Choose a list file")
        self.choose_button.clicked.connect(self.choose_file)
        self.paste_box = QPlainTextEdit()
        self.paste_box.setObjectName("pasteBox")
        self.paste_box.setAccessibleName("Pasted lines")
        self.paste_box.setPlaceholderText("…or paste lines here: one company per line, or cells copied from a "
                                          "spreadsheet (tab-separated, with a header row)")
        self.paste_button = QPushButton("Screen the pasted lines")
        self.paste_button.clicked.connect(self.screen_pasted)
        row = QHBoxLayout()
        row.addWidget(self.choose_button)
        row.addStretch(1)
        row.addWidget(self.paste_button)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(self.paste_box, 1)
        layout.addLayout(row)
        self.source_page = page
        return page

    def _progress_page(self) -> QWidget:
        page = QWidget()
        self.progress_label = QLabel()
        self.progress_label.setObjectName("screeningProgress")
        self.progress_label.setAccessibleName("Screening progress")
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Rows screened")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel screening")
        self.cancel_button.clicked.connect(self.cancel)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addStretch(2)
        self.progress_page = page
        return page

    def _results_page(self) -> QWidget:
        page = QWidget()
        self.summary = QLabel()
        self.summary.setObjectName("screeningSummary")
        self.summary.setAccessibleName("Screening summary")
        self.summary.setWordWrap(True)
        self.filter_buttons: dict[str, QToolButton] = {}
        chips = QHBoxLayout()
        for key in KEYS:
            button = QToolButton()
            button.setCheckable(True)
            button.setChecked(True)
            button.setObjectName(f"filter_{key.replace(' ', '_')}")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setIcon(status_icon(key) if key in ("restricted", "review", "eligible") else icon("not-on-file.svg"))
            button.setToolTip("Click to show or hide these rows")
            button.toggled.connect(self._filter_changed)
            self.filter_buttons[key] = button
            if key == POSSIBLE:
                chips.addSpacing(self.fontMetrics().height())  # leads with no status stand apart from matches
            chips.addWidget(button)
        chips.addStretch(1)
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("screeningFilter")
        self.filter_edit.setAccessibleName("Filter the rows")
        self.filter_edit.setPlaceholderText("Filter rows…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter_changed)
        chips.addWidget(self.filter_edit)

        self.model = ScreeningModel(self)
        self.proxy = ScreeningFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("screeningTable")
        self.table.setAccessibleName("Screened leads")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setItemDelegateForColumn(RESULT_COLUMN, ResultChipDelegate(self.table))
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.activated.connect(self._open_row)
        self.table.doubleClicked.connect(self._open_row)

        self.export_xlsx_button = QPushButton("Export XLSX…")
        self.export_xlsx_button.clicked.connect(lambda: self.choose_export("xlsx"))
        self.export_csv_button = QPushButton("Export CSV…")
        self.export_csv_button.clicked.connect(lambda: self.choose_export("csv"))
        self.again_button = QPushButton("Screen another list…")
        self.again_button.clicked.connect(self.reset)
        hint = QLabel("Double-click a row, or select it and press Enter, to open the company. A possible match "
                      "opens the closest name: check that it is the same company.")
        hint.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(hint, 1)
        bottom.addWidget(self.again_button)
        bottom.addWidget(self.export_csv_button)
        bottom.addWidget(self.export_xlsx_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.summary)
        layout.addLayout(chips)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.results_page = page
        return page

    # --- starting ------------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._running

    def reset(self) -> None:
        if not self._running:
            self.pages.setCurrentWidget(self.source_page)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Screen a list", "",
                                              "Lead lists (*.csv *.tsv *.txt *.xlsx *.xlsm);;All files (*)")
        if path:
            self.open_path(Path(path))

    def screen_pasted(self) -> None:
        text = self.paste_box.toPlainText()
        if not text.strip() or self._running:
            return
        self.lane.run(lambda _p: (_pasted(text), None), self._read_done, self._failed)

    def open_path(self, path: Path) -> None:
        """Read the list on the lane, then ask for its columns."""
        if self._running:
            return
        self.statusBar().showMessage(f"Reading {path.name}…")
        self.lane.run(lambda _p: (_read(path), None), self._read_done, self._failed)

    def _read_done(self, value: tuple[LeadTable, None]) -> None:
        table = value[0]
        self.statusBar().clearMessage()
        guess = _guess(table)
        if len(table.header) == 1:
            self.start(table, guess)  # one column: nothing to choose
            return
        self.picker = ColumnPicker(table, guess, self)
        self.picker.accepted.connect(lambda: self._picked(table))
        self.picker.open()

    def _picked(self, table: LeadTable) -> None:
        if self.picker is not None:
            self.start(table, self.picker.columns())

    def start(self, table: LeadTable, columns: Columns) -> None:
        ctx = self.context()
        if ctx is None or self._running:
            return
        self._cancel.clear()
        self._running = True
        self._total = len(table.rows)
        self._started_at = time.monotonic()
        self.progress.setRange(0, max(1, self._total))
        self.progress.setValue(0)
        self.progress_label.setText(f"Screening {html.escape(table.source)}: 0 of {self._total:,} rows…")
        self.cancel_button.setEnabled(True)
        self.pages.setCurrentWidget(self.progress_page)
        cancel = self._cancel
        self.started.emit(self._total)
        self.lane.run(lambda progress: _screen(ctx, table, columns, progress, cancel.is_set),
                      self._screened, self._failed, self._progress)

    def _progress(self, _phase: str, done: int, total: int) -> None:
        if not self._running:
            return
        self.progress.setMaximum(max(1, total))
        self.progress.setValue(done)
        elapsed = time.monotonic() - self._started_at
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (total - done) / rate if rate > 0 else 0.0
        when = "less than a second left" if left < 1 else (f"about {left:,.0f} s left" if left < 90
                                                            else f"about {left / 60:,.0f} min left")
        self.progress_label.setText(f"{done:,} of {total:,} rows screened — {when}")

    def cancel(self) -> None:
        if self._running:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self.progress_label.setText("Cancelling… the rows screened so far are kept.")

    # --- results -------------------------------------------------------------------------------------

    def _screened(self, result: ScreeningResult) -> None:
        self._running = False
        self.show_result(result)
        self.finished.emit("cancelled" if result.cancelled else "done")

    def show_result(self, result: ScreeningResult) -> None:
        self.result = result
        self.model.set_rows(list(result.rows))
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.resizeColumnsToContents()
        width = self.fontMetrics().averageCharWidth()
        for col, most in ((1, 50), (5, 50), (7, 60)):
            self.table.setColumnWidth(col, min(self.table.columnWidth(col), width * most))
        counts = result.counts
        for key, button in self.filter_buttons.items():
            button.setText(f"{KEY_TITLES[key]}  {counts.get(key, 0):,}")
            button.setAccessibleName(f"Show {KEY_TITLES[key].lower()} rows ({counts.get(key, 0):,})")
        done = len(result.rows)
        rate = done / result.seconds if result.seconds > 0 else 0.0
        source = html.escape(result.table.source)
        head = (f"<b>Cancelled</b> after {done:,} of {result.total:,} rows of {source}: the rest were not "
                "screened." if result.cancelled else f"<b>{source}</b>: {done:,} rows screened")
        self.summary.setText(f"{head} ({result.seconds:.1f} s, {rate:,.0f} rows/s). Leads marked "
                             "<i>possible match</i> or <i>not on file</i> have no status: not on file is not "
                             "eligible — establish their ownership before selling.")
        self.pages.setCurrentWidget(self.results_page)
        self.table.setFocus()

    def _filter_changed(self) -> None:
        self.proxy.set_keys({k for k, b in self.filter_buttons.items() if b.isChecked()})
        self.proxy.set_text(self.filter_edit.text())

    def _open_row(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if row is None or row.hit is None or row.verdict == NOT_ON_FILE:
            return
        self.openRequested.emit(row.hit.entity_id, row.hit.name)

    def choose_export(self, kind: str) -> None:
        if self.result is None:
            return
        stem = Path(self.result.table.source).stem if self.result.table.source != "pasted lines" else "leads"
        path, _ = QFileDialog.getSaveFileName(self, "Export the results", f"{stem}-screened.{kind}",
                                              "Excel workbook (*.xlsx)" if kind == "xlsx" else "CSV (*.csv)")
        if path:
            target = Path(path)
            self.export_to(target if target.suffix else target.with_suffix(f".{kind}"))

    def export_to(self, path: Path) -> None:
        result = self.result
        if result is None:
            return
        self.lane.run(lambda _p: _export(result, path), self._exported, self._failed)

    def _exported(self, path: Path) -> None:
        self.statusBar().showMessage(f"Results written to {path}.", 10000)
        self.exported.emit(str(path))

    def _failed(self, exc: BaseException) -> None:
        was_running, self._running = self._running, False
        self.statusBar().showMessage(str(exc), 15000)
        if was_running:
            self.pages.setCurrentWidget(self.source_page)
            self.finished.emit("failed")
        from PySide6.QtGui import QGuiApplication

        if QGuiApplication.platformName() not in ("offscreen", "minimal"):
            QMessageBox.warning(self, "Screen a list", str(exc))

    # --- drops and closing -----------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        accept_list_drag(event)

    def dropEvent(self, event: QDropEvent) -> None:
        path = dropped_list(event)
        if path is not None:
            event.acceptProposedAction()
            self.open_path(path)

    def closeEvent(self, event: Any) -> None:
        self.cancel()
        super().closeEvent(event)


def _paths(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]


def accept_list_drag(event: QDragEnterEvent) -> bool:
    if list_file(_paths(event)) is not None:
        event.acceptProposedAction()
        return True
    return False


def dropped_list(event: QDropEvent) -> Path | None:
    return list_file(_paths(event))


class ScreeningFlow(QObject):
    """Ties list screening to the main window: its menu action, drops on it, and opening a row there."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.main = window
        self.window: ScreeningWindow | None = None
        window.setAcceptDrops(True)  # the window's drag and drop events call drag_enter and drop below

    def screening_window(self) -> ScreeningWindow:
        if self.window is None:
            self.window = ScreeningWindow(lambda: self.main.ctx, self.main)
            self.window.setWindowIcon(icon("app.svg"))
            self.window.openRequested.connect(self._open)
        return self.window

    def show(self) -> ScreeningWindow:
        w = self.screening_window()
        if not w.running and w.result is None:
            w.reset()
        w.show()
        w.raise_()
        w.activateWindow()
        return w

    def open_path(self, path: Path) -> ScreeningWindow:
        w = self.show()
        w.open_path(path)
        return w

    def _open(self, entity_id: str, name: str) -> None:
        self.main.open_entity(entity_id, name)
        self.main.raise_()
        self.main.activateWindow()

    def shutdown(self) -> None:
        """Before the database closes: stop a screening and wait for its lane."""
        if self.window is not None:
            self.window.cancel()
            self.window.lane.wait()

    def drag_enter(self, event: QDragEnterEvent) -> bool:
        """Accept a lead list dragged over the main window (once a database is open)."""
        return self.main.ctx is not None and accept_list_drag(event)

    def drop(self, event: QDropEvent) -> bool:
        """Screen a lead list dropped on the main window; False when the drop is something else."""
        path = dropped_list(event) if self.main.ctx is not None else None
        if path is None:
            return False
        event.acceptProposedAction()
        self.open_path(path)
        return True
