"""The status bar's permanent part: which data and which policy are in use, and whether the data is old."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtWidgets import QLabel, QStatusBar

from desktop_app.ui import labels
from desktop_app.ui.status_look import icon_path


class DataStatus:
    """Three labels in the status bar, filled from database_info."""

    def __init__(self, bar: QStatusBar) -> None:
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

    def opening(self) -> None:
        self.data_label.setText("Opening the database…")

    def failed(self) -> None:
        self.data_label.setText("No database")

    def show_info(self, info: dict[str, Any], stale_after_days: int | None) -> None:
        dsets = info.get("datasets", [])
        if dsets:
            text = "Data: " + "; ".join(f"{d['title']} {d['version']} (as of {d['as_of']})" for d in dsets)
        else:
            text = "Data: none — File → Import dataset…"
        self.data_label.setText(text)
        caveat = ("\n" + labels.REFERENCE_CAVEAT
                  if any(d.get("id") == labels.REFERENCE_DATASET for d in dsets) else "")
        self.data_label.setToolTip(f"Database: {info.get('location', '')}\n"
                                   f"{labels.count(info.get('entities', 0), 'entity', 'entities')}, "
                                   f"{labels.count(info.get('relationships', 0), 'relationship')}{caveat}")
        p = info.get("policy", {})
        self.policy_label.setText(f"Policy: {p.get('id', '?')} {p.get('version', '')}")
        self.policy_label.setToolTip(f"{p.get('path', '')}\nSHA-256 {p.get('sha256', '')}")
        stale = info.get("stale_warning")
        self.stale_label.setVisible(bool(stale))
        if stale:
            side = self.stale_label.fontMetrics().height()
            limit = stale_after_days or "the policy's"
            self.stale_label.setText(f"<img src='{html.escape(icon_path('warning.svg'), quote=True)}' width={side} "
                                     f"height={side}> Data older than {limit} days — check with compliance")
            self.stale_label.setToolTip(stale[:1].upper() + stale[1:])
            self.stale_label.setAccessibleDescription(stale)
