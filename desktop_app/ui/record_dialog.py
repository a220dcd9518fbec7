"""Record decision…: keep a tamper-evident record of the determination on screen, then save it as a PDF.

The record holds exactly the report the detail view shows (not one computed again), with the query
typed, an optional note and customer reference; it is appended to the hash chain on the database lane.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui import labels
from desktop_app.ui.status_look import look

if TYPE_CHECKING:
    from desktop_app.services.context import AppContext
    from desktop_app.services.decision_records import DecisionRecord
    from desktop_app.services.lookup import SearchHit
    from desktop_app.services.reporting import EntityReport
    from desktop_app.ui.tasks import Lane


def record(ctx: AppContext, query: str, report: EntityReport, hit: SearchHit | None, note: str,
           customer_ref: str) -> DecisionRecord:
    from desktop_app.services import decision_records

    return decision_records.record_decision(ctx, query, report, hit=hit, note=note, customer_ref=customer_ref)


def write_pdf(rec: DecisionRecord, path: Path) -> Path:
    from desktop_app.ui.record_pdf import write_record_pdf

    write_record_pdf(rec, path)
    return path


def pdf_name(rec: DecisionRecord) -> str:
    stem = "".join(c if c.isalnum() else "-" for c in (rec.entity_name or rec.query))[:40].strip("-")
    return f"decision-{rec.seq}-{stem or 'record'}.pdf"


def save_pdf(parent: QWidget, rec: DecisionRecord, done: Any = None) -> None:
    """Ask where, then write the record's PDF (on the GUI thread: Qt paints it)."""
    path, _ = QFileDialog.getSaveFileName(parent, "Save the decision record as PDF", pdf_name(rec), "PDF (*.pdf)")
    if not path:
        return
    target = Path(path) if path.lower().endswith(".pdf") else Path(path + ".pdf")
    try:
        write_pdf(rec, target)
    except OSError as exc:
        QMessageBox.warning(parent, "Save PDF", str(exc))
        return
    if done is not None:
        done(target)


class RecordDialog(QDialog):
    """Note and customer reference in; after recording, the record's number and hash, and Save PDF."""

    recorded = Signal(int)  # the new record's number
    pdfSaved = Signal(str)

    def __init__(self, lane: Lane, ctx: AppContext, report: EntityReport, query: str, hit: SearchHit | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lane, self.ctx, self.report, self.query, self.hit = lane, ctx, report, query, hit
        self.record: DecisionRecord | None = None
        self.setWindowTitle("Record decision")
        self.setAccessibleName("Record decision")
        ex = report.explanation
        share = labels.share_range(ex.restricted_min, ex.restricted_max)
        searched = (f"Searched for: “{html.escape(query.strip()[:200])}”" if query.strip()
                    else "Opened without a search")
        head = QLabel(f"<b>{html.escape(report.name)}</b> — {look(ex.status).word}, restricted share {share}<br>"
                      f"<span style='color:gray'>{searched}</span>")
        head.setWordWrap(True)
        self.customer_ref = QLineEdit()
        self.customer_ref.setObjectName("customerRef")
        self.customer_ref.setAccessibleName("Customer reference")
        self.customer_ref.setPlaceholderText("CRM id, opportunity or order number (optional)")
        self.customer_ref.setMaxLength(200)
        self.note = QPlainTextEdit()
        self.note.setObjectName("recordNote")
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("Why, what was agreed, who was consulted (optional)")
        self.note.setTabChangesFocus(True)
        form = QFormLayout()
        form.addRow("Customer reference:", self.customer_ref)
        form.addRow("Note:", self.note)
        explain = QLabel("The record keeps this determination as shown — chain, rationale, sources, dataset "
                         "versions and the policy's SHA-256 — with your name and the time. Records are chained by "
                         "their hashes: a later change to any of them is detected.")
        explain.setWordWrap(True)
        self.outcome = QLabel()
        self.outcome.setObjectName("recordOutcome")
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.record_button = self.buttons.addButton("Record", QDialogButtonBox.ButtonRole.AcceptRole)
        self.record_button.setDefault(True)
        self.pdf_button = QPushButton("Save PDF…")
        self.pdf_button.setObjectName("savePdf")
        self.pdf_button.setVisible(False)
        self.buttons.addButton(self.pdf_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.pdf_button.clicked.connect(self.choose_pdf)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addLayout(form)
        layout.addWidget(explain)
        layout.addWidget(self.outcome)
        layout.addWidget(self.buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 80, self.sizeHint().height())

    def submit(self) -> None:
        if self.record is not None:
            self.accept()
            return
        self.record_button.setEnabled(False)
        ctx, query, report, hit = self.ctx, self.query, self.report, self.hit
        note, ref = self.note.toPlainText(), self.customer_ref.text()
        self.lane.run(lambda _p: record(ctx, query, report, hit, note, ref), self._recorded, self._failed)

    def _recorded(self, rec: DecisionRecord) -> None:
        self.record = rec
        self.customer_ref.setReadOnly(True)
        self.note.setReadOnly(True)
        self.outcome.setText(f"<b>Recorded as decision {rec.seq}</b> on {html.escape(rec.at)}.<br>"
                             f"SHA-256 <tt>{rec.sha256}</tt>")
        self.outcome.setVisible(True)
        self.record_button.setText("Close")
        self.record_button.setEnabled(True)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setVisible(False)
        self.pdf_button.setVisible(True)
        self.recorded.emit(rec.seq)

    def _failed(self, exc: BaseException) -> None:
        self.record_button.setEnabled(True)
        self.outcome.setText(f"<b>Not recorded:</b> {html.escape(str(exc))}")
        self.outcome.setVisible(True)

    def choose_pdf(self) -> None:
        if self.record is not None:
            save_pdf(self, self.record, lambda path: self.pdfSaved.emit(str(path)))


class RecordFlow(QObject):
    """Ties decision records to the main window: the detail view's button and File → Decision records…."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.main = window
        self.dialog: RecordDialog | None = None
        self.audit_window: Any = None
        window.detail.recordRequested.connect(self.open_dialog)
        self.records_action = QAction("Decision &records…", window)
        self.records_action.setStatusTip("Recorded decisions: verify the chain, save one as PDF, export them all")
        self.records_action.triggered.connect(self.show_records)

    def open_dialog(self) -> RecordDialog | None:
        main = self.main
        report, ctx = main.detail.report, main.ctx
        if report is None or ctx is None:
            return None
        query = main.search.text()
        hit = next((h for h in main.model.hits if h.entity_id == report.entity_id), None)
        self.dialog = RecordDialog(main.lane, ctx, report, query, hit, main)
        self.dialog.recorded.connect(
            lambda seq: main.statusBar().showMessage(f"Decision recorded as number {seq}.", 10000))
        self.dialog.open()
        return self.dialog

    def show_records(self) -> Any:
        from desktop_app.ui.audit_window import AuditWindow

        if self.audit_window is None:
            self.audit_window = AuditWindow(self.main.lane, lambda: self.main.ctx, self.main)
        self.audit_window.refresh()
        self.audit_window.show()
        self.audit_window.raise_()
        return self.audit_window

