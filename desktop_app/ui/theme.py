"""Light and dark appearance: follow the system by default, or force one from the View menu."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

MODES = ("system", "light", "dark")


def _palette(dark: bool) -> QPalette:
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    if dark:
        colours = {role.Window: "#1f2329", role.WindowText: "#e6e8eb", role.Base: "#15181c",
                   role.AlternateBase: "#1c2026", role.Text: "#e6e8eb", role.Button: "#2a2f36",
                   role.ButtonText: "#e6e8eb", role.Highlight: "#3d7bd9", role.HighlightedText: "#ffffff",
                   role.ToolTipBase: "#2a2f36", role.ToolTipText: "#e6e8eb", role.Link: "#8ab4f8",
                   role.LinkVisited: "#c58af9", role.PlaceholderText: "#9aa3ad", role.Mid: "#5b636d",
                   role.Dark: "#101215", role.Light: "#3a4048", role.Midlight: "#30353c", role.Shadow: "#000000",
                   role.BrightText: "#ffffff"}
        disabled = "#7b838c"
    else:
        colours = {role.Window: "#f3f4f6", role.WindowText: "#1b1f24", role.Base: "#ffffff",
                   role.AlternateBase: "#f6f7f9", role.Text: "#1b1f24", role.Button: "#eceef1",
                   role.ButtonText: "#1b1f24", role.Highlight: "#2f6fce", role.HighlightedText: "#ffffff",
                   role.ToolTipBase: "#ffffdc", role.ToolTipText: "#1b1f24", role.Link: "#1a56b8",
                   role.LinkVisited: "#6b3fa0", role.PlaceholderText: "#5f6873", role.Mid: "#a3a9b1",
                   role.Dark: "#8b9199", role.Light: "#ffffff", role.Midlight: "#e3e6ea", role.Shadow: "#5c6068",
                   role.BrightText: "#ffffff"}
        disabled = "#8b9199"
    pal = QPalette()
    for r, value in colours.items():
        pal.setColor(r, QColor(value))
    for r in (role.WindowText, role.Text, role.ButtonText):
        pal.setColor(group.Disabled, r, QColor(disabled))
    return pal


def apply(mode: str, app: QApplication | None = None) -> None:
    """'system' follows the platform's colour scheme; 'light' and 'dark' force one."""
    app = app or QApplication.instance()  # type: ignore[assignment]
    if app is None:
        return
    hints = app.styleHints()
    if mode == "dark":
        hints.setColorScheme(Qt.ColorScheme.Dark)
        app.setPalette(_palette(dark=True))
    elif mode == "light":
        hints.setColorScheme(Qt.ColorScheme.Light)
        app.setPalette(_palette(dark=False))
    else:
        hints.unsetColorScheme()
        scheme = hints.colorScheme()
        app.setPalette(_palette(dark=scheme == Qt.ColorScheme.Dark))
