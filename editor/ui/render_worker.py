"""A background thread that renders the newest snapshot of the article and skips the ones typing made stale."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

from editor.core.errors import EditorError


class RenderWorker(QObject):
    """Renders on its own thread; results arrive on the UI thread through queued signals."""

    finished = Signal(int, object)  # request number, what the render function returned (HTML or a reply)
    failed = Signal(int, str)  # request number, one-sentence message

    def __init__(self, render: Callable[[Any], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.render = render
        self._condition = threading.Condition()
        self._pending: tuple[int, Any] | None = None
        self._latest = 0
        self._stopping = False
        self._thread: threading.Thread | None = None

    @property
    def latest(self) -> int:
        """The number of the newest request; results for older ones are stale."""
        return self._latest

    def submit(self, article: Any) -> int:
        """Queue a render of this snapshot, replacing any snapshot still waiting; returns its number."""
        with self._condition:
            if self._stopping:
                return self._latest
            self._latest += 1
            self._pending = (self._latest, article)
            if self._thread is None:
                # The thread keeps only itself alive: it never touches the pane, just this object's signals.
                self._thread = threading.Thread(target=self._run, name="preview-render", daemon=True)
                self._thread.start()
            self._condition.notify()
            return self._latest

    def is_current(self, request: int) -> bool:
        """Whether a result belongs to the newest request."""
        return request == self._latest

    def stop(self, wait: float = 0.0) -> None:
        """Let the thread end after the render it may be doing; wait up to `wait` seconds for it."""
        with self._condition:
            self._stopping = True
            self._pending = None
            self._condition.notify()
            thread = self._thread
        if thread is not None and wait > 0:
            thread.join(wait)

    def _run(self) -> None:
        while True:
            with self._condition:
                while self._pending is None and not self._stopping:
                    self._condition.wait()
                if self._stopping:
                    return
                request, article = self._pending
                self._pending = None
            try:
                html = self.render(article)
            except EditorError as exc:
                self._emit(self.failed, request, str(exc))
            except Exception as exc:  # a renderer bug must not kill the preview for the rest of the session
                self._emit(self.failed, request, f"The preview could not be rendered ({type(exc).__name__}: {exc}).")
            else:
                self._emit(self.finished, request, html)

    def _emit(self, signal: SignalInstance, request: int, text: str) -> None:
        if self._stopping:
            return
        with contextlib.suppress(RuntimeError):  # the Qt side is gone (window closed mid-render)
            signal.emit(request, text)
