"""Background work: database jobs on one serial lane, results posted back to the GUI thread by signals.

`Lane.run(op, success, failure)` runs `op(progress)` on the lane's single worker thread. `success` or
`failure` is then called on the GUI thread with the return value or the exception. Widgets are only
touched in those callbacks, never in `op`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

Progress = Callable[[str, int, int], None]
Op = Callable[[Progress], Any]

PROGRESS_INTERVAL = 0.05  # seconds between progress signals, so a fast loop cannot flood the event queue


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits, Qt queues the call across threads."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(str, int, int)


class _Job(QRunnable):
    def __init__(self, op: Op, relay: _Relay) -> None:
        super().__init__()
        self.op = op
        self.relay = relay
        self._last_emit = 0.0
        self._last_phase = ""
        self.setAutoDelete(True)

    def _progress(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase != self._last_phase or now - self._last_emit >= PROGRESS_INTERVAL or (total and done >= total):
            self._last_phase, self._last_emit = phase, now
            self.relay.progressed.emit(phase, done, total)

    def run(self) -> None:
        try:
            result = self.op(self._progress)
        except BaseException as exc:  # every failure must reach the GUI thread, or the window waits forever
            self.relay.failed.emit(exc)
        else:
            self.relay.succeeded.emit(result)


class Lane(QObject):
    """One worker thread for all database work, so reads and writes never race each other."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._relays: set[_Relay] = set()

    def run(
        self,
        op: Op,
        success: Callable[[Any], None],
        failure: Callable[[BaseException], None] | None = None,
        progress: Progress | None = None,
    ) -> None:
        relay = _Relay(self)
        self._relays.add(relay)

        @Slot(object)
        def on_success(result: Any) -> None:
            self._release(relay)
            success(result)

        @Slot(object)
        def on_failure(exc: BaseException) -> None:
            self._release(relay)
            if failure is None:
                raise exc
            failure(exc)

        relay.succeeded.connect(on_success)
        relay.failed.connect(on_failure)
        if progress is not None:
            relay.progressed.connect(progress)
        self.pool.start(_Job(op, relay))

    @property
    def busy(self) -> bool:
        return bool(self._relays)

    def _release(self, relay: _Relay) -> None:
        self._relays.discard(relay)
        relay.deleteLater()

    def wait(self, msecs: int = -1) -> bool:
        """Block until queued jobs are done (at shutdown only)."""
        return self.pool.waitForDone(msecs)
