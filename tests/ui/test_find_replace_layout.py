"""The find and replace bar keeps usable text fields in a window of ordinary laptop size."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPlainTextEdit

from editor.ui.find_replace import FindReplaceBar
from tests.ui.window_helpers import HEADLESS_NOISE, Answers, make_settings, make_window, patch_dialogs

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)


def test_find_and_replace_fields_take_the_free_width_at_1280_by_800(qtbot, tmp_path, monkeypatch):
    patch_dialogs(monkeypatch, Answers())
    window = make_window(qtbot, make_settings(tmp_path))
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.width() == 1280)
    window.text_pane.show_replace()
    bar = window.text_pane.find_bar
    qtbot.waitUntil(lambda: bar.replace_field.isVisible())
    for field in (bar.find_field, bar.replace_field):
        assert field.width() >= 200, f"{field.accessibleName()} is only {field.width()} px wide"
    # Every button stays on screen inside the bar.
    for button in (bar.previous_button, bar.next_button, bar.close_button, bar.replace_button,
                   bar.replace_all_button, bar.regex_box):
        assert bar.rect().contains(button.geometry())


def test_find_field_never_collapses_when_the_text_pane_is_narrow(qtbot):
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    bar = FindReplaceBar(editor)
    qtbot.addWidget(bar)
    bar.open_find(replace=True)
    bar.resize(120, bar.sizeHint().height())
    # The bar asks for room for a readable field rather than squeezing it to a sliver.
    assert bar.minimumSizeHint().width() >= bar.find_field.minimumWidth() >= 120
