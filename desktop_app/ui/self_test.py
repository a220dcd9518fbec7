"""`clearance gui --self-test`: start the window offscreen, search, open a result, check the banner.

Used by the installer smoke test, so it exercises the real start-up path: Qt plugins, resources,
the embedded reference data (seeded into a temporary database unless --db is given) and services.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, QObject, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.status_look import LOOKS

QUERIES = ("TikTok", "ByteDance", "Huawei", "Tencent", "a")  # the first that finds something is used
TIMEOUT_S = 25.0


class SelfTest(QObject):
    def __init__(self, app: QApplication, window: MainWindow, t0: float) -> None:
        super().__init__(window)
        self.app, self.window, self.t0 = app, window, t0
        self.queries = list(QUERIES)
        self.query = ""
        self.code: int | None = None
        window.ready.connect(self._ready)
        window.openFailed.connect(lambda message: self._fail(f"the database did not open: {message}"))
        window.resultsShown.connect(self._results)
        window.reportShown.connect(self._report)
        QTimer.singleShot(int(TIMEOUT_S * 1000), self, lambda: self._fail(f"no answer within {TIMEOUT_S:g} s"))

    def _say(self, text: str) -> None:
        print(f"self-test: {text} ({time.perf_counter() - self.t0:.2f} s)", flush=True)

    def _ready(self) -> None:
        info = self.window.info or {}
        names = ", ".join(f"{d['id']} {d['version']}" for d in info.get("datasets", [])) or "no datasets"
        self._say(f"database open: {info.get('entities', 0):,} entities ({names})")
        if not info.get("entities"):
            self._fail("the database holds no entities (is the reference data bundled?)")
            return
        self._next_query()

    def _next_query(self) -> None:
        if not self.queries:
            self._fail(f"no results for any of {', '.join(QUERIES)}")
            return
        self.query = self.queries.pop(0)
        self.window.search.setFocus()
        self.window.search.setText(self.query)

    def _results(self, count: int) -> None:
        if not self.query or self.code is not None or self.window.search.text() != self.query:
            return
        if count == 0:
            self._say(f"no results for {self.query!r}")
            self._next_query()
            return
        hit = self.window.model.hit(0)
        assert hit is not None
        self._say(f"{count} results for {self.query!r}; opening {hit.name} ({hit.status})")
        self.window.open_hit(hit)

    def _report(self, entity_id: str) -> None:
        if self.code is not None:
            return
        detail = self.window.detail
        word = detail.banner.word.text()
        if word not in {lk.word for lk in LOOKS.values()}:
            self._fail(f"the banner shows {word!r} instead of a status")
            return
        if detail.tree_model.rowCount() < 1 or not detail.graph.boxes:
            self._fail("the ownership tree or graph is empty")
            return
        self._say(f"banner shows {word} {detail.banner.share.text()} for {detail.name.text()} [{entity_id}]")
        self._finish(0)

    def _fail(self, message: str) -> None:
        if self.code is None:
            print(f"self-test FAILED: {message}", file=sys.stderr, flush=True)
            self._finish(1)

    def _finish(self, code: int) -> None:
        if self.code is None:
            self.code = code
            self.app.exit(code)


def _qt_message(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    # The offscreen platform cannot size windows to their hints and says so for every window; that is expected.
    if "propagateSizeHints" not in message:
        print(f"qt: {message}", file=sys.stderr)


def run_self_test(app: QApplication, db: str | None, policy: str | None) -> int:
    t0 = time.perf_counter()
    qInstallMessageHandler(_qt_message)
    with tempfile.TemporaryDirectory(prefix="clearance-self-test-") as tmp:
        seed: bool | None = None
        location = db
        if location is None:
            location = str(Path(tmp) / "self-test.db")
            seed = True
        window = MainWindow(db=location, policy=policy, seed=seed, settings=None)
        test = SelfTest(app, window, t0)
        window.show()
        window.start()
        code = app.exec()
        window.close()
        if test.code is None:
            print("self-test FAILED: the event loop ended early", file=sys.stderr)
            code = 1
        elif code == 0:
            print(f"self-test: ok in {time.perf_counter() - t0:.2f} s", flush=True)
        window.deleteLater()
        app.processEvents()
    return code
