"""Markdown highlighting: formats land on the right characters, and code/comments span lines."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout

from editor.ui.highlighter import DARK, IN_COMMENT, LIGHT, NORMAL, MarkdownHighlighter


def plain_document(text: str) -> QTextDocument:
    """A document laid out as the editor lays it out (layout changes are what trigger highlighting)."""
    document = QTextDocument()
    document.setDocumentLayout(QPlainTextDocumentLayout(document))
    document.setPlainText(text)
    return document


@pytest.fixture
def highlight(qapp):
    kept = []

    def run(text: str) -> QTextDocument:
        document = plain_document(text)
        highlighter = MarkdownHighlighter(document)
        highlighter.rehighlight()
        kept.append((document, highlighter))
        return document

    return run


def ranges(document: QTextDocument, line: int) -> list[tuple[int, int, QTextCharFormat]]:
    """(start, length, format) of each formatted stretch of a line, copied out of the layout."""
    layout = document.findBlockByNumber(line).layout()
    return [(item.start, item.length, QTextCharFormat(item.format)) for item in layout.formats()]


def format_at(document: QTextDocument, line: int, column: int) -> QTextCharFormat | None:
    """The format covering one character, or None when the character is unformatted."""
    for start, length, fmt in ranges(document, line):
        if start <= column < start + length:
            return fmt
    return None


def test_heading_text_is_bold(highlight) -> None:
    document = highlight("# Title\nplain")
    assert format_at(document, 0, 3).fontWeight() == QFont.Weight.Bold
    assert ranges(document, 1) == []


def test_hash_without_space_is_not_a_heading(highlight) -> None:
    document = highlight("#hashtag")
    assert format_at(document, 0, 3) is None


def test_fenced_code_block_spans_lines_and_hides_inline_markup(highlight) -> None:
    document = highlight("```python\nx = *not italic*\n# not a heading\n```\n**bold**")
    for line in (1, 2):
        fmt = format_at(document, line, 5)
        assert fmt is not None and fmt.fontFixedPitch()
        assert not fmt.fontItalic() and fmt.fontWeight() != QFont.Weight.Bold
        assert document.findBlockByNumber(line).userState() >= 16
    assert document.findBlockByNumber(3).userState() == NORMAL
    assert format_at(document, 4, 3).fontWeight() == QFont.Weight.Bold


def test_a_shorter_or_different_fence_does_not_close_the_block(highlight) -> None:
    document = highlight("````\n```\n~~~\nstill code\n````\nafter")
    assert format_at(document, 3, 0).fontFixedPitch()
    assert format_at(document, 5, 0) is None


def test_unclosed_fence_colours_until_the_end(highlight) -> None:
    document = highlight("```\na\nb")
    assert format_at(document, 2, 0).fontFixedPitch()


def test_html_comment_spans_lines(highlight) -> None:
    document = highlight("before <!-- note\nstill a note\nend --> after\nplain")
    assert format_at(document, 0, 0) is None
    assert format_at(document, 0, 8).fontItalic()
    assert document.findBlockByNumber(1).userState() == IN_COMMENT
    assert format_at(document, 1, 3).fontItalic()
    assert format_at(document, 2, 2).fontItalic()
    assert format_at(document, 2, 10) is None
    assert ranges(document, 3) == []


@pytest.mark.parametrize(("text", "column", "check"), [
    ("some **strong** text", 8, lambda f: f.fontWeight() == QFont.Weight.Bold),
    ("some *soft* text", 7, lambda f: f.fontItalic()),
    ("some _soft_ text", 7, lambda f: f.fontItalic()),
    ("some ~~gone~~ text", 8, lambda f: f.fontStrikeOut()),
    ("some `code` text", 7, lambda f: f.fontFixedPitch()),
    ("a [link](https://example.org) b", 4, lambda f: f.fontUnderline()),
    ("> quoted words", 5, lambda f: f.fontItalic()),
    ("- item", 0, lambda f: f.fontWeight() == QFont.Weight.Bold),
    ("12. item", 1, lambda f: f.fontWeight() == QFont.Weight.Bold),
    ("> - quoted item", 2, lambda f: f.fontWeight() == QFont.Weight.Bold),
    ("see **`code` inside** bold", 7, lambda f: f.fontFixedPitch() and f.fontWeight() == QFont.Weight.Bold),
])
def test_inline_markup_gets_a_format(highlight, text: str, column: int, check) -> None:
    fmt = format_at(highlight(text), 0, column)
    assert fmt is not None and check(fmt)


def test_image_alt_text_and_target_are_coloured_differently(highlight) -> None:
    document = highlight("![a photo](assets/p.jpg)")
    alt, target = format_at(document, 0, 3), format_at(document, 0, 15)
    assert alt is not None and target is not None
    assert alt.foreground().color() != target.foreground().color()


def test_stars_inside_code_span_are_not_emphasis(highlight) -> None:
    document = highlight("`a *b* c`")
    assert not format_at(document, 0, 4).fontItalic()


def test_positions_count_utf16_units_after_emoji(highlight) -> None:
    document = highlight("😀 **b**")
    # The emoji is two UTF-16 units, so the bold letter sits at position 5.
    assert format_at(document, 0, 5).fontWeight() == QFont.Weight.Bold
    assert format_at(document, 0, 2) is None


def test_editing_into_a_fence_recolours_following_lines(highlight, qapp) -> None:
    document = plain_document("text\nmore")
    highlighter = MarkdownHighlighter(document)
    highlighter.rehighlight()
    assert format_at(document, 1, 0) is None
    cursor = QTextCursor(document)
    cursor.insertText("```\n")
    assert format_at(document, 2, 0).fontFixedPitch()


def test_dark_colours_differ_from_light(highlight) -> None:
    document = highlight("# Title")
    light = format_at(document, 0, 3).foreground().color()
    highlighter = MarkdownHighlighter(document, dark=True)
    highlighter.rehighlight()
    assert format_at(document, 0, 3).foreground().color() != light


def test_pathological_line_is_highlighted(highlight) -> None:
    line = "[a" * 4000 + "*" * 3000 + "`" * 2000
    document = highlight(line)
    assert document.blockCount() == 1


@pytest.mark.parametrize("scheme, dark", [(Qt.ColorScheme.Dark, True), (Qt.ColorScheme.Light, False)])
def test_colours_follow_the_desktop_switching_between_light_and_dark(qapp, scheme, dark) -> None:
    document = plain_document("# Title")
    highlighter = MarkdownHighlighter(document, dark=not dark)
    highlighter.rehighlight()
    before = format_at(document, 0, 3).foreground().color().name()
    QGuiApplication.styleHints().colorSchemeChanged.emit(scheme)
    expected = (DARK if dark else LIGHT).heading
    assert highlighter.dark is dark
    assert format_at(document, 0, 3).foreground().color().name() == expected != before
