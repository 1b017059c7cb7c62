"""Run a slow, Qt-free function on a Python thread and hear about the result on the UI thread."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal

# Jobs whose result has not been delivered yet. Held here so the bridge is never freed by the worker thread or
# before its queued signal arrives, whether or not the caller keeps the job.
_UNDELIVERED: set[BackgroundJob] = set()


class _Bridge(QObject):
    """Lives on the UI thread; a signal emitted from the worker reaches its receivers there (queued)."""

    done = Signal(object, object)  # result, exception


class BackgroundJob:
    """One call running in a daemon thread; `on_done(result, error)` runs on the UI thread when it ends."""

    def __init__(self, work: Callable[[], Any], on_done: Callable[[Any, BaseException | None], None],
                 context: QObject | None = None) -> None:
        self._bridge = _Bridge()

        def deliver(result: Any, error: BaseException | None) -> None:
            _UNDELIVERED.discard(self)
            # The object that asked may have been deleted while the work ran; then nobody is told.
            if context is None or shiboken6.isValid(context):
                on_done(result, error)

        self._bridge.done.connect(deliver)
        self._thread = threading.Thread(target=self._run, args=(work,), daemon=True)

    def start(self) -> BackgroundJob:
        """Start the work; returns the job."""
        _UNDELIVERED.add(self)
        self._thread.start()
        return self

    def wait(self, seconds: float | None = None) -> None:
        """Block until the work is over (used when the window closes)."""
        self._thread.join(seconds)

    def is_running(self) -> bool:
        """Whether the work has not ended yet."""
        return self._thread.is_alive()

    def _run(self, work: Callable[[], Any]) -> None:
        bridge = self._bridge
        try:
            result, error = work(), None
        except BaseException as exc:  # handed to the UI thread, which decides what to show
            result, error = None, exc
        with contextlib.suppress(RuntimeError):  # the application is shutting down
            bridge.done.emit(result, error)


def run_in_background(work: Callable[[], Any], on_done: Callable[[Any, BaseException | None], None],
                      context: QObject | None = None) -> BackgroundJob:
    """Start `work` on a worker thread; `on_done(result, error)` runs on the UI thread afterwards if `context` lives."""
    return BackgroundJob(work, on_done, context).start()
