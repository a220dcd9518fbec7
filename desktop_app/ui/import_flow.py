"""File → Import dataset…: a cancellable progress dialog over an import on the database lane.

The import service validates everything before it writes and writes in one transaction, so after a
refusal or a cancel the database is exactly as it was; this module only reports which happened.
A dataset is a canonical folder or .zip, or the GLEIF golden copy: its three files, or a folder
holding them; the service tells them apart.
"""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui import labels
from desktop_app.ui.backend import Backend, import_then_describe
from desktop_app.ui.tasks import Lane

if TYPE_CHECKING:
    from desktop_app.services.context import AppContext
    from desktop_app.services.importing import DatasetError, ImportSummary


Chosen = Path | list[Path]


def choose_dataset(parent: QWidget | None) -> Chosen | None:
    """A canonical dataset (its dataset.toml, or a .zip of one), or the GLEIF files (select all three)."""
    paths, _ = QFileDialog.getOpenFileNames(
        parent, "Import dataset", "",
        "Datasets (dataset.toml *.zip *.csv *.xml);;GLEIF golden copy (*.zip *.csv *.xml);;All files (*)")
    if not paths:
        return None
    chosen = [Path(p) for p in paths]
    if len(chosen) == 1:
        return chosen[0].parent if chosen[0].name == "dataset.toml" else chosen[0]
    return chosen


def choose_folder(parent: QWidget | None) -> Path | None:
    """A folder holding a dataset: a canonical one, or the three GLEIF files."""
    path = QFileDialog.getExistingDirectory(parent, "Import a dataset folder")
    return Path(path) if path else None


def describe(paths: Chosen) -> str:
    if isinstance(paths, Path):
        return paths.name
    return paths[0].name if len(paths) == 1 else f"{len(paths)} files ({', '.join(p.name for p in paths)})"


def time_left(seconds: float) -> str:
    if seconds < 60:
        return "less than a minute left"
    minutes = round(seconds / 60)
    return f"about {minutes} min left" if minutes < 90 else f"about {minutes / 60:.1f} h left"


def finished_message(s: ImportSummary) -> str:
    """What a finished import changed, for the status bar."""
    verb = "Replaced" if s.replaced else "Imported"
    return (f"{verb} {s.title} {s.version} (as of {s.as_of}) in {s.seconds:.1f} s: "
            f"{labels.count(s.entities, 'entity', 'entities')}, {labels.count(s.relationships, 'relationship')}; "
            f"{labels.count(s.status_changes, 'entity', 'entities')} changed status.")


class ProblemsDialog(QDialog):
    """Lists every problem found in a refused dataset (file, line, field), with a copy button."""

    def __init__(self, error: DatasetError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Dataset not imported")
        self.setAccessibleName("Dataset not imported")
        head = QLabel(f"<b>{html.escape(str(error))}</b><br>The database is unchanged. "
                      "Fix these problems and import the dataset again:")
        head.setWordWrap(True)
        head.setTextFormat(Qt.TextFormat.RichText)
        head.setAccessibleName("Summary")
        self.problems = QPlainTextEdit("\n".join(error.problems))
        self.problems.setReadOnly(True)
        self.problems.setAccessibleName("Problems found")
        self.problems.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton("Copy problems")
        copy.setAccessibleName("Copy problems")
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.problems.toPlainText()))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.problems, 1)
        layout.addWidget(buttons)
        fm = self.fontMetrics()
        self.resize(fm.averageCharWidth() * 100, fm.height() * 22)


class ImportFlow(QObject):
    """One import at a time; `finished` carries the outcome: 'imported', 'cancelled' or 'failed'."""

    finished = Signal(str, str)  # outcome, message for the status bar
    described = Signal(object)  # database_info after a successful import

    def __init__(self, lane: Lane, backend: Backend, parent: QWidget) -> None:
        super().__init__(parent)
        self.lane = lane
        self.backend = backend
        self.window = parent
        self.dialog: QProgressDialog | None = None
        self.problems: ProblemsDialog | None = None
        self.confirmation: QMessageBox | None = None
        self._before: dict[str, Any] = {}
        self._cancel = threading.Event()
        self._name = ""
        self._phase = ("", 0.0, 0)  # phase, when it started, records done then
        self.running = False

    def start(self, ctx: AppContext, path: Chosen | Sequence[Path], before: dict[str, Any] | None = None) -> None:
        """Import `path`; `before` (database_info) lets the confirmation say what changed."""
        if self.running:
            return
        path = path if isinstance(path, Path) else list(path)
        self.running = True
        self._before = before or {}
        self._cancel.clear()
        self._name = describe(path)
        self._phase = ("", 0.0, 0)
        dialog = QProgressDialog(f"Importing {self._name}…", "Cancel", 0, 0, self.window)
        dialog.setWindowTitle("Import dataset")
        dialog.setAccessibleName("Import progress")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.setMinimumWidth(dialog.fontMetrics().averageCharWidth() * 60)
        dialog.canceled.connect(self.cancel)
        dialog.show()
        self.dialog = dialog
        backend, cancelled = self.backend, self._cancel.is_set
        self.lane.run(lambda progress: import_then_describe(backend, ctx, path, progress, cancelled),
                      self._succeeded, self._failed, self._progress)

    def cancel(self) -> None:
        """Asks the import to stop at its next step; the transaction is then rolled back."""
        self._cancel.set()
        if self.dialog is not None:
            self.dialog.setLabelText("Cancelling… the database stays as it was.")
            self.dialog.setCancelButtonText(None)  # type: ignore[arg-type]  # a null text removes the button
            self.dialog.show()

    @property
    def cancelling(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, phase: str, done: int, total: int) -> None:
        if self.dialog is None or self._cancel.is_set():
            return
        now = time.monotonic()
        if phase != self._phase[0]:
            self._phase = (phase, now, done)
        _, started, first = self._phase
        count = f" {done:,} of {total:,} records" if total else (f" {done:,} records" if done else "")
        left = ""
        elapsed = now - started
        if total and done > first and elapsed > 1.0 and done < total:
            left = f" — {time_left((total - done) * elapsed / (done - first))}"
        self.dialog.setLabelText(f"Importing {self._name}\n{phase}…{count}{left}")
        # QProgressDialog counts in int: scale very large totals to stay in range.
        scale = max(1, total // 1_000_000)
        self.dialog.setMaximum(max(total // scale, 0))
        if total:
            self.dialog.setValue(min(done, total) // scale)

    def _close_dialog(self) -> None:
        self.running = False
        if self.dialog is not None:
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None

    def _succeeded(self, result: tuple[ImportSummary, dict[str, Any]]) -> None:
        self._close_dialog()
        s, info = result
        self.described.emit(info)
        self.confirmation = QMessageBox(QMessageBox.Icon.Information, "Dataset imported",
                                        what_changed(s, self._before, info), QMessageBox.StandardButton.Ok,
                                        self.window)
        self.confirmation.setAccessibleName("Dataset imported")
        self.confirmation.open()
        self.finished.emit("imported", finished_message(s))

    def _failed(self, exc: BaseException) -> None:
        from desktop_app.services.importing import DatasetError, ImportCancelled

        self._close_dialog()
        if isinstance(exc, ImportCancelled):
            self.finished.emit("cancelled", "Import cancelled; the database is unchanged.")
        elif isinstance(exc, DatasetError):
            self.problems = ProblemsDialog(exc, self.window)
            self.problems.open()
            self.finished.emit("failed", f"{exc}")
        else:
            self.problems = None
            box = QMessageBox(QMessageBox.Icon.Critical, "Import failed",
                              f"The import failed and nothing was imported:\n{exc}", parent=self.window)
            box.open()
            self.finished.emit("failed", f"Import failed: {exc}")


def what_changed(s: ImportSummary, before: dict[str, Any], after: dict[str, Any]) -> str:
    """The confirmation after an import: which dataset, and how the database's counts and statuses moved."""
    old = next((d for d in before.get("datasets", []) if d.get("id") == s.dataset_id), None)
    if old is not None:
        head = (f"Replaced {s.title} {old.get('version', '')} (as of {old.get('as_of', '')}) with version "
                f"{s.version} (as of {s.as_of}).")
    else:
        head = f"Imported {s.title} {s.version} (as of {s.as_of})."
    lines = [head, "",
             f"This dataset: {labels.count(s.entities, 'entity', 'entities')}, "
             f"{labels.count(s.relationships, 'relationship')}, {labels.count(s.sources, 'source')}."]

    def moved(key: str, singular: str, plural: str) -> str:
        now, was = int(after.get(key, 0)), int(before.get(key, 0))
        delta = f" ({now - was:+,})" if before and now != was else (" (unchanged)" if before else "")
        return f"{labels.count(now, singular, plural)}{delta}"

    lines.append(f"The database now holds {moved('entities', 'entity', 'entities')} and "
                 f"{moved('relationships', 'relationship', 'relationships')}.")
    now_st, was_st = after.get("statuses", {}), before.get("statuses", {})
    if now_st:
        parts = []
        for status in ("restricted", "review", "eligible"):
            n, w = int(now_st.get(status, 0)), int(was_st.get(status, 0))
            parts.append(f"{n:,} {status}" + (f" ({n - w:+,})" if was_st and n != w else ""))
        lines.append("Statuses: " + ", ".join(parts) + ".")
    if s.replaced:
        lines.append(f"{labels.count(s.status_changes, 'entity', 'entities')} already on file changed status.")
    return "\n".join(lines)
