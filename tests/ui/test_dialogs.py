"""The window's dialogs: bundle folders chosen as documents, answers mapped to words, warnings that do not block."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from editor.ui import dialogs

# Showing a dialog on the headless test platform logs that it cannot pass on size hints.
pytestmark = pytest.mark.qt_log_ignore(r"does not support propagateSizeHints")


@pytest.mark.parametrize(("given", "expected"), [
    ("story", "story.textbundle"),
    ("story.textpack", "story.textpack"),
    ("story.TextBundle", "story.TextBundle"),
    ("story.md", "story.md.textbundle"),
])
def test_save_path_gets_a_bundle_suffix(given, expected):
    assert dialogs.with_bundle_suffix(Path("/x") / given, ".textbundle") == Path("/x") / expected


@pytest.mark.parametrize(("name", "openable"), [
    ("a.textbundle", True), ("a.textpack", True), ("a.md", True), ("a.MARKDOWN", True),
    ("a.txt", False), ("a.zip", False), ("textbundle", False),
])
def test_openable_names(name, openable):
    assert dialogs.is_openable(Path(name)) is openable


def test_open_dialog_takes_a_selected_bundle_folder_instead_of_browsing_into_it(qtbot, tmp_path):
    bundle = tmp_path / "story.textbundle"
    bundle.mkdir()
    dialog = dialogs.OpenDialog(None, str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.selectFile(str(bundle))
    dialog.accept()
    assert dialog.chosen == bundle
    assert dialog.result() == dialogs.QFileDialog.DialogCode.Accepted


def test_open_dialog_entering_a_bundle_folder_opens_it(qtbot, tmp_path):
    bundle = tmp_path / "story.textbundle"
    bundle.mkdir()
    dialog = dialogs.OpenDialog(None, str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.directoryEntered.emit(str(bundle))
    assert dialog.chosen == bundle


def test_warnings_box_does_not_block_and_lists_every_note(qtbot):
    box = dialogs.show_warnings(None, "Opened", ["First note.", "Second note."])
    qtbot.addWidget(box)
    assert box.isVisible() and not box.isModal()
    assert box.text() == "First note."
    assert box.detailedText() == "First note.\nSecond note."


def test_no_warnings_shows_nothing():
    assert dialogs.show_warnings(None, "Opened", []) is None


def _click_in_active_box(text: str) -> None:
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    button = next(b for b in box.buttons() if b.text().replace("&", "") == text)
    button.click()


@pytest.mark.parametrize(("button", "answer"), [("Save", "save"), ("Discard", "discard"), ("Cancel", "cancel")])
def test_unsaved_changes_answers(qtbot, button, answer):
    QTimer.singleShot(0, lambda: _click_in_active_box(button))
    assert dialogs.ask_unsaved_changes(None, "story.textbundle") == answer


@pytest.mark.parametrize(("button", "answer"), [("Overwrite", "overwrite"), ("Save As…", "save_as"),
                                                 ("Cancel", "cancel")])
def test_conflict_answers(qtbot, button, answer):
    QTimer.singleShot(0, lambda: _click_in_active_box(button))
    assert dialogs.ask_conflict(None, "story.textbundle") == answer
