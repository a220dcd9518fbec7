"""Record decision in the window, the decision records window (verify, tampering), and the record's PDF."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from desktop_app.ui import record_dialog
from desktop_app.ui.audit_window import RecordsModel
from desktop_app.ui.main_window import MainWindow
from tests.ui.conftest import open_first


def record(qtbot: Any, window: MainWindow, query: str, ref: str = "", note: str = "") -> record_dialog.RecordDialog:
    open_first(qtbot, window, query)
    qtbot.mouseClick(window.detail.record_button, Qt.MouseButton.LeftButton)
    dialog = window.records.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.customer_ref, ref)
    dialog.note.setPlainText(note)
    with qtbot.waitSignal(dialog.recorded, timeout=10000):
        qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    return dialog


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_recording_from_the_detail_view_keeps_what_was_shown(qtbot: Any, window: MainWindow) -> None:
    dialog = record(qtbot, window, "TikTok Pte", ref="CRM-1001", note="Renewal asked by the reseller")
    rec = dialog.record
    assert rec is not None and rec.seq == 1 and rec.customer_ref == "CRM-1001"
    assert rec.query == "TikTok Pte" and rec.entity_name == "TikTok Pte. Ltd." and rec.status == "restricted"
    shown = window.detail.report
    assert shown is not None and rec.determination is not None
    assert rec.determination["rationale"] == shown.explanation.rationale
    assert rec.check["match"]["entity_id"] == shown.entity_id
    assert "Recorded as decision 1" in dialog.outcome.text() and rec.sha256 in dialog.outcome.text()
    assert dialog.pdf_button.isVisible() and dialog.customer_ref.isReadOnly()


def test_records_window_verifies_the_chain_and_detects_a_tampered_row(
        qtbot: Any, window: MainWindow, sample_db: Path) -> None:
    record(qtbot, window, "TikTok Pte", ref="CRM-1")
    record(qtbot, window, "Nordic Music", ref="CRM-2")
    window.records.records_action.trigger()
    audit = window.records.audit_window
    assert audit is not None and audit.isVisible()
    qtbot.waitUntil(lambda: audit.model.rowCount() == 2, timeout=10000)
    assert audit.model.index(0, 4).data() == "Nordic Music AB" and audit.model.index(1, 5).data() == "RESTRICTED"
    with qtbot.waitSignal(audit.verified, timeout=10000) as ok:
        qtbot.mouseClick(audit.verify_button, Qt.MouseButton.LeftButton)
    assert ok.args == [True] and "Chain intact" in audit.verdict.text()

    con = sqlite3.connect(sample_db)
    con.execute("UPDATE decision_records SET customer_ref = 'CRM-999' WHERE seq = 1")
    con.commit()
    con.close()
    with qtbot.waitSignal(audit.verified, timeout=10000) as broken:
        qtbot.mouseClick(audit.verify_button, Qt.MouseButton.LeftButton)
    assert broken.args == [False]
    assert "Chain broken at record 1" in audit.verdict.text() and "customer_ref" in audit.verdict.text()


def test_the_pdf_of_a_record_renders_its_decision(qtbot: Any, window: MainWindow, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = record(qtbot, window, "TikTok Pte", ref="CRM-77", note="checked twice")
    target = tmp_path / "decision.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    with qtbot.waitSignal(dialog.pdfSaved, timeout=20000):
        qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    data = target.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") >= 1
    text = pdf_text(target)
    for expected in ("RESTRICTED", "TikTok Pte. Ltd.", "CRM-77", "checked twice", "Ownership graph",
                     "ByteDance Ltd.", "Policy clauses", "Sources", "2026-01-01", "sample 1",
                     dialog.record.sha256 if dialog.record else "?"):
        assert expected in text, expected


def test_records_model_passes_the_model_tester(qtmodeltester: Any, qtbot: Any, window: MainWindow) -> None:
    dialog = record(qtbot, window, "Nordic Music")
    model = RecordsModel()
    assert dialog.record is not None
    model.set_records([dialog.record])
    qtmodeltester.check(model)
    assert model.index(0, 5).data() == "ELIGIBLE"
