"""Cutting Markdown into blocks that render alone as they do inside the whole text."""

import pytest

from editor.core.blocks import split_blocks


def texts(markdown: str) -> list[str]:
    return [block.text for block in split_blocks(markdown)]


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("", []),
        ("   \n\n", []),
        ("One.\n\nTwo.", ["One.", "Two."]),
        ("\n\nOne.\n\n\n\nTwo.\n\n", ["\n\nOne.", "Two.\n\n"]),
        # Blank lines inside fenced code do not cut it; a fence that never closes is no fence.
        ("```\na\n\n\nb\n```\n\nAfter.", ["```\na\n\n\nb\n```", "After."]),
        ("```\na\n\nb", ["```\na", "b"]),
        # List items separated by blank lines, and indented continuations, stay with their list.
        ("- a\n\n- b\n\n    more of b\n\nAfter.", ["- a\n\n- b\n\n    more of b", "After."]),
        ("# Title\n- a\n\n- b", ["# Title\n- a\n\n- b"]),
        ("Para.\n\n    code\n\n    more code", ["Para.\n\n    code\n\n    more code"]),
        # Quotes that follow quotes merge into one quotation.
        ("> a\n\n> b\n\nAfter.", ["> a\n\n> b", "After."]),
        # A definition joins the term above it.
        ("Term\n\n:   Definition", ["Term\n\n:   Definition"]),
        # A footnote's indented paragraphs stay with it.
        ("Text.\n\n[^a]: Note.\n\n    Second paragraph.", ["Text.\n\n[^a]: Note.\n\n    Second paragraph."]),
        # Definitions leave no element behind: the list item after one still continues the list before it.
        ("- a\n\n[r]: https://example.org\n\n- b\n\nAfter.",
         ["- a\n\n[r]: https://example.org\n\n- b", "After."]),
        ("One.\n\nTwo.\n\n- a", ["One.", "Two.", "- a"]),
        # Raw HTML may reach anywhere after it: everything from there on is one block.
        ("Before.\n\n<div>\n\nInside.\n\n</div>\n\nAfter.", ["Before.", "<div>\n\nInside.\n\n</div>\n\nAfter."]),
        # Autolinks are not HTML.
        ("See <https://example.org>.\n\nNext.", ["See <https://example.org>.", "Next."]),
        # Tabs count as indentation.
        ("Para.\n\n\tcode", ["Para.\n\n\tcode"]),
    ],
)
def test_split_blocks(markdown, expected):
    assert texts(markdown) == expected


def test_blocks_know_their_first_line():
    blocks = split_blocks("One.\n\n\nTwo\nlines.\n\nThree.")
    assert [block.start for block in blocks] == [0, 3, 6]


def test_the_footnote_marker_or_carriage_returns_keep_the_text_whole():
    assert len(split_blocks("A.\n\n///Footnotes Go Here///\n\nB.")) == 1
    assert len(split_blocks("A.\r\n\r\nB.")) == 1
