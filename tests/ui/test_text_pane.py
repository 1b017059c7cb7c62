"""The text pane: typing, shared undo, formatting actions, go to line, zoom and statistics."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QTextCursor
from PySide6.QtWidgets import QApplication

from editor.core.model import Article
from editor.ui import find_replace
from editor.ui.document import ArticleDocument
from editor.ui.preferences import Preferences
from editor.ui.text_pane import TextPane

# The offscreen platform cannot pass size hints to a window manager and says so when a window is shown.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def make_pane(qtbot):
    def make(body: str = "", preferences: Preferences | None = None) -> TextPane:
        pane = TextPane(ArticleDocument(Article(body=body)), preferences or Preferences())
        qtbot.addWidget(pane)
        pane.resize(700, 400)
        pane.show()
        pane.activateWindow()
        # Window shortcuts only fire in the active window.
        qtbot.waitUntil(lambda: QApplication.activeWindow() is pane)
        pane.editor.setFocus()
        return pane

    return make


def body(pane: TextPane) -> str:
    return pane.document.article().body


def select(pane: TextPane, start: int, end: int | None = None) -> None:
    cursor = pane.editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start if end is None else end, QTextCursor.MoveMode.KeepAnchor)
    pane.editor.setTextCursor(cursor)


def test_editor_shows_the_article_text(make_pane) -> None:
    pane = make_pane("Hello")
    assert pane.editor.document() is pane.document.text_document
    assert pane.editor.toPlainText() == "Hello"


def test_typing_changes_the_document(make_pane, qtbot) -> None:
    pane = make_pane()
    qtbot.keyClicks(pane.editor, "Hello")
    assert body(pane) == "Hello"
    assert pane.document.is_modified


def test_ctrl_z_undoes_metadata_then_text_through_the_shared_stack(make_pane, qtbot) -> None:
    pane = make_pane()
    document = pane.document
    qtbot.keyClicks(pane.editor, "Hello")
    document.set_metadata("title", "A title")
    qtbot.keyClick(pane.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert document.metadata.title == ""
    assert body(pane) == "Hello"
    qtbot.keyClick(pane.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert body(pane) == ""
    assert document.undo_stack.index() == 0
    qtbot.keyClick(pane.editor, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert body(pane) == "Hello"
    qtbot.keyClick(pane.editor, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert document.metadata.title == "A title"


def test_context_menu_undo_acts_on_the_shared_stack(make_pane, qtbot) -> None:
    pane = make_pane()
    pane.document.set_metadata("title", "T")
    menu = pane.editor.context_menu(pane.editor.rect().center())
    names = [action.objectName() for action in menu.actions()]
    assert "edit-undo" not in names and "edit-redo" not in names
    undo = next(a for a in menu.actions() if a.objectName() == "edit-undo-shared")
    undo.trigger()
    assert pane.document.metadata.title == ""
    menu.deleteLater()


def test_bold_wraps_the_selection_and_one_undo_restores(make_pane) -> None:
    pane = make_pane("make this bold")
    select(pane, 5, 9)
    pane.bold_action.trigger()
    assert body(pane) == "make **this** bold"
    assert pane.editor.textCursor().selectedText() == "this"
    pane.document.undo_stack.undo()
    assert body(pane) == "make this bold"


def test_bold_after_typing_is_its_own_undo_step(make_pane, qtbot) -> None:
    pane = make_pane()
    qtbot.keyClicks(pane.editor, "hello")
    pane.editor.selectAll()
    pane.bold_action.trigger()
    assert body(pane) == "**hello**"
    pane.document.undo_stack.undo()
    assert body(pane) == "hello"


def test_bold_shortcut_toggles_back(make_pane, qtbot) -> None:
    pane = make_pane("word")
    select(pane, 0, 4)
    qtbot.keyClick(pane.editor, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert body(pane) == "**word**"
    qtbot.keyClick(pane.editor, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert body(pane) == "word"


def test_heading_actions_toggle_and_change_level(make_pane) -> None:
    pane = make_pane("Title\nbody")
    select(pane, 2)
    pane.heading_actions[1].trigger()
    assert body(pane) == "## Title\nbody"
    pane.heading_actions[0].trigger()
    assert body(pane) == "# Title\nbody"
    pane.heading_actions[0].trigger()
    assert body(pane) == "Title\nbody"


def test_heading_shortcut(make_pane, qtbot) -> None:
    pane = make_pane("Title")
    qtbot.keyClick(pane.editor, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert body(pane) == "### Title"


def test_quote_and_lists_on_selected_lines(make_pane) -> None:
    pane = make_pane("one\ntwo")
    pane.editor.selectAll()
    pane.quote_action.trigger()
    assert body(pane) == "> one\n> two"
    pane.quote_action.trigger()
    pane.numbered_action.trigger()
    assert body(pane) == "1. one\n2. two"
    pane.bullet_action.trigger()
    assert body(pane) == "- one\n- two"


def test_format_actions_have_distinct_shortcuts(make_pane) -> None:
    pane = make_pane()
    actions = [*pane.format_actions, pane.find_action, pane.replace_action, pane.goto_line_action,
               pane.find_next_action, pane.find_previous_action]
    keys = [seq.toString() for action in actions for seq in action.shortcuts()]
    assert all(keys) and len(keys) == len(set(keys))
    assert all(action.text() for action in pane.format_actions)


def test_insert_at_caret_is_one_undo_step(make_pane) -> None:
    pane = make_pane("ab")
    select(pane, 1)
    pane.insert_at_caret("![x](assets/x.png)")
    assert body(pane) == "a![x](assets/x.png)b"
    pane.document.undo_stack.undo()
    assert body(pane) == "ab"


def test_goto_line_clamps_to_the_text(make_pane, qtbot) -> None:
    pane = make_pane("a\nb\nc")
    with qtbot.waitSignal(pane.caret_line_changed) as signal:
        pane.goto_line(3)
    assert signal.args == [3]
    assert pane.caret_line() == 3
    pane.goto_line(99)
    assert pane.caret_line() == 3
    pane.goto_line(-5)
    assert pane.caret_line() == 1


def test_goto_line_action_asks_for_the_line(make_pane, monkeypatch) -> None:
    pane = make_pane("a\nb\nc")
    asked = []
    monkeypatch.setattr(find_replace, "ask_line", lambda parent, current, maximum: asked.append(maximum) or 2)
    pane.goto_line_action.trigger()
    assert asked == [3]
    assert pane.caret_line() == 2


def test_goto_line_cancelled_leaves_the_caret(make_pane, monkeypatch) -> None:
    pane = make_pane("a\nb\nc")
    monkeypatch.setattr(find_replace, "ask_line", lambda parent, current, maximum: None)
    pane.goto_line_action.trigger()
    assert pane.caret_line() == 1


def test_goto_offset_counts_python_characters(make_pane) -> None:
    text = "😀 x ![a](assets/a.png)"
    pane = make_pane(text)
    pane.goto_offset(text.index("!"))
    cursor = pane.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, 2)
    assert cursor.selectedText() == "!["
    pane.goto_offset(10_000)
    assert pane.editor.textCursor().atEnd()


def test_zoom_changes_font_size_and_reset_restores_it(make_pane) -> None:
    pane = make_pane(preferences=Preferences(editor_font_size=12))
    assert pane.font_size() == 12
    pane.zoom_in()
    pane.zoom_in()
    assert pane.font_size() == 14
    pane.zoom_out()
    assert pane.font_size() == 13
    pane.zoom_reset()
    assert pane.font_size() == 12
    for _ in range(100):
        pane.zoom_out()
    assert pane.font_size() == 6


def test_preferences_choose_the_font(make_pane) -> None:
    pane = make_pane()
    fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
    assert pane.editor.font().family() == fixed
    pane.apply_preferences(Preferences(editor_font_family="Serif", editor_font_size=17))
    assert pane.editor.font().pointSize() == 17
    assert pane.editor.font().family() == "Serif"


def test_set_document_switches_text_and_undo(make_pane, qtbot) -> None:
    pane = make_pane("old")
    old = pane.document
    new = ArticleDocument(Article(body="new text here"))
    with qtbot.waitSignal(pane.stats_changed) as signal:
        pane.set_document(new)
    assert signal.args[0]["words"] == 3
    assert pane.editor.toPlainText() == "new text here"
    pane.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(pane.editor, "!")
    assert new.article().body == "new text here!"
    assert old.article().body == "old"
    qtbot.keyClick(pane.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert new.article().body == "new text here"


def test_stats_follow_typing_after_a_pause(make_pane, qtbot) -> None:
    pane = make_pane()
    qtbot.keyClicks(pane.editor, "one two three")
    with qtbot.waitSignal(pane.stats_changed, check_params_cb=lambda s: s["words"] == 3, timeout=3000) as signal:
        pass
    stats = signal.args[0]
    assert stats["characters"] == 13
    assert stats["reading_minutes"] == 1
    assert (stats["line"], stats["column"]) == (1, 14)


def test_caret_position_in_stats_is_immediate(make_pane) -> None:
    pane = make_pane("ab\ncdef")
    received = []
    pane.stats_changed.connect(received.append)
    select(pane, 5)
    assert received and (received[-1]["line"], received[-1]["column"]) == (2, 3)


def test_escape_in_editor_closes_find_bar(make_pane, qtbot) -> None:
    pane = make_pane("text")
    pane.find_action.trigger()
    assert pane.find_bar.isVisible()
    pane.editor.setFocus()
    qtbot.keyClick(pane.editor, Qt.Key.Key_Escape)
    assert not pane.find_bar.isVisible()


def test_widgets_have_accessible_names(make_pane) -> None:
    pane = make_pane()
    assert pane.editor.accessibleName()
    assert pane.find_bar.find_field.accessibleName()


TYPING_SCRIPT = """
import sys
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
app = QApplication([])
from editor.core.model import Article
from editor.ui.document import ArticleDocument
from editor.ui.preferences import Preferences
from editor.ui.text_pane import TextPane
pane = TextPane(ArticleDocument(Article(body="# Title\\n\\nSome **bold** text.\\n" * 20)), Preferences())
QTest.keyClicks(pane.editor, "Some *typing* with a [link](https://example.org) here. " * 40)
app.processEvents()
print(len(pane.document.article().body))
"""


def test_typing_two_thousand_characters_does_not_crash(tmp_path) -> None:
    """Guards against Qt bindings that drop a reference to None on every call (PySide6 6.12.0 on Python 3.11)."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, "-c", TYPING_SCRIPT], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=100)
    assert done.returncode == 0, done.stderr[-2000:]
    typed = len("Some *typing* with a [link](https://example.org) here. ") * 40
    assert int(done.stdout.strip()) == len("# Title\n\nSome **bold** text.\n" * 20) + typed


def test_every_action_shortcut_reaches_its_action_from_the_editor(make_pane, qtbot) -> None:
    pane = make_pane("some text")
    actions = [*pane.format_actions, pane.find_action, pane.replace_action, pane.goto_line_action,
               pane.find_next_action, pane.find_previous_action]
    fired = []
    for action in actions:
        action.triggered.disconnect()
        action.triggered.connect(lambda _checked=False, a=action: fired.append(a))
    for action in actions:
        combo = action.shortcut()[0]
        pane.editor.setFocus()
        qtbot.keyClick(pane.editor, combo.key(), combo.keyboardModifiers())
        assert fired[-1:] == [action], action.text()
    assert body(pane) == "some text"


def test_link_action_uses_a_url_from_the_clipboard(make_pane) -> None:
    pane = make_pane("read the report today")
    QApplication.clipboard().setText("https://example.org/report")
    select(pane, 9, 15)
    pane.link_action.trigger()
    assert body(pane) == "read the [report](https://example.org/report) today"
    pane.document.undo_stack.undo()
    assert body(pane) == "read the report today"


@pytest.mark.parametrize(
    ("body", "caret", "expected"),
    [
        ("", 0, "![](assets/a.png)"),
        ("Lead.", 5, "Lead.\n\n![](assets/a.png)"),
        ("Lead.\n\nNext.", 6, "Lead.\n\n![](assets/a.png)\n\nNext."),
        ("Lead.\nNext.", 6, "Lead.\n\n![](assets/a.png)\n\nNext."),
        ("Split here", 5, "Split\n\n![](assets/a.png)\n\n here"),
        ("Lead.\n\n", 7, "Lead.\n\n![](assets/a.png)"),
    ],
)
def test_insert_block_puts_an_image_in_a_paragraph_of_its_own(make_pane, body, caret, expected) -> None:
    pane = make_pane(body)
    cursor = pane.editor.textCursor()
    cursor.setPosition(caret)
    pane.editor.setTextCursor(cursor)
    pane.insert_block("![](assets/a.png)")
    assert pane.document.article().body == expected


def test_read_only_holds_while_any_reason_does(qtbot):
    """Two features may each forbid editing; the text becomes editable only when both allow it again."""
    from editor.core.model import Article
    from editor.ui.document import ArticleDocument
    from editor.ui.preferences import Preferences
    from editor.ui.text_pane import TextPane

    pane = TextPane(ArticleDocument(Article(body="x")), Preferences())
    qtbot.addWidget(pane)
    pane.set_read_only_reason("location", True)
    pane.set_read_only_reason("review", True)
    pane.set_read_only_reason("location", False)
    assert pane.editor.isReadOnly() and pane.read_only_reasons() == {"review"}
    pane.set_read_only_reason("review", False)
    assert not pane.editor.isReadOnly()
