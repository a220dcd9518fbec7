"""File → Decision records…: the recorded decisions, newest first; verify the chain, save one as PDF, export."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.list_table_model import ListTableModel
from desktop_app.ui.record_dialog import save_pdf
from desktop_app.ui.status_look import look

if TYPE_CHECKING:
    from desktop_app.services.context import AppContext
    from desktop_app.services.decision_records import DecisionRecord, Verification
    from desktop_app.ui.tasks import Lane

Index = QModelIndex | QPersistentModelIndex
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("No.", "Recorded (UTC)", "User", "Customer reference", "Company", "Decision", "Note")
LIMIT = 500


def _latest(ctx: AppContext) -> list[DecisionRecord]:
    from desktop_app.services import decision_records

    return decision_records.latest(ctx, LIMIT)


def _verify(ctx: AppContext) -> Verification:
    from desktop_app.services import decision_records

    return decision_records.verify(ctx)


def _export(ctx: AppContext, path: Path) -> int:
    from desktop_app.services import decision_records

    return decision_records.export(ctx, path)


class RecordsModel(ListTableModel):
    columns = COLUMNS

    @property
    def records(self) -> list[DecisionRecord]:
        return self.items

    def set_records(self, records: list[DecisionRecord]) -> None:
        self.set_items(records)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        rec = self.item(index)
        if rec is None:
            return None
        if role == RECORD_ROLE:
            return rec
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"SHA-256 {rec.sha256}"
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        col = index.column()
        values = (str(rec.seq), rec.at.replace("T", " ").rstrip("Z"), rec.user, rec.customer_ref,
                  rec.entity_name or f"“{rec.query}” (not on file)",
                  look(rec.status).word if rec.status else "NOT ON FILE", rec.note.replace("\n", " ")[:120])
        return values[col]


class AuditWindow(QMainWindow):
    verified = Signal(bool)
    loaded = Signal(int)
    exported = Signal(str)

    def __init__(self, lane: Lane, context: Callable[[], AppContext | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowTitle("Decision records — Clearance")
        self.setAccessibleName("Decision records")
        self.lane, self.context = lane, context
        self.model = RecordsModel(self)
        self.table = QTableView()
        self.table.setObjectName("recordsTable")
        self.table.setAccessibleName("Decision records")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.save_selected_pdf())
        self.verdict = QLabel("Verify checks every record against its hash and the previous record's.")
        self.verdict.setObjectName("chainVerdict")
        self.verdict.setWordWrap(True)
        self.verify_button = QPushButton("Verify the chain")
        self.verify_button.clicked.connect(self.verify)
        self.pdf_button = QPushButton("Save PDF…")
        self.pdf_button.clicked.connect(self.save_selected_pdf)
        self.export_button = QPushButton("Export all…")
        self.export_button.clicked.connect(self.choose_export)
        buttons = QHBoxLayout()
        buttons.addWidget(self.verdict, 1)
        for b in (self.verify_button, self.pdf_button, self.export_button):
            buttons.addWidget(b)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.setCentralWidget(central)
        fm = self.fontMetrics()
        self.resize(fm.averageCharWidth() * 140, fm.height() * 30)

    def refresh(self) -> None:
        ctx = self.context()
        if ctx is not None:
            self.lane.run(lambda _p: _latest(ctx), self._loaded, self._failed)

    def _loaded(self, records: list[DecisionRecord]) -> None:
        self.model.set_records(records)
        self.table.resizeColumnsToContents()
        if records:
            self.table.selectRow(0)
        self.loaded.emit(len(records))

    def verify(self) -> None:
        ctx = self.context()
        if ctx is not None:
            self.lane.run(lambda _p: _verify(ctx), self._verified, self._failed)

    def _verified(self, v: Verification) -> None:
        if v.broken is None:
            self.verdict.setText(f"<b>Chain intact</b>: {v.count:,} records. Last hash <tt>{v.head_sha256}</tt>")
        else:
            self.verdict.setText(f"<b style='color:#c0392b'>Chain broken at record {v.broken.seq}</b>: "
                                 f"{html.escape(v.broken.reason)}. Records from number {v.broken.seq} on cannot "
                                 "be trusted; tell compliance.")
        self.verified.emit(v.broken is None)

    def selected(self) -> DecisionRecord | None:
        index = self.table.currentIndex()
        return index.data(RECORD_ROLE) if index.isValid() else None

    def save_selected_pdf(self) -> None:
        rec = self.selected()
        if rec is not None:
            save_pdf(self, rec, lambda path: self.statusBar().showMessage(f"Saved {path}.", 10000))

    def choose_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export decision records", "decision-records.jsonl",
                                              "JSON Lines (*.jsonl);;CSV (*.csv)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        ctx = self.context()
        if ctx is not None:
            self.lane.run(lambda _p: (_export(ctx, path), path), self._exported, self._failed)

    def _exported(self, value: tuple[int, Path]) -> None:
        n, path = value
        self.statusBar().showMessage(f"{n:,} records written to {path}.", 10000)
        self.exported.emit(str(path))

    def _failed(self, exc: BaseException) -> None:
        self.statusBar().showMessage(str(exc), 15000)
