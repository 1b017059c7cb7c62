"""Work on a worker thread whose result comes back on the UI thread."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtCore import QObject

from editor.ui.background import run_in_background


def test_the_result_arrives_on_the_ui_thread(qtbot):
    got: list[tuple] = []
    job = run_in_background(lambda: threading.current_thread().name,
                            lambda result, error: got.append((result, error, threading.current_thread().name)))
    qtbot.waitUntil(lambda: bool(got))
    worker_name, error, delivered_on = got[0]
    assert error is None
    assert worker_name != threading.main_thread().name
    assert delivered_on == threading.main_thread().name
    assert not job.is_running()


def test_an_exception_is_handed_over_not_raised(qtbot):
    got: list[tuple] = []

    def broken() -> None:
        raise ValueError("broken on purpose")

    run_in_background(broken, lambda result, error: got.append((result, error)))
    qtbot.waitUntil(lambda: bool(got))
    result, error = got[0]
    assert result is None and isinstance(error, ValueError)


def test_nobody_is_told_when_the_asker_is_gone(qtbot):
    asker = QObject()
    release = threading.Event()
    got: list[object] = []
    job = run_in_background(lambda: release.wait(5), lambda result, _error: got.append(result), asker)
    done: list[object] = []
    run_in_background(lambda: job.wait(5), lambda *_args: done.append(True))
    shiboken6.delete(asker)
    release.set()
    # The second job ends after the first has reported, and reports after it: by then any call was made.
    qtbot.waitUntil(lambda: bool(done))
    assert got == []
