"""Formatting commands: the text rules, and applying them to a document as single undo steps."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor, QTextDocument

from editor.ui import text_commands as tc


@pytest.mark.parametrize(("line", "level", "expected"), [
    ("Title", 1, "# Title"),
    ("# Title", 1, "Title"),
    ("## Title", 1, "# Title"),
    ("   ### Title", 3, "Title"),
    ("#hashtag", 2, "## #hashtag"),
    ("", 2, "## "),
])
def test_toggle_heading(line: str, level: int, expected: str) -> None:
    assert tc.toggle_heading(line, level) == expected


def test_toggle_heading_rejects_level_outside_one_to_six() -> None:
    with pytest.raises(ValueError):
        tc.toggle_heading("x", 7)


@pytest.mark.parametrize(("lines", "kind", "expected"), [
    (["a", "b"], tc.QUOTE, ["> a", "> b"]),
    (["a", "", "b"], tc.QUOTE, ["> a", ">", "> b"]),
    (["> a", ">", "> b"], tc.QUOTE, ["a", "", "b"]),
    (["a", "b"], tc.BULLET, ["- a", "- b"]),
    (["- a", "* b"], tc.BULLET, ["a", "b"]),
    (["1. a", "2. b"], tc.BULLET, ["- a", "- b"]),
    (["a", "", "b"], tc.NUMBERED, ["1. a", "", "2. b"]),
    (["1. a", "2) b"], tc.NUMBERED, ["a", "b"]),
    (["- a", "b"], tc.NUMBERED, ["1. a", "2. b"]),
])
def test_toggle_prefix(lines: list[str], kind: str, expected: list[str]) -> None:
    assert tc.toggle_prefix(lines, kind) == expected


@pytest.mark.parametrize(("text", "marker", "wrapped"), [
    ("**bold**", "**", True),
    ("***both***", "**", True),
    ("***both***", "*", True),
    ("**bold**", "*", False),
    ("*it*", "*", True),
    ("*it*", "**", False),
    ("**", "*", False),
    ("`x`", "`", True),
])
def test_is_wrapped_tells_bold_from_italic(text: str, marker: str, wrapped: bool) -> None:
    assert tc.is_wrapped(text, marker) is wrapped


def test_wrap_keeps_spaces_outside_and_wraps_each_line() -> None:
    assert tc.wrap(" word ", "**") == " **word** "
    assert tc.wrap("one\n\ntwo", "*") == "*one*\n\n*two*"
    assert tc.unwrap(" **word** ", "**") == " word "


@pytest.mark.parametrize(("selected", "clipboard", "expected"), [
    ("https://example.org", "", ("[](https://example.org)", 1, 1)),
    ("the site", "", ("[the site]()", 11, 11)),
    ("the site", "https://example.org/a", ("[the site](https://example.org/a)", 33, 33)),
    ("the site", "not a url", ("[the site]()", 11, 11)),
    ("", "", ("[text]()", 1, 5)),
])
def test_link_markdown(selected: str, clipboard: str, expected: tuple[str, int, int]) -> None:
    assert tc.link_markdown(selected, clipboard) == expected


def _document(text: str) -> QTextDocument:
    document = QTextDocument()
    document.setPlainText(text)
    document.clearUndoRedoStacks()
    return document


def _cursor(document: QTextDocument, start: int, end: int | None = None) -> QTextCursor:
    cursor = QTextCursor(document)
    cursor.setPosition(start)
    cursor.setPosition(start if end is None else end, QTextCursor.MoveMode.KeepAnchor)
    return cursor


def test_toggle_inline_wraps_selection_and_selects_inner_text(qapp) -> None:
    document = _document("make this bold")
    cursor = _cursor(document, 5, 9)
    tc.toggle_inline(cursor, "**", "bold")
    assert document.toPlainText() == "make **this** bold"
    assert cursor.selectedText() == "this"
    tc.toggle_inline(cursor, "**", "bold")
    assert document.toPlainText() == "make this bold"
    assert cursor.selectedText() == "this"


def test_toggle_inline_is_one_undo_step(qapp) -> None:
    document = _document("make this bold")
    steps = []
    document.undoCommandAdded.connect(lambda: steps.append(1))
    tc.toggle_inline(_cursor(document, 5, 9), "**", "bold")
    assert len(steps) == 1
    document.undo()
    assert document.toPlainText() == "make this bold"


def test_toggle_inline_without_selection_takes_the_word_or_inserts_placeholder(qapp) -> None:
    document = _document("one two")
    tc.toggle_inline(_cursor(document, 5), "*", "it")
    assert document.toPlainText() == "one *two*"
    empty = _document("")
    cursor = _cursor(empty, 0)
    tc.toggle_inline(cursor, "**", "bold text")
    assert empty.toPlainText() == "**bold text**"
    assert cursor.selectedText() == "bold text"


def test_toggle_inline_after_astral_characters_selects_the_right_text(qapp) -> None:
    document = _document("😀 word")
    cursor = _cursor(document, 3, 7)
    assert cursor.selectedText() == "word"
    tc.toggle_inline(cursor, "**", "bold")
    assert document.toPlainText() == "😀 **word**"
    assert cursor.selectedText() == "word"
    tc.toggle_inline(cursor, "**", "bold")
    assert document.toPlainText() == "😀 word"


def test_italic_on_bold_text_adds_a_star_instead_of_removing_one(qapp) -> None:
    document = _document("a **b** c")
    cursor = _cursor(document, 4, 5)
    tc.toggle_inline(cursor, "*", "it")
    assert document.toPlainText() == "a ***b*** c"


def test_apply_heading_to_several_lines_keeps_them_selected(qapp) -> None:
    document = _document("one\ntwo\nthree")
    steps = []
    document.undoCommandAdded.connect(lambda: steps.append(1))
    cursor = _cursor(document, 1, 5)
    tc.apply_heading(cursor, 2)
    assert document.toPlainText() == "## one\n## two\nthree"
    assert cursor.selectedText() == "## one\u2029## two"
    assert len(steps) == 1
    document.undo()
    assert document.toPlainText() == "one\ntwo\nthree"


def test_apply_heading_keeps_caret_in_the_same_word(qapp) -> None:
    document = _document("Title here")
    cursor = _cursor(document, 6)
    tc.apply_heading(cursor, 1)
    assert document.toPlainText() == "# Title here"
    assert cursor.position() == 8


def test_apply_prefix_ignores_the_line_where_a_selection_ends_at_its_start(qapp) -> None:
    document = _document("a\nb\nc")
    cursor = _cursor(document, 0, 4)  # "a\nb\n" up to the start of "c"
    tc.apply_prefix(cursor, tc.BULLET)
    assert document.toPlainText() == "- a\n- b\nc"


def test_apply_link_selects_what_is_left_to_fill_in(qapp) -> None:
    document = _document("see the site now")
    cursor = _cursor(document, 4, 12)
    tc.apply_link(cursor)
    assert document.toPlainText() == "see [the site]() now"
    assert cursor.position() == 15 and not cursor.hasSelection()
