"""Help menu dialogs: keyboard shortcuts, and About (versions, data sources and their licences)."""

from __future__ import annotations

import html
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui import labels

SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+K or Ctrl+F", "Go to the search field"),
    ("Esc", "Clear the search field (the open company stays on screen)"),
    ("Alt+Left / Alt+Right", "Back / forward through the companies you opened"),
    ("Down / Up", "Move through the results (also from the search field)"),
    ("Enter or click", "Open the selected result"),
    ("Double-click or Enter", "Open an owner in the ownership tree or graph"),
    ("Ctrl+Shift+C", "Copy a summary of the open result for a CRM note"),
    ("Ctrl++ / Ctrl+-", "Zoom the ownership graph in / out"),
    ("Ctrl+0", "Fit the ownership graph in the view"),
    ("Ctrl+wheel, drag", "Zoom and pan the ownership graph"),
    ("Ctrl+I", "Import a dataset"),
    ("F1", "Show these shortcuts"),
    ("Ctrl+Q", "Quit"),
)


def app_version() -> str:
    try:
        return version("clearance")
    except PackageNotFoundError:
        return "development"


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        table = QTableWidget(len(SHORTCUTS), 2, self)
        table.setAccessibleName("Shortcut list")
        table.setHorizontalHeaderLabels(["Keys", "What it does"])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, what) in enumerate(SHORTCUTS):
            table.setItem(row, 0, QTableWidgetItem(keys))
            table.setItem(row, 1, QTableWidgetItem(what))
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        fm = self.fontMetrics()
        rows = table.verticalHeader().defaultSectionSize() * len(SHORTCUTS)
        height = rows + table.horizontalHeader().sizeHint().height() + buttons.sizeHint().height() + fm.height() * 3
        self.resize(fm.averageCharWidth() * 80, height)


def about_html(info: dict[str, Any] | None) -> str:
    rows = [f"<h2>Clearance {html.escape(app_version())}</h2>",
            "<p>Tells you whether a prospective customer may be served under the company's "
            "ownership-based sales-restriction policy, and why.</p>",
            "<p><b>Not on file is not eligible:</b> when a company is not in the data, establish its "
            "ownership before selling.</p>"]
    if info:
        p = info["policy"]
        rows.append(f"<p><b>Policy:</b> {html.escape(p['id'])} {html.escape(p['version'])}<br>"
                    f"SHA-256 {html.escape(p['sha256'])}</p>")
        rows.append("<p><b>Data sources and licences</b></p><ul>")
        for d in info["datasets"]:
            rows.append(f"<li>{html.escape(d['title'])} {html.escape(d['version'])} "
                        f"(as of {html.escape(d['as_of'])}) — "
                        f"{html.escape(d['publisher'] or 'unknown publisher')}, licence "
                        f"{html.escape(d['license'] or 'not stated')}; "
                        f"{labels.count(d['entities'], 'entity', 'entities')}, "
                        f"{labels.count(d.get('relationships', 0), 'relationship')}</li>")
        if not info["datasets"]:
            rows.append("<li>No dataset imported yet (File → Import dataset…)</li>")
        rows.append("</ul>")
        if any(d["id"] == labels.REFERENCE_DATASET for d in info["datasets"]):
            rows.append(f"<p><b>{html.escape(labels.REFERENCE_CAVEAT)}</b></p>")
        rows.append(f"<p><b>Database:</b> {html.escape(info['location'])}</p>")
    rows.append(f"<p>Qt {html.escape(qVersion())}, PySide6 {html.escape(PySide6.__version__)} (LGPLv3).</p>")
    return "".join(rows)


class AboutDialog(QDialog):
    def __init__(self, info: dict[str, Any] | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Clearance")
        self.setAccessibleName("About Clearance")
        text = QLabel(about_html(info))
        text.setAccessibleName("About text")
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 90, self.sizeHint().height())
