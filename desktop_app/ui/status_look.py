"""How a status looks and reads: word, icon and colours, the same in the list, the banner, the tree and the graph.

A status is always shown with its icon *and* its word, so colour is never the only signal.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette

from desktop_app import locations


@dataclass(frozen=True)
class StatusLook:
    word: str  # what the chip and the banner say
    meaning: str  # one line for a newcomer
    icon_name: str
    light_fg: str
    light_bg: str
    dark_fg: str
    dark_bg: str
    accent: str  # borders and arrows; readable on both light and dark backgrounds


LOOKS: dict[str, StatusLook] = {
    "restricted": StatusLook("RESTRICTED", "Do not sell: controlled from a restricted region.",
                             "status-restricted.svg", "#8c1d12", "#fde7e4", "#ffb4a8", "#5a1a14", "#d13b2b"),
    "review": StatusLook("REVIEW", "Ask compliance before selling.",
                         "status-review.svg", "#6b4500", "#fff1cc", "#ffd68a", "#4a3500", "#d18b00"),
    "eligible": StatusLook("ELIGIBLE", "May be served under the policy.",
                           "status-eligible.svg", "#175c27", "#e2f3e5", "#a8e2b4", "#173d20", "#2e8b45"),
}

UNKNOWN_LOOK = StatusLook("UNKNOWN", "No status.", "not-on-file.svg", "#3f4650", "#eceef1", "#d5d9de", "#343a42",
                          "#7b8494")

# A person is an owner in the data, never a customer with a status of its own.
PERSON_LOOK = StatusLook("PERSON", "An owner in the data, not a customer: look up the company you sell to.",
                         "person.svg", "#3f4650", "#eceef1", "#d5d9de", "#343a42", "#7b8494")


def look(status: str) -> StatusLook:
    return LOOKS.get(status, UNKNOWN_LOOK)


def icon_path(name: str) -> str:
    return str(locations.resources_dir() / "icons" / name)


@cache
def icon(name: str) -> QIcon:
    """An SVG icon from resources/icons, loaded once."""
    return QIcon(icon_path(name))


def status_icon(status: str) -> QIcon:
    return icon(look(status).icon_name)


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the window background is dark (system dark mode or the View menu's dark theme)."""
    pal = palette if palette is not None else QGuiApplication.palette()
    return pal.color(QPalette.ColorRole.Window).lightness() < 128


def chip_colors(status: str, palette: QPalette | None = None) -> tuple[QColor, QColor]:
    """(text, background) for a status chip or banner, suited to the current light or dark palette."""
    lk = look(status)
    if is_dark(palette):
        return QColor(lk.dark_fg), QColor(lk.dark_bg)
    return QColor(lk.light_fg), QColor(lk.light_bg)
