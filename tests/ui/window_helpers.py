"""Shared set-up for the window tests: settings in tmp_path and dialogs that answer without a user."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QCoreApplication, QEvent, QSettings, Qt, Signal
from PySide6.QtWidgets import QWidget

from editor.ui import dialogs, main_window
from editor.ui.main_window import MainWindow
from editor.ui.preferences import Preferences

# A shown window with a web view asks the platform for GPU rendering; the headless test platform has
# none and says so in warnings that are about the machine, not about the window.
HEADLESS_NOISE = (
    r"QRhiGles2: Failed to create",
    r"Failed to create RHI",
    r"does not support createPlatformVulkanInstance",
    r"QVulkanInstance: Failed to initialize",
    r"GBM is not supported",
    r"GPUInfo not initialized",
    r"does not support propagateSizeHints",
)


@dataclass
class Answers:
    """What the patched dialogs answer, and what they were asked."""

    unsaved: str = "discard"
    conflict: str = "cancel"
    replace: bool = True
    open_path: Path | None = None
    save_path: Path | None = None
    asked_unsaved: list[str] = field(default_factory=list)
    asked_conflict: list[str] = field(default_factory=list)
    asked_save: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[list[str]] = field(default_factory=list)


def patch_dialogs(monkeypatch, answers: Answers) -> None:
    """Replace every dialog of the window by the scripted answers."""
    def unsaved(_parent, name):
        answers.asked_unsaved.append(name)
        return answers.unsaved

    def conflict(_parent, name):
        answers.asked_conflict.append(name)
        return answers.conflict

    def save_path(_parent, suggested):
        answers.asked_save.append(suggested)
        return answers.save_path

    monkeypatch.setattr(dialogs, "ask_unsaved_changes", unsaved)
    monkeypatch.setattr(dialogs, "ask_conflict", conflict)
    monkeypatch.setattr(dialogs, "ask_replace", lambda _parent, _path: answers.replace)
    monkeypatch.setattr(dialogs, "ask_open_path", lambda _parent, _dir="": answers.open_path)
    monkeypatch.setattr(dialogs, "ask_open_folder", lambda _parent, _dir="": answers.open_path)
    monkeypatch.setattr(dialogs, "ask_save_path", save_path)
    monkeypatch.setattr(dialogs, "show_error", lambda _parent, sentence: answers.errors.append(sentence))
    monkeypatch.setattr(dialogs, "show_warnings", lambda _parent, _title, notes: answers.warnings.append(list(notes)))


def make_settings(folder: Path) -> QSettings:
    """Settings kept in an ini file inside the test's folder."""
    return QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)


_made: list[MainWindow] = []


class StandInPreview(QWidget):
    """Takes the web preview's place in tests about the rest of the window: follows documents, renders nothing.

    Starting a web engine for each window makes those tests slow; the preview has tests of its own, and the
    tests that look at the preview inside the window ask for the real one.
    """

    render_failed = Signal(str)

    def __init__(self, document) -> None:
        super().__init__()
        self.document = document
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the real preview is a Tab stop too
        self.setAccessibleName("Preview")

    def set_document(self, document) -> None:
        """Follow another article."""
        self.document = document

    def scroll_to_line(self, _line: int) -> None:
        """Nothing to scroll."""


def make_window(qtbot, settings: QSettings, *, real_preview: bool = False) -> MainWindow:
    """A shown main window with preferences read from these settings; the web preview only when asked for."""
    factory = None if real_preview else StandInPreview
    window = track_window(qtbot, main_window.MainWindow(Preferences.load(settings), settings,
                                                        preview_factory=factory))
    window.show()
    qtbot.waitExposed(window)
    return window


def track_window(qtbot, window: MainWindow) -> MainWindow:
    """Have the window closed and deleted when the test ends."""
    qtbot.addWidget(window)
    _made.append(window)
    return window


def delete_windows() -> None:
    """Delete the windows made by a test now, so web views go before their profiles, not at exit."""
    while _made:
        window = _made.pop()
        with contextlib.suppress(RuntimeError):  # already deleted
            window.document.undo_stack.setClean()  # a test that kept changes must not keep its window open
            window.close()
            window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def png_bytes(colour: str = "red", size: tuple[int, int] = (8, 6)) -> bytes:
    """A small real PNG picture."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def type_text(window: MainWindow, text: str) -> None:
    """Type into the text pane as the user would (one undoable edit)."""
    window.text_pane.insert_at_caret(text)
