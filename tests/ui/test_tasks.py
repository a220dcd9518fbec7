"""The database lane: work off the GUI thread, one job at a time, answers back on the GUI thread."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QThread

from desktop_app.ui.tasks import Lane


def test_jobs_run_off_the_gui_thread_and_answer_on_it(qtbot: Any, qapp: Any) -> None:
    lane = Lane(qapp)
    seen: dict[str, bool] = {}

    def op(progress: Any) -> int:
        seen["op on gui thread"] = QThread.currentThread() is qapp.thread()
        progress("step", 1, 2)
        return 42

    answers: list[int] = []
    lane.run(op, answers.append, None,
             lambda *_: seen.setdefault("progress on gui thread", QThread.currentThread() is qapp.thread()))
    qtbot.waitUntil(lambda: answers == [42])
    qtbot.waitUntil(lambda: not lane.busy)
    assert lane.wait(5000)
    assert seen == {"op on gui thread": False, "progress on gui thread": True}


def test_jobs_run_one_at_a_time_in_order(qtbot: Any, qapp: Any) -> None:
    lane = Lane(qapp)
    running, overlaps, order = [0], [], []
    lock = threading.Lock()

    def job(n: int) -> Any:
        def op(_progress: Any) -> int:
            with lock:
                running[0] += 1
                overlaps.append(running[0])
            with lock:
                running[0] -= 1
            return n
        return op

    for n in range(20):
        lane.run(job(n), order.append)
    qtbot.waitUntil(lambda: len(order) == 20)
    assert order == list(range(20))
    assert max(overlaps) == 1
    assert lane.pool.maxThreadCount() == 1
    assert not lane.busy


def test_a_failure_reaches_the_gui_thread(qtbot: Any, qapp: Any) -> None:
    lane = Lane(qapp)
    failures: list[tuple[str, bool]] = []

    def op(_progress: Any) -> None:
        raise ValueError("the database is locked")

    lane.run(op, lambda _r: None, lambda exc: failures.append((str(exc), QThread.currentThread() is qapp.thread())))
    qtbot.waitUntil(lambda: bool(failures))
    assert failures == [("the database is locked", True)]
