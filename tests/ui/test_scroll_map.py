"""Splitting Markdown into the top-level blocks the preview shows, for scroll sync."""

import pytest

from editor.ui.scroll_map import block_for_line, block_starts


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("", []),
        ("One paragraph\nwrapped over lines.\n", [1]),
        ("First.\n\nSecond.\n\n\n\nThird.\n", [1, 3, 7]),
        ("# Heading\nParagraph right under it.\n", [1, 2]),
        ("Setext title\n=====\nThen text.\n", [1, 3]),
        ("Text.\n\n***\n\nMore.\n", [1, 3, 5]),
        ("```\ncode\n\n\nstill code\n```\nAfter.\n", [1, 7]),
        ("~~~~python\n```\nnot a close\n~~~~\n", [1]),
        ("- one\n- two\n\n- three, loose\n\n    continued\n\nAfter.\n", [1, 8]),
        ("- bullets\n\n1. numbers\n", [1, 3]),
        ("> quoted\n\n> still the same quote\n\nAfter.\n", [1, 5]),
        ("[ref]: https://example.org\n\n[^1]: A note.\n    more of it\n\nText.\n", [6]),
        ("Text.\n\n    indented code\n\n    more code\n", [1, 3]),
        ("Unclosed fence:\n\n```\ncode\n\ncode\n", [1, 3]),
    ],
)
def test_block_starts(text, starts):
    assert block_starts(text) == starts


@pytest.mark.parametrize(
    ("line", "expected"),
    [(1, 0), (2, 0), (3, 0), (4, 1), (6, 1), (7, 2), (99, 2)],
)
def test_block_for_line_finds_the_block_holding_the_line(line, expected):
    text = "First\nparagraph.\n\n```\ncode\n```\nLast.\n"
    assert block_for_line(block_starts(text), line) == (expected, 3)


def test_lines_before_the_first_block_belong_to_it():
    assert block_for_line(block_starts("\n\n\nText.\n"), 1) == (0, 1)


def test_an_empty_text_has_no_blocks():
    assert block_for_line(block_starts(""), 1) == (0, 0)
