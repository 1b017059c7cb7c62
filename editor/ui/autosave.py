"""Keeping work safe while the user types: recovery copies from the first keystroke, and optional autosave."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from editor.core.errors import EditorError

if TYPE_CHECKING:
    from editor.core.model import Article
    from editor.core.recovery import RecoveryStore
    from editor.ui.document import ArticleDocument
    from editor.ui.main_window import MainWindow

# A copy follows about a second after typing stops, and at most two seconds behind while typing goes on.
IDLE_MS = 1000
MAX_DELAY_MS = 2000
BUNDLE_IDLE_MS = 30_000
MESSAGE_MS = 8000


def tr(text: str) -> str:
    """Translate a user-visible string about autosave and recovery copies."""
    return QCoreApplication.translate("Autosave", text)


class RecoveryWriter(QObject):
    """Writes and removes recovery copies on one worker thread; per key only the newest request is carried out."""

    failed = Signal(str)  # one sentence, emitted on the UI thread
    written = Signal(str)  # the key just written

    def __init__(self, store: RecoveryStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._guard = threading.Lock()
        self._pending: dict[str, tuple] = {}
        self._thread: threading.Thread | None = None

    def write(self, key: str, article: Article, source: Path | None, fingerprint: str | None) -> None:
        """Ask for the article to be kept under `key` (replacing any request for it not yet carried out)."""
        self._queue(key, ("write", article, source, fingerprint))

    def discard(self, key: str) -> None:
        """Ask for the copy under `key` to be removed (after any write of it already running)."""
        self._queue(key, ("discard",))

    def wait(self) -> None:
        """Block until every request is carried out (the window closes)."""
        thread = self._thread
        if thread is not None:
            thread.join()

    def _queue(self, key: str, request: tuple) -> None:
        with self._guard:
            self._pending.pop(key, None)  # re-inserted last, so requests for other keys keep their turn
            self._pending[key] = request
            if self._thread is not None:
                return
            # One worker at a time: two writes of the same key can never overlap.
            self._thread = threading.Thread(target=self._drain, name="recovery-writer")
        self._thread.start()

    def _drain(self) -> None:
        while True:
            with self._guard:
                if not self._pending:
                    self._thread = None
                    return
                key = next(iter(self._pending))
                request = self._pending.pop(key)
            try:
                if request[0] == "write":
                    self.store.write(key, *request[1:])
                    self.written.emit(key)
                else:
                    self.store.discard(key)
            except (EditorError, OSError) as exc:
                self.failed.emit(str(exc))
            except Exception as exc:  # a bug in the store must not end the worker and stop all later copies
                self.failed.emit(tr("A recovery copy could not be written ({kind}).").format(kind=type(exc).__name__))


class RecoveryCopies(QObject):
    """Keeps a recovery copy of the window's article no more than two seconds behind the last edit."""

    def __init__(self, window: MainWindow, store: RecoveryStore) -> None:
        super().__init__(window)
        self._window = window
        self.store = store
        self.writer = RecoveryWriter(store, self)
        self.writer.failed.connect(self._on_failed)
        self._last_failure = ""
        self.key = store.new_key()
        self._next_key: str | None = None
        self.idle = _single_shot(self, IDLE_MS, self.snapshot)
        self.cap = _single_shot(self, MAX_DELAY_MS, self.snapshot)
        window.document_replaced.connect(self._on_replaced)
        window.saved.connect(self._on_saved)
        self._follow(window.document)

    def continue_key(self, key: str | None) -> None:
        """Have the next document shown keep writing to this (recovered) copy instead of a new one."""
        self._next_key = key

    def snapshot(self) -> None:
        """Take the article now (cheap, on the UI thread) and have it written in the background."""
        self.idle.stop()
        self.cap.stop()
        document = self._window.document
        if document.is_modified:
            self.writer.write(self.key, document.article(), document.path, document.fingerprint)

    def shutdown(self) -> None:
        """The window closes after the user saved or discarded: the copy goes; wait for the worker."""
        self.idle.stop()
        self.cap.stop()
        self.writer.discard(self.key)
        self.writer.wait()

    def _follow(self, document: ArticleDocument) -> None:
        document.content_changed.connect(self._on_changed)
        document.undo_stack.indexChanged.connect(self._on_changed)
        document.modified_changed.connect(self._on_modified)
        if document.is_modified:
            self._on_changed()

    def _on_changed(self, *_args: object) -> None:
        self.idle.start()
        if not self.cap.isActive():
            self.cap.start()

    def _on_modified(self, modified: bool) -> None:
        if modified:
            self._on_changed()  # also when only the flag changed (the bundle vanished from disk)
            return
        # Saved, or undone back to what is on disk: nothing left to recover.
        self.idle.stop()
        self.cap.stop()
        self.writer.discard(self.key)

    def _on_saved(self, _path: object) -> None:
        if self._window.document.is_modified:
            self._on_changed()  # changed while the save ran: that part is only in the window

    def _on_replaced(self, document: ArticleDocument) -> None:
        # The old article was saved or the user chose to drop its changes: its copy goes.
        self.idle.stop()
        self.cap.stop()
        self.writer.discard(self.key)
        self.key, self._next_key = self._next_key or self.store.new_key(), None
        self._follow(document)

    def _on_failed(self, sentence: str) -> None:
        if sentence != self._last_failure:  # say it once, not every second
            self._last_failure = sentence
            self._window.statusBar().showMessage(sentence, MESSAGE_MS)


class BundleAutosave(QObject):
    """Saves into the article's own bundle after a quiet spell, when the user asked for it in the preferences."""

    def __init__(self, window: MainWindow, idle_ms: int = BUNDLE_IDLE_MS) -> None:
        super().__init__(window)
        self._window = window
        self.stopped_because = ""  # set when a problem stopped autosave until the next manual save
        self.timer = _single_shot(self, idle_ms, self.run)
        window.document_replaced.connect(self._on_replaced)
        window.saved.connect(self._on_saved)
        self._follow(window.document)

    def run(self) -> bool:
        """Save now if autosave applies; True when it saved."""
        window = self._window
        document = window.document
        if not window.preferences.autosave_bundle or self.stopped_because or document.path is None \
                or not document.is_modified or window.guard.read_only:
            return False
        if window.saving or QApplication.activeModalWidget() is not None:
            self.timer.start()  # the user is answering a question: try again after the next quiet spell
            return False
        return window.save_quietly(self._stop)

    def shutdown(self) -> None:
        """No more saves."""
        self.timer.stop()

    def _follow(self, document: ArticleDocument) -> None:
        document.content_changed.connect(self._on_changed)
        document.undo_stack.indexChanged.connect(self._on_changed)

    def _on_changed(self, *_args: object) -> None:
        if self._window.preferences.autosave_bundle and not self.stopped_because:
            self.timer.start()

    def _stop(self, sentence: str) -> None:
        self.stopped_because = sentence
        self._window.statusBar().showMessage(
            tr("Autosave is paused until you save yourself: {reason}").format(reason=sentence), 0)

    def _on_saved(self, _path: object) -> None:
        self.stopped_because = ""

    def _on_replaced(self, document: ArticleDocument) -> None:
        self.timer.stop()
        self.stopped_because = ""
        self._follow(document)


def _single_shot(parent: QObject, interval: int, slot) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(interval)
    timer.timeout.connect(slot)
    return timer
