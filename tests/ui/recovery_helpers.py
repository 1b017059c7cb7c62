"""Playing a crashed instance in window tests: a store owned by a process that no longer runs, and a crash."""

from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QWidget

from editor.core.instance import Instance, host_name
from editor.core.lock import lock_path
from editor.core.recovery import RecoveryStore
from editor.ui.document import ArticleDocument
from editor.ui.main_window import MainWindow
from editor.ui.preferences import Preferences
from tests.ui.window_helpers import track_window

# This pid with another start time: to the liveness check it is a process that ended (its pid reused since).
DEAD_OWNER = str(Instance(host=host_name(), pid=os.getpid(), start="ended-long-ago"))


def dead_store(root: Path) -> RecoveryStore:
    """A store as the crashed instance had it."""
    return RecoveryStore(root, owner=DEAD_OWNER)


def copy_text(store: RecoveryStore, key: str) -> str:
    """The text of a recovery copy, or "" while there is none."""
    try:
        return store.load(key).body
    except Exception:  # not written yet
        return ""


def crash(window: MainWindow, monkeypatch) -> None:
    """Make the window behave as if its process had been killed: it writes and removes nothing any more."""
    feature = window.features["recovery_ui"]
    feature.copies.writer.wait()
    feature.copies.idle.stop()
    feature.copies.cap.stop()
    monkeypatch.setattr(feature.store, "write", lambda *args: None)
    monkeypatch.setattr(feature.store, "discard", lambda key: None)
    bundle = window.guard.bundle
    if bundle is not None:
        # Its lock stays behind, naming a process that no longer runs.
        lock = lock_path(bundle.absolute())
        info = json.loads(lock.read_bytes())
        info["start"] = "ended-long-ago"
        lock.write_text(json.dumps(info), encoding="utf-8")
    window.hide()


class StandInPreview(QWidget):
    """Takes the preview's place in these tests: same signals and methods, renders nothing."""

    render_failed = Signal(str)

    def __init__(self, document: ArticleDocument) -> None:
        super().__init__()
        self.document = document

    def scroll_to_line(self, line: int) -> None:
        """Nothing to scroll."""

    def set_document(self, document: ArticleDocument) -> None:
        """Follow the window's article."""
        self.document = document


def quick_window(qtbot, settings: QSettings, fast_copies: bool = True) -> MainWindow:
    """A shown window without the web preview; with `fast_copies` its recovery copies follow within moments."""
    window = track_window(qtbot, MainWindow(Preferences.load(settings), settings, preview_factory=StandInPreview))
    copies = window.features["recovery_ui"].copies
    if fast_copies and copies is not None:
        copies.idle.setInterval(10)
        copies.cap.setInterval(20)
    window.show()
    qtbot.waitExposed(window)
    return window
