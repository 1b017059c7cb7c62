"""Qt set-up for benchmarks: offscreen by default, WebEngine's sandbox off only when running as root."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, QTimer


def prepare_environment() -> None:
    """Run Qt without a display unless one is asked for; as root WebEngine needs its sandbox off."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
        if "--no-sandbox" not in flags:
            os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --no-sandbox").strip()


def wait_for_signal(signal: object, timeout_ms: int = 20_000) -> bool:
    """Run the event loop until `signal` fires; False on timeout."""
    loop = QEventLoop()
    fired = {"yes": False}

    def done(*_args: object) -> None:
        fired["yes"] = True
        loop.quit()

    signal.connect(done)  # type: ignore[attr-defined]
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(done)  # type: ignore[attr-defined]
    return fired["yes"]


def wait_until(condition: Callable[[], bool], timeout_ms: int = 20_000, step_ms: int = 5) -> bool:
    """Run the event loop until `condition()` holds; False on timeout."""
    deadline = time.perf_counter() + timeout_ms / 1000
    loop = QEventLoop()
    while not condition():
        if time.perf_counter() > deadline:
            return False
        QTimer.singleShot(step_ms, loop.quit)
        loop.exec()
    return True


def spin(ms: int) -> None:
    """Let the event loop run for `ms` milliseconds."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
