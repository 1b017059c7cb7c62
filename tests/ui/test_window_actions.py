"""The window's menus: recent files listed safely, edit commands reaching the focused field."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit

from editor.ui import window_actions
from tests.ui.window_helpers import HEADLESS_NOISE, Answers, delete_windows, make_settings, make_window, patch_dialogs

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    """The real window, its dialogs answered without a user."""
    patch_dialogs(monkeypatch, Answers())
    yield make_window(qtbot, make_settings(tmp_path))
    delete_windows()


def test_unique_drops_repeated_key_sequences():
    keys = [QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]
    assert [k.toString() for k in window_actions._unique(keys)] == ["Ctrl+Y", "Ctrl+Shift+Z"]


def test_recent_menu_shows_ampersands_literally_and_numbers_the_first_nine(window, tmp_path):
    window.preferences.recent_files = [str(tmp_path / f"R&D {n}.textbundle") for n in range(11)]
    window.commands.fill_recent_menu()
    labels = [a.text() for a in window.commands.recent_menu.actions() if not a.isSeparator()]
    assert labels[0] == "&1 R&&D 0.textbundle"
    assert labels[9] == "R&&D 9.textbundle"
    assert labels[-1] == "&Clear Menu"


def test_clear_menu_empties_recent_files(window, tmp_path):
    window.preferences.recent_files = [str(tmp_path / "a.textbundle")]
    window.commands.fill_recent_menu()
    clear = window.commands.recent_menu.actions()[-1]
    clear.trigger()
    assert window.preferences.recent_files == []
    assert not window.commands.recent_menu.actions()[-1].isEnabled()


def test_copy_and_paste_reach_the_focused_field(qtbot, window):
    field = QLineEdit("copied words")
    qtbot.addWidget(field)
    field.show()
    field.activateWindow()
    qtbot.waitUntil(field.isActiveWindow)
    field.setFocus()
    field.selectAll()
    window.commands.copy.trigger()
    assert QApplication.clipboard().text() == "copied words"
    field.clear()
    window.commands.paste.trigger()
    assert field.text() == "copied words"
