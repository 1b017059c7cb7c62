"""A quick window for the spelling and checks tests: every pane but the web preview, which they do not need."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import QWidget

from editor.ui import spelling
from editor.ui.document import ArticleDocument
from editor.ui.main_window import MainWindow
from editor.ui.preferences import Preferences
from tests.ui.window_helpers import make_settings, track_window


class NoPreview(QWidget):
    """Stands in for the preview pane: same signals and methods, renders nothing."""

    render_failed = Signal(str)

    def __init__(self, document: ArticleDocument) -> None:
        super().__init__()
        self.document = document

    def scroll_to_line(self, line: int) -> None:
        """Nothing to scroll."""

    def set_document(self, document: ArticleDocument) -> None:
        """Follow the window's article."""
        self.document = document


def spelling_window(qtbot, folder: Path, monkeypatch, dictionaries: Path | None = None) -> MainWindow:
    """A shown window with settings and the user dictionaries (by default) inside the test's folder."""
    folder.mkdir(parents=True, exist_ok=True)
    words = dictionaries or folder / "dictionaries"
    monkeypatch.setattr(spelling, "default_dictionary_folder", lambda: words)
    settings = make_settings(folder)
    window = track_window(qtbot, MainWindow(Preferences.load(settings), settings, preview_factory=NoPreview))
    window.show()
    qtbot.waitExposed(window)
    return window


def underlined_words(window: MainWindow, line: int) -> list[str]:
    """The words of a 0-based line drawn with the spelling underline."""
    block = window.text_pane.document.text_document.findBlockByNumber(line)
    text = block.text()
    return [text[r.start:r.start + r.length] for r in block.layout().formats()
            if r.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline]
