"""Cutting Markdown into blocks that render alone as they do inside the whole text."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.core.blocks import Splitter, split_blocks


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


PIECES = [
    "Plain paragraph with *emphasis*.",
    "Two lines\nof one paragraph.",
    "# Heading",
    "- item\n- item two\n\n    continued item",
    "1. first\n\n2. second",
    "> quoted\n> more",
    "> another quote",
    "```python\ncode\n\n\nmore code\n```",
    "~~~\ntilde code\n~~~",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "Term\n\n:   Definition",
    "[ref]: https://example.org",
    "A note.[^n]\n\n[^n]: The note.\n\n    Its second paragraph.",
    "    indented code",
    "<div>\nraw\n</div>",
    "Text with <https://example.org> autolink.",
    "---\ntitle: like front matter\n---",
    "* star item\n\n  lazy continuation",
]
FRAGMENTS = ["x", " ", "\n", "\n\n", "\n\n\n", "```", "~~~", "- ", "> ", "1. ", "    ", "| c |", "<div>",
             "[r]: /u", ":   ", "\t", "\r", "```\n", "\n```\n", "[^n]", "{#id}", "hl_lines=\"1",
             "///Footnotes Go Here///", "", "word"]

edit = st.tuples(st.floats(0, 1), st.integers(0, 12), st.sampled_from(FRAGMENTS))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(st.sampled_from(PIECES), min_size=1, max_size=30),
       separators=st.lists(st.sampled_from(["\n\n", "\n", "\n\n\n", "\n \n"]), min_size=30, max_size=30),
       edits=st.lists(edit, min_size=1, max_size=10))
def test_the_splitter_cuts_every_edited_text_as_a_whole_split_does(pieces, separators, edits):
    text = "".join(piece + separator for piece, separator in zip(pieces, separators, strict=False))
    splitter = Splitter()
    assert splitter.split(text) == split_blocks(text)
    for where, removed, inserted in edits:
        at = int(where * len(text))
        text = text[:at] + inserted + text[at + removed:]
        assert splitter.split(text) == split_blocks(text)


def long_text(count: int = 40) -> str:
    # Without raw HTML, which joins everything after it into one block.
    pieces = [piece for piece in PIECES if "<div>" not in piece]
    return "".join(f"{pieces[index % len(pieces)]}\n\nParagraph {index}.\n\n" for index in range(count))


def test_an_edit_in_the_middle_of_a_long_text_reuses_the_previous_split():
    text = long_text()
    splitter = Splitter()
    splitter.split(text)
    middle = text.index("Paragraph 20.")
    for typed in ["x", "\n\n", "- a\n\n- b", "> q"]:
        text = text[:middle] + typed + text[middle:]
        assert splitter.split(text) == split_blocks(text)
        assert splitter.reused


def test_an_edit_that_touches_a_fence_splits_the_whole_text_again():
    text = long_text()
    splitter = Splitter()
    splitter.split(text)
    fence = text.index("```python")
    text = text[:fence] + "x" + text[fence:]
    assert splitter.split(text) == split_blocks(text)
    assert not splitter.reused
    # Closing a fence opened far above must re-cut everything after the opening.
    text = "```\nopen\n\n" + long_text() + "```\n\nAfter."
    splitter.split(text)
    closed = text[:12] + "```\n" + text[12:]
    assert splitter.split(closed) == split_blocks(closed)
