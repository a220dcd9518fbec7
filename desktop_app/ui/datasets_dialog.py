"""Data → Datasets…: every dataset in the database, with its version, date, publisher and licence; remove one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui import labels

COLUMNS = ("Title", "Version", "As of", "Publisher", "Licence", "Entities", "Relationships")


class DatasetsDialog(QDialog):
    """Lists database_info's datasets; `removeRequested(id)` once the user confirmed removing one."""

    removeRequested = Signal(str)
    importRequested = Signal()

    def __init__(self, info: dict[str, Any] | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Datasets")
        self.setAccessibleName("Datasets")
        self.confirm: QMessageBox | None = None
        self._ids: list[str] = []
        self.intro = QLabel("The data Clearance decides on. Removing a dataset takes its companies, owners and "
                            "sources out of the database and recomputes every status.")
        self.intro.setWordWrap(True)
        self.intro.setAccessibleName("About datasets")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("Datasets in the database")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.caveat = QLabel(labels.REFERENCE_CAVEAT)
        self.caveat.setWordWrap(True)
        self.caveat.setAccessibleName("About the reference data")
        self.remove_button = QPushButton("&Remove…")
        self.remove_button.setAccessibleName("Remove the selected dataset")
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(self.ask_remove)
        self.import_button = QPushButton("&Import dataset…")
        self.import_button.setAccessibleName("Import a dataset")
        self.import_button.clicked.connect(self.importRequested)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.table.itemSelectionChanged.connect(
            lambda: self.remove_button.setEnabled(bool(self.table.selectionModel().selectedRows())))
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.caveat)
        layout.addWidget(buttons)
        fm = self.fontMetrics()
        self.resize(fm.averageCharWidth() * 110, fm.height() * 20)
        self.set_info(info)

    def set_info(self, info: dict[str, Any] | None) -> None:
        datasets = (info or {}).get("datasets", [])
        self._ids = [d["id"] for d in datasets]
        self.table.setRowCount(len(datasets))
        for row, d in enumerate(datasets):
            values = (d["title"], d["version"], d["as_of"], d.get("publisher") or "not stated",
                      d.get("license") or "not stated", f"{d.get('entities', 0):,}", f"{d.get('relationships', 0):,}")
            for col, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                if col >= 5:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setToolTip(f"{d['title']} (id {d['id']})")
                self.table.setItem(row, col, item)
        self.caveat.setVisible(labels.REFERENCE_DATASET in self._ids)
        if not datasets:
            self.intro.setText("No dataset is in the database: nothing can be looked up until one is imported.")
        self.remove_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self._ids[rows[0].row()] if rows else None

    def ask_remove(self) -> None:
        dataset_id = self.selected_id()
        if dataset_id is None:
            return
        item = self.table.item(self._ids.index(dataset_id), 0)
        title = item.text() if item is not None else dataset_id
        self.confirm = QMessageBox(QMessageBox.Icon.Warning, "Remove dataset",
                                   f"Remove “{title}” from the database?\n\nIts companies, owners and sources are "
                                   "taken out and every status is recomputed. Import it again to bring it back.",
                                   QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        self.confirm.setDefaultButton(QMessageBox.StandardButton.Cancel)
        remove = self.confirm.button(QMessageBox.StandardButton.Yes)
        remove.setText("Remove")
        self.confirm.buttonClicked.connect(
            lambda button: self.removeRequested.emit(dataset_id) if button is remove else None)
        self.confirm.open()
