"""Spell checking in the window: underlines, the context menu's suggestions, the user's dictionary, the toggle."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu

from editor.ui import spelling_menu
from editor.ui.spelling import SpellChecking
from tests.ui.spelling_window import spelling_window, underlined_words
from tests.ui.window_helpers import HEADLESS_NOISE, Answers, patch_dialogs

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    patch_dialogs(monkeypatch, Answers())
    made = spelling_window(qtbot, tmp_path, monkeypatch)
    made.features["spelling"].set_language_delay(20)
    made.features["check_panel"].set_delay(20)
    return made


def spelling(window) -> SpellChecking:
    return window.features["spelling"]


def settle(qtbot, window) -> None:
    """Wait until the dictionary is loaded and every line is underlined again."""
    checker = spelling(window)
    qtbot.waitUntil(lambda: not checker.is_loading() and not checker.is_rehighlighting())


def write(qtbot, window, text: str) -> None:
    window.text_pane.editor.setPlainText(text)
    window.document.undo_stack.clear()
    window.document.undo_stack.setClean()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: spelling(window).dictionary() is not None)


def position_of(window, word: str) -> int:
    return window.text_pane.document.text_document.toPlainText().index(word) + 1


def menu_texts(menu: QMenu) -> list[str]:
    return [action.text() for action in menu.actions()]


def test_a_misspelled_word_is_underlined_and_a_correct_one_is_not(qtbot, window):
    write(qtbot, window, "The harbour wrold was quiet.")
    assert underlined_words(window, 0) == ["wrold"]


def test_words_in_code_links_and_fenced_blocks_are_not_underlined(qtbot, window):
    write(qtbot, window, "Some `codde` and https://exmaple.com/pathh and [text](assets/phooto.jpg)\n"
                         "```\nprnit wrold\n```\nteh end")
    assert [underlined_words(window, n) for n in range(5)] == [[], [], [], [], ["teh"]]


def test_typing_a_misspelling_underlines_it_and_fixing_it_removes_the_line(qtbot, window):
    write(qtbot, window, "")
    window.text_pane.insert_at_caret("A tset")
    assert underlined_words(window, 0) == ["tset"]
    window.text_pane.insert_at_caret("\b")
    cursor = window.text_pane.editor.textCursor()
    cursor.select(cursor.SelectionType.LineUnderCursor)
    cursor.insertText("A test")
    assert underlined_words(window, 0) == []


def test_the_context_menu_offers_suggestions_first(qtbot, window):
    write(qtbot, window, "Hello wrold")
    menu = spelling(window).menu.menu_at(position_of(window, "wrold"), QPoint(1, 1))
    texts = menu_texts(menu)
    assert texts[0] == "world"
    assert "&Add to Dictionary" in texts and "&Ignore" in texts
    assert len([a for a in menu.actions() if a.objectName() == "spelling-suggestion"]) <= 5
    menu.deleteLater()


def test_choosing_a_suggestion_replaces_the_word_as_one_undoable_step(qtbot, window):
    write(qtbot, window, "Hello wrold, again.")
    menu = spelling(window).menu.menu_at(position_of(window, "wrold"), QPoint(1, 1))
    next(a for a in menu.actions() if a.text() == "world").trigger()
    text = window.text_pane.document.text_document
    assert text.toPlainText() == "Hello world, again."
    assert underlined_words(window, 0) == []
    window.document.undo_stack.undo()
    assert text.toPlainText() == "Hello wrold, again."
    window.document.undo_stack.redo()
    assert text.toPlainText() == "Hello world, again."
    menu.deleteLater()


def test_a_right_click_on_a_misspelled_word_opens_the_spelling_menu(qtbot, window, monkeypatch):
    write(qtbot, window, "Hello wrold")
    shown: list[list[str]] = []
    monkeypatch.setattr(spelling_menu, "show_menu", lambda menu, _where: shown.append(menu_texts(menu)))
    editor = window.text_pane.editor
    cursor = editor.textCursor()
    cursor.setPosition(position_of(window, "wrold"))
    point = editor.cursorRect(cursor).center()
    QApplication.sendEvent(editor.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point,
                                                                editor.viewport().mapToGlobal(point)))
    assert shown and shown[0][0] == "world"

    # On a correct word the editor's own menu is left alone.
    seen: list[QContextMenuEvent] = []
    monkeypatch.setattr(editor, "contextMenuEvent", seen.append)
    cursor.setPosition(1)
    point = editor.cursorRect(cursor).center()
    QApplication.sendEvent(editor.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point,
                                                                editor.viewport().mapToGlobal(point)))
    assert len(shown) == 1


def test_add_to_dictionary_removes_the_underline_and_is_kept(qtbot, window, tmp_path, monkeypatch):
    write(qtbot, window, "Zorbly and zorbly again")
    assert underlined_words(window, 0) == ["Zorbly", "zorbly"]
    menu = spelling(window).menu.menu_at(position_of(window, "Zorbly"), QPoint(1, 1))
    next(a for a in menu.actions() if a.objectName() == "spelling-add").trigger()
    settle(qtbot, window)
    assert underlined_words(window, 0) == []
    assert (tmp_path / "dictionaries" / "en.txt").read_text(encoding="utf-8") == "Zorbly\n"
    menu.deleteLater()
    # A later window knows the word too.
    later = spelling_window(qtbot, tmp_path / "later", monkeypatch, tmp_path / "dictionaries")
    write(qtbot, later, "zorbly")
    assert underlined_words(later, 0) == []


def test_the_dictionary_folder_can_change_while_a_dictionary_loads(qtbot, window, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "en.txt").write_text("zorbly\n", encoding="utf-8")
    spelling(window).set_folder(tmp_path / "elsewhere")
    write(qtbot, window, "zorbly flarp")
    assert underlined_words(window, 0) == ["flarp"]


def test_a_word_that_cannot_be_kept_is_reported_and_stays_underlined(qtbot, window, tmp_path):
    blocker = tmp_path / "blocked"
    blocker.write_text("not a folder", encoding="utf-8")
    spelling(window).set_folder(blocker / "sub")
    write(qtbot, window, "zorbly")
    assert not spelling(window).add_to_dictionary("zorbly")
    assert "could not be made" in window.statusBar().currentMessage()
    settle(qtbot, window)
    assert underlined_words(window, 0) == ["zorbly"]


def test_ignore_removes_the_underline_for_this_session_only(qtbot, window, tmp_path):
    write(qtbot, window, "flarp and flarp")
    spelling(window).ignore("flarp")
    settle(qtbot, window)
    assert underlined_words(window, 0) == []
    assert not (tmp_path / "dictionaries" / "en.txt").exists()


def test_check_spelling_can_be_turned_off_and_the_choice_is_kept(qtbot, window):
    write(qtbot, window, "Hello wrold")
    action = spelling(window).action
    assert action in window.commands.review_menu.actions() and action.isChecked()
    action.trigger()
    settle(qtbot, window)
    assert underlined_words(window, 0) == []
    assert window.settings.value("review/spell_check") in (False, "false")
    action.trigger()
    settle(qtbot, window)
    assert underlined_words(window, 0) == ["wrold"]


def test_spelling_starts_off_when_the_preferences_say_so(qtbot, tmp_path, monkeypatch):
    (tmp_path / "settings.ini").write_text("[review]\nspell_check=false\n", encoding="utf-8")
    patch_dialogs(monkeypatch, Answers())
    window = spelling_window(qtbot, tmp_path, monkeypatch)
    assert not spelling(window).action.isChecked()
    window.text_pane.editor.setPlainText("Hello wrold")
    assert spelling(window).dictionary() is None
    assert underlined_words(window, 0) == []


def test_the_article_language_chooses_the_dictionary(qtbot, window):
    write(qtbot, window, "bonjour le monde wrold")
    assert underlined_words(window, 0) == ["bonjour", "wrold"]
    window.document.set_metadata("language", "fr-FR")
    qtbot.waitUntil(lambda: spelling(window).language == "fr" and spelling(window).dictionary() is not None)
    settle(qtbot, window)
    assert underlined_words(window, 0) == ["wrold"]


def test_a_language_without_a_dictionary_is_said_once_and_nothing_is_underlined(qtbot, window):
    write(qtbot, window, "Hej wrold")
    window.document.set_metadata("language", "sv")
    qtbot.waitUntil(lambda: "no spelling dictionary" in window.statusBar().currentMessage())
    settle(qtbot, window)
    assert underlined_words(window, 0) == []
    window.statusBar().clearMessage()
    spelling(window).rehighlight()
    settle(qtbot, window)
    window.document.set_metadata("language", "sv-SE")
    qtbot.waitUntil(lambda: not spelling(window)._language_timer.isActive())
    assert window.statusBar().currentMessage() == ""


def test_a_new_article_is_checked_too(qtbot, window):
    write(qtbot, window, "first")
    window.new_document()
    write(qtbot, window, "Second tset")
    assert underlined_words(window, 0) == ["tset"]


def test_a_long_article_is_underlined_a_slice_at_a_time(qtbot, window):
    lines = [f"Line {n} has a wrold in it." for n in range(1000)]
    window.text_pane.editor.setPlainText("\n".join(lines))
    checker = spelling(window)
    checker.rehighlight()
    assert checker.is_rehighlighting()  # not done in one go on the UI thread
    settle(qtbot, window)
    assert underlined_words(window, 999) == ["wrold"]


def test_user_dictionary_folder_defaults_to_the_application_data(qtbot, window, tmp_path):
    assert spelling(window).folder == Path(tmp_path / "dictionaries")


def test_the_menu_key_opens_the_spelling_menu_at_the_caret(qtbot, window, monkeypatch):
    write(qtbot, window, "Hello wrold")
    shown: list[list[str]] = []
    monkeypatch.setattr(spelling_menu, "show_menu", lambda menu, _where: shown.append(menu_texts(menu)))
    editor = window.text_pane.editor
    cursor = editor.textCursor()
    cursor.setPosition(position_of(window, "wrold"))
    editor.setTextCursor(cursor)
    point = editor.cursorRect().center()
    QApplication.sendEvent(editor, QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, point,
                                                     editor.mapToGlobal(point)))
    assert shown and shown[0][0] == "world"


def test_read_only_text_offers_no_replacements_but_still_add_and_ignore(qtbot, window):
    write(qtbot, window, "Hello wrold")
    window.text_pane.set_read_only_reason("review", True)
    menu = spelling(window).menu.menu_at(position_of(window, "wrold"), QPoint(1, 1))
    names = [a.objectName() for a in menu.actions()]
    assert "spelling-suggestion" not in names
    assert "spelling-add" in names and "spelling-ignore" in names
    menu.deleteLater()


def test_front_matter_and_comments_across_lines_are_not_underlined(qtbot, window):
    write(qtbot, window, "---\ntitel: Fooo\n---\n<!-- a remmark\nstill remmark -->teh\nwrold")
    assert [underlined_words(window, n) for n in range(6)] == [[], [], [], [], ["teh"], ["wrold"]]
