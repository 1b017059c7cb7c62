"""A window for the review tests: every pane but a stand-in preview, so no web engine starts."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QWidget

from editor.ui import main_window
from editor.ui.main_window import MainWindow
from editor.ui.preferences import Preferences
from tests.ui.window_helpers import track_window


class StandInPreview(QWidget):
    """Takes the preview's place: follows documents, renders nothing."""

    render_failed = Signal(str)

    def __init__(self, document) -> None:
        super().__init__()
        self.document = document

    def set_document(self, document) -> None:
        """Follow another article."""
        self.document = document

    def scroll_to_line(self, _line: int) -> None:
        """Nothing to scroll."""


def review_window(qtbot, settings, author: str = "Ed Itor") -> MainWindow:
    """A shown window whose preferences name the reviewer."""
    prefs = Preferences.load(settings)
    prefs.author_name = author
    window = track_window(qtbot, main_window.MainWindow(prefs, settings, preview_factory=StandInPreview))
    window.show()
    qtbot.waitExposed(window)
    return window


def select(window: MainWindow, start: int, end: int) -> None:
    """Select a stretch of the text as the user would with the mouse."""
    editor = window.text_pane.editor
    cursor = editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)


def edit(window: MainWindow, start: int, end: int, text: str) -> None:
    """Replace a stretch of the text (an empty stretch: insert) as one typed edit."""
    select(window, start, end)
    window.text_pane.insert_at_caret(text)
