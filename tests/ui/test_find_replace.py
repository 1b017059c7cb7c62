"""Find and replace bar: plain and regex search, options, counts, replace, replace all, errors."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from editor.core.model import Article
from editor.ui.document import ArticleDocument
from editor.ui.find_replace import (
    SearchError,
    SearchOptions,
    TextMap,
    compile_pattern,
    count_matches,
    find_from,
)
from editor.ui.preferences import Preferences
from editor.ui.text_pane import TextPane


@pytest.fixture
def make_pane(qtbot):
    def make(body: str) -> TextPane:
        pane = TextPane(ArticleDocument(Article(body=body)), Preferences())
        qtbot.addWidget(pane)
        return pane

    return make


def search(pane: TextPane, qtbot, text: str, *, regex: bool = False, case: bool = False, words: bool = False,
           replace: bool = False) -> None:
    bar = pane.find_bar
    pane.show_replace() if replace else pane.show_find()
    bar.regex_box.setChecked(regex)
    bar.case_box.setChecked(case)
    bar.words_box.setChecked(words)
    bar.find_field.clear()
    qtbot.keyClicks(bar.find_field, text)


def selection(pane: TextPane) -> tuple[int, int, str]:
    cursor = pane.editor.textCursor()
    return cursor.selectionStart(), cursor.selectionEnd(), cursor.selectedText()


def body(pane: TextPane) -> str:
    return pane.document.article().body


def test_typing_in_the_find_field_selects_the_first_match(make_pane, qtbot) -> None:
    pane = make_pane("a cat, a Cat, a cat")
    search(pane, qtbot, "cat")
    assert selection(pane) == (2, 5, "cat")
    assert pane.find_bar.status_label.text() == "1 of 3"


def test_find_next_wraps_and_ignores_case_by_default(make_pane, qtbot) -> None:
    pane = make_pane("a cat, a Cat, a cat")
    search(pane, qtbot, "cat")
    assert pane.find_bar.find_next()
    assert selection(pane)[2] == "Cat"
    pane.find_bar.find_next()
    pane.find_bar.find_next()
    assert selection(pane)[:2] == (2, 5)


def test_find_previous_goes_back_and_wraps(make_pane, qtbot) -> None:
    pane = make_pane("cat dog cat")
    search(pane, qtbot, "cat")
    assert selection(pane)[:2] == (0, 3)
    pane.find_bar.find_previous()
    assert selection(pane)[:2] == (8, 11)
    pane.find_bar.find_previous()
    assert selection(pane)[:2] == (0, 3)


def test_match_case_skips_other_case(make_pane, qtbot) -> None:
    pane = make_pane("Cat cat")
    search(pane, qtbot, "cat", case=True)
    assert selection(pane)[:2] == (4, 7)
    assert pane.find_bar.status_label.text() == "1 of 1"


def test_whole_words_skip_parts_of_words(make_pane, qtbot) -> None:
    pane = make_pane("category cat concat cat.")
    search(pane, qtbot, "cat", words=True)
    assert selection(pane)[:2] == (9, 12)
    pane.find_bar.find_next()
    assert selection(pane)[:2] == (20, 23)


def test_regex_search(make_pane, qtbot) -> None:
    pane = make_pane("call 555-1234 or 555-9876")
    search(pane, qtbot, r"\d{3}-\d{4}", regex=True)
    assert selection(pane)[2] == "555-1234"
    assert pane.find_bar.status_label.text() == "1 of 2"


def test_plain_search_treats_regex_characters_literally(make_pane, qtbot) -> None:
    pane = make_pane("a.b axb (x)")
    search(pane, qtbot, "a.b")
    assert pane.find_bar.status_label.text() == "1 of 1"
    search(pane, qtbot, "(x)")
    assert selection(pane)[2] == "(x)"


def test_invalid_regex_is_reported_in_the_bar(make_pane, qtbot) -> None:
    pane = make_pane("text (here")
    search(pane, qtbot, "(here", regex=True)
    assert "Invalid regular expression" in pane.find_bar.status_label.text()
    assert not pane.find_bar.find_next()
    assert not pane.find_bar.replace_one()
    assert pane.find_bar.replace_all() == 0
    assert body(pane) == "text (here"


def test_no_match_is_reported(make_pane, qtbot) -> None:
    pane = make_pane("text")
    search(pane, qtbot, "zebra")
    assert pane.find_bar.status_label.text() == "No matches"
    assert not pane.find_bar.find_next()


def test_enter_and_shift_enter_in_the_find_field(make_pane, qtbot) -> None:
    pane = make_pane("x1 x2 x3")
    search(pane, qtbot, "x")
    qtbot.keyClick(pane.find_bar.find_field, Qt.Key.Key_Return)
    assert selection(pane)[:2] == (3, 4)
    qtbot.keyClick(pane.find_bar.find_field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert selection(pane)[:2] == (0, 1)


def test_escape_closes_the_bar(make_pane, qtbot) -> None:
    pane = make_pane("x")
    search(pane, qtbot, "x")
    assert not pane.find_bar.isHidden()
    qtbot.keyClick(pane.find_bar.find_field, Qt.Key.Key_Escape)
    assert pane.find_bar.isHidden()


def test_find_prefills_from_a_one_line_selection(make_pane) -> None:
    pane = make_pane("alpha beta")
    cursor = pane.editor.textCursor()
    cursor.setPosition(6)
    cursor.setPosition(10, QTextCursor.MoveMode.KeepAnchor)
    pane.editor.setTextCursor(cursor)
    pane.find_action.trigger()
    assert pane.find_bar.find_field.text() == "beta"
    assert pane.find_bar.replace_field.isHidden()
    pane.replace_action.trigger()
    assert not pane.find_bar.replace_field.isHidden()


def test_replace_one_replaces_the_selected_match_then_moves_on(make_pane, qtbot) -> None:
    pane = make_pane("cat cat")
    search(pane, qtbot, "cat", replace=True)
    pane.find_bar.replace_field.setText("dog")
    assert pane.find_bar.replace_one()
    assert body(pane) == "dog cat"
    assert selection(pane)[:2] == (4, 7)


def test_replace_all_is_one_undo_step(make_pane, qtbot) -> None:
    pane = make_pane("a cat, a Cat, a dog")
    search(pane, qtbot, "cat", replace=True)
    pane.find_bar.replace_field.setText("cow")
    steps = pane.document.undo_stack.count()
    assert pane.find_bar.replace_all() == 2
    assert body(pane) == "a cow, a cow, a dog"
    assert pane.document.undo_stack.count() == steps + 1
    assert pane.find_bar.status_label.text() == "Replaced 2"
    pane.document.undo_stack.undo()
    assert body(pane) == "a cat, a Cat, a dog"


def test_replace_all_with_regex_groups(make_pane, qtbot) -> None:
    pane = make_pane("Smith, John\nDoe, Jane")
    search(pane, qtbot, r"^(\w+), (\w+)$", regex=True, replace=True)
    pane.find_bar.replace_field.setText(r"\2 \1")
    assert pane.find_bar.replace_all() == 2
    assert body(pane) == "John Smith\nJane Doe"


def test_plain_replacement_keeps_backslashes(make_pane, qtbot) -> None:
    pane = make_pane("path")
    search(pane, qtbot, "path", replace=True)
    pane.find_bar.replace_field.setText(r"C:\1\g<0>")
    pane.find_bar.replace_all()
    assert body(pane) == r"C:\1\g<0>"


def test_invalid_replacement_group_is_reported_and_changes_nothing(make_pane, qtbot) -> None:
    pane = make_pane("word")
    search(pane, qtbot, "(w)ord", regex=True, replace=True)
    pane.find_bar.replace_field.setText(r"\9")
    assert pane.find_bar.replace_all() == 0
    assert "Invalid replacement" in pane.find_bar.status_label.text()
    assert not pane.find_bar.replace_one()
    assert body(pane) == "word"


def test_matches_after_emoji_select_the_right_text(make_pane, qtbot) -> None:
    pane = make_pane("😀 cat 😀😀 cat")
    search(pane, qtbot, "cat")
    assert selection(pane)[2] == "cat"
    pane.find_bar.find_next()
    assert selection(pane)[2] == "cat"
    pane.find_bar.replace_field.setText("dog")
    pane.find_bar.replace_all()
    assert body(pane) == "😀 dog 😀😀 dog"


def test_empty_matches_do_not_stall_find_next(make_pane, qtbot) -> None:
    pane = make_pane("a\nb")
    search(pane, qtbot, "^", regex=True, replace=True)
    first = selection(pane)[:2]
    pane.find_bar.find_next()
    assert selection(pane)[:2] != first
    pane.find_bar.replace_field.setText("> ")
    assert pane.find_bar.replace_all() == 2
    assert body(pane) == "> a\n> b"


def test_compile_pattern_reports_errors_as_search_errors() -> None:
    with pytest.raises(SearchError, match="Invalid regular expression"):
        compile_pattern("[", SearchOptions(regex=True))
    with pytest.raises(SearchError):
        compile_pattern("", SearchOptions())
    assert compile_pattern("[", SearchOptions()).search("a[b")


def test_find_from_and_count() -> None:
    pattern = re.compile("ab")
    text = "ab ab ab"
    match = find_from(pattern, text, 0, 2, backwards=False)
    assert match is not None and match.span() == (3, 5)
    match = find_from(pattern, text, 0, 2, backwards=True)
    assert match is not None and match.span() == (6, 8)
    assert count_matches(pattern, text, (3, 5)) == (3, 2)


def test_text_map_round_trips_positions() -> None:
    text = "a😀b😀😀c"
    mapping = TextMap(text)
    for index in range(len(text) + 1):
        assert mapping.to_py(mapping.to_qt(index)) == index
    assert mapping.to_qt(text.index("c")) == 8
