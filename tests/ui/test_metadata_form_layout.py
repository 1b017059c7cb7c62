"""The metadata form in the real window: notes under wrong values are shown whole, on light and dark palettes."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette

from editor.ui.theme import is_dark
from tests.ui.window_helpers import HEADLESS_NOISE, Answers, make_settings, make_window, patch_dialogs

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    """The real window at an ordinary laptop size."""
    patch_dialogs(monkeypatch, Answers())
    shown = make_window(qtbot, make_settings(tmp_path))
    shown.resize(1280, 800)
    qtbot.waitUntil(lambda: shown.width() == 1280)
    return shown


def dark_palette() -> QPalette:
    """A palette like a dark desktop's."""
    result = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#2b2b2b"), (QPalette.ColorRole.WindowText, "#e6e6e6"),
                         (QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.Text, "#e6e6e6"),
                         (QPalette.ColorRole.Button, "#353535"), (QPalette.ColorRole.ButtonText, "#e6e6e6")):
        result.setColor(role, QColor(colour))
    return result


def type_date(window, qtbot, text: str) -> None:
    form = window.metadata_form
    form.date.line.setFocus()
    form.date.line.clear()
    qtbot.keyClicks(form.date.line, text)


def test_the_note_under_a_wrong_date_from_the_document_is_not_cut_off(window, qtbot):
    # As when an article with a wrong date is opened, or undo brings one back.
    window.document.set_metadata("date", "2026-13-45")
    label = window.metadata_form.date_problem
    qtbot.waitUntil(label.isVisible)
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))
    assert label.heightForWidth(label.width()) > label.fontMetrics().lineSpacing() * 2  # really three lines


def test_a_wrong_date_stays_readable_after_switching_to_a_dark_palette(window, qtbot):
    form = window.metadata_form
    type_date(window, qtbot, "2026-13-45")
    assert "#fdecea" in form.date.line.styleSheet()  # light tint on a light palette
    window.setPalette(dark_palette())
    qtbot.waitUntil(lambda: is_dark(form.palette()))
    assert "#fdecea" not in form.date.line.styleSheet()
    assert "#3d1f1f" in form.date.line.styleSheet()
    label = form.date_problem
    assert label.palette().color(QPalette.ColorRole.WindowText).lightness() > 128
    window.document.undo_stack.setClean()
