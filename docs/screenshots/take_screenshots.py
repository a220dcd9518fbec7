"""Take the README screenshots: run under Xvfb (xvfb-run -a python docs/screenshots/take_screenshots.py --db …).

Each state is reached through the window's own signals (no sleeps) and saved with QWidget.grab().
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from desktop_app.ui.app import make_application
from desktop_app.ui.chain_model import ENTITY_ID_ROLE
from desktop_app.ui.help_dialogs import AboutDialog, ShortcutsDialog
from desktop_app.ui.main_window import MainWindow

OUT = Path(__file__).resolve().parent


def wait_for(signal: object, action: Callable[[], None], timeout_ms: int = 20000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(timeout_ms, loop.quit)
    action()
    loop.exec()
    signal.disconnect(loop.quit)  # type: ignore[attr-defined]


def settle(app: QApplication, ms: int = 150) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def loop_until(app: QApplication, done: Callable[[], bool], timeout_ms: int = 20000) -> None:
    waited = 0
    while not done() and waited < timeout_ms:
        settle(app, 50)
        waited += 50


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--results", default="tik")
    p.add_argument("--restricted", default="tiktok.com")
    p.add_argument("--eligible", default="Nordic Music")
    p.add_argument("--review", default="Alpine Sensors")
    p.add_argument("--not-found", default="Zyxwv Imaginary Trading")
    p.add_argument("--possible", default="", help="a query with only a possible match")
    p.add_argument("--leads", default="", help="a lead list (CSV) to screen for the screening shot")
    p.add_argument("--person", default="", help="a person to look up, shown as an owner")
    p.add_argument("--width", type=int, default=0, help="window width (default: the window's own default size)")
    p.add_argument("--height", type=int, default=0)
    p.add_argument("--prefix", default="")
    args = p.parse_args()
    app = make_application([])
    window = MainWindow(db=args.db, seed=False, settings=None)
    window.set_theme("light")
    if args.width and args.height:
        window.resize(args.width, args.height)
    window.show()
    wait_for(window.ready, window.start)
    settle(app)

    def shot(name: str) -> None:
        settle(app)
        path = OUT / f"{args.prefix}{name}.png"
        window.grab().save(str(path))
        print(path, f"{window.width()}×{window.height()}")

    def search(text: str) -> None:
        wait_for(window.resultsShown, lambda: window.search.setText(text))

    def open_first(text: str) -> None:
        """Open the result whose name starts with `text`, else the first."""
        search(text)
        hits = window.model.hits
        hit = next((h for h in hits if h.name.lower().startswith(text.lower())), hits[0] if hits else None)
        if hit is None:
            print(f"no result for {text!r}", file=sys.stderr)
            return
        wait_for(window.reportShown, lambda: window.open_hit(hit))

    def dialog_shot(name: str, dialog: object) -> None:
        dialog.show()  # type: ignore[attr-defined]
        settle(app)
        dialog.grab().save(str(OUT / f"{args.prefix}{name}.png"))  # type: ignore[attr-defined]
        print(OUT / f"{args.prefix}{name}.png")
        dialog.close()  # type: ignore[attr-defined]

    print(f"window size {window.width()}×{window.height()}")
    shot("01-empty")
    search(args.results)
    shot("02-results")
    open_first(args.restricted)
    shot("03-restricted-detail")
    window.detail.tabs.setCurrentWidget(window.detail.tree)
    shot("03b-restricted-tree")
    window.detail.tabs.setCurrentWidget(window.detail.sources_page)
    shot("03c-restricted-sources")
    window.detail.tabs.setCurrentWidget(window.detail.facts_scroll)
    shot("03d-restricted-facts")
    window.detail.tabs.setCurrentWidget(window.detail.graph_page)
    # Open the direct owner from the tree, as a double-click or Enter does, then go back (Alt+Left).
    model = window.detail.tree_model
    owner = model.index(0, 0, model.index(0, 0))
    if owner.isValid():
        wait_for(window.reportShown, lambda: window.open_entity(owner.data(ENTITY_ID_ROLE), owner.data()))
        shot("03e-owner-opened")
        wait_for(window.reportShown, window.go_back)
    open_first(args.eligible)
    shot("04-eligible-detail")
    open_first(args.review)
    shot("05-review-detail-range")
    wait_for(window.resultsShown, window.search.clear)  # Esc: the query goes, the open company and history stay
    shot("06b-recent-lookups")
    search(args.not_found)
    shot("06-not-on-file")
    if args.person:
        search(args.person)
        shot("06c-person-result")
    window.set_theme("dark")
    open_first(args.restricted)
    shot("07-dark-mode")
    window.set_theme("light")
    dialog_shot("08-about", AboutDialog(window.info, window))
    dialog_shot("09-shortcuts", ShortcutsDialog(window))
    from desktop_app.ui.datasets_dialog import DatasetsDialog

    dialog_shot("16-datasets", DatasetsDialog(window.info, window))
    if args.possible:
        search(args.possible)
        shot("17-possible-match")
    open_first(args.restricted)
    record = window.records.open_dialog()
    if record is not None:
        dialog_shot("13-record-decision", record)
    if args.leads:
        screening = window.screening.show()
        screening.resize(window.size())
        screening.open_path(Path(args.leads))
        loop_until(app, lambda: screening.picker is not None and screening.picker.isVisible())
        picker = screening.picker
        if picker is not None:
            wait_for(screening.finished, picker.start_button.click, 120000)
            settle(app)
            screening.grab().save(str(OUT / f"{args.prefix}18-screening-window.png"))
            print(OUT / f"{args.prefix}18-screening-window.png")
        screening.close()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
