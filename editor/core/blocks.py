"""Splitting Markdown into top-level blocks that render the same alone as inside the whole text.

Python-Markdown cuts the text at blank lines and lets some pieces join the one before (list items,
indented continuations, quotes, definition lists). The split here only cuts where no such joining can
happen; wherever that is unclear, neighbours stay together, which costs speed but never correctness.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markdown.extensions.fenced_code import FencedBlockPreprocessor

TAB_LENGTH = 4
# Python-Markdown's own placeholder for where the footnotes go; a text using it is rendered whole.
FOOTNOTE_MARKER = "///Footnotes Go Here///"

_BLANK_RUN = re.compile(r"\n(?:[ ]*\n)+")
_INDENTED = re.compile(r"^ {4}")
_LIST_ITEM = re.compile(r"^\s*(?:[*+-]|\d+[.)])(?:\s|$)", re.MULTILINE)
_QUOTE = re.compile(r"^\s*>", re.MULTILINE)
_DEFINITION = re.compile(r"^\s*:(?:\s|$)", re.MULTILINE)
# Raw HTML can reach past blank lines (and unbalanced inline tags past the paragraph); web and mail
# autolinks are not HTML.
_HTML = re.compile(r"<(?!(?:https?|ftp|mailto):)(?![^\s<>]+@[^\s<>]+>)[A-Za-z!?/]")


@dataclass(frozen=True)
class Block:
    """A run of source lines rendered on its own: `start` is the 0-based index of its first line."""

    start: int
    text: str


def _normalised(text: str) -> str:
    """The text with tabs expanded as Python-Markdown expands them (lines stay where they are)."""
    return text.expandtabs(TAB_LENGTH)


def _fence_lines(normal: str) -> list[tuple[int, int]]:
    """(first, last) 0-based line indices of each fenced code block, found as the renderer finds them."""
    regions = []
    for match in FencedBlockPreprocessor.FENCED_BLOCK_RE.finditer(normal):
        first = normal.count("\n", 0, match.start())
        regions.append((first, first + normal.count("\n", match.start(), match.end())))
    return regions


def _chunks(lines: list[str], fences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Half-open line ranges of blank-line separated chunks; fenced code never splits."""
    inside = set()
    for first, last in fences:
        inside.update(range(first, last + 1))
    chunks: list[tuple[int, int]] = []
    start = None
    for index, line in enumerate(lines):
        blank = not line.strip(" ") and index not in inside
        if blank and start is not None:
            chunks.append((start, index))
            start = None
        elif not blank and start is None:
            start = index
    if start is not None:
        chunks.append((start, len(lines)))
    return chunks


class _Chunk:
    """A chunk's text and the few facts about it that decide whether the next chunk joins it."""

    __slots__ = ("quoted", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.quoted = ">" in text and bool(_QUOTE.search(text))

    @property
    def listy(self) -> bool:
        """Whether the chunk may end with a list (asked only when a list item follows it)."""
        return bool(_INDENTED.match(self.text) or _LIST_ITEM.search(self.text))


def _joins_previous(chunk: _Chunk, previous: _Chunk) -> bool:
    """Whether the renderer may attach this chunk to what the previous one ended with."""
    text = chunk.text
    if "]:" in text or "]:" in previous.text:
        # Definitions leave nothing where they stand, so what follows them meets what came before them.
        return True
    if _INDENTED.match(text) or (":" in text and _DEFINITION.search(text)):
        return True
    if _LIST_ITEM.match(text) and previous.listy:
        return True
    return chunk.quoted and previous.quoted


def may_hold_html(text: str) -> bool:
    """Whether the text may hold raw HTML, which can reach into whatever follows it."""
    return bool(_HTML.search(text))


def split_blocks(text: str) -> list[Block]:
    """The text cut into blocks; joined with newlines and the blank lines between, they give the text back."""
    if not text.strip():
        return []
    if "\r" in text or FOOTNOTE_MARKER in text:
        return [Block(0, text)]
    if "\t" not in text:
        return _split_by_offsets(text)
    return _split_by_lines(text)


def _grouped(chunks: list[tuple[int, int, str]]) -> list[list[Any]]:
    """[first chunk's start, last chunk's end, holds HTML] of each block, from (start, end, text) chunks."""
    groups: list[list[Any]] = []
    previous = _Chunk("")
    for start, end, text in chunks:
        chunk = _Chunk(text)
        html = "<" in text and may_hold_html(text)
        if groups and (groups[-1][2] or _joins_previous(chunk, previous)):
            groups[-1][1] = end
            groups[-1][2] = groups[-1][2] or html
        else:
            groups.append([start, end, html])
        previous = chunk
    return groups


def _split_by_offsets(text: str) -> list[Block]:
    """The quick split for a text without tabs, working on character offsets instead of lines."""
    fences = []
    if "```" in text or "~~~" in text:  # a plain search is far quicker than the fence pattern
        fences = [(match.start(), match.end()) for match in FencedBlockPreprocessor.FENCED_BLOCK_RE.finditer(text)]
    chunks: list[tuple[int, int, str]] = []
    start = 0
    fence = 0
    for match in _BLANK_RUN.finditer(text):
        cut = match.start()
        while fence < len(fences) and fences[fence][1] <= cut:
            fence += 1
        if fence < len(fences) and fences[fence][0] <= cut:
            continue  # blank lines inside fenced code
        piece = text[start:cut]
        if piece.strip(" "):
            chunks.append((start, cut, piece))
        start = match.end()
    if text[start:].strip(" \n"):
        chunks.append((start, len(text), text[start:]))
    groups = _grouped(chunks)
    groups[0][0] = 0
    groups[-1][1] = len(text)
    blocks = []
    line = 0
    offset = 0
    for first, last, _html in groups:
        line += text.count("\n", offset, first)
        offset = first
        blocks.append(Block(line, text[first:last]))
    return blocks


def _split_by_lines(text: str) -> list[Block]:
    """The split for a text with tabs, which must be expanded before lines can be judged."""
    raw_lines = text.split("\n")
    normal_lines = _normalised(text).split("\n")
    spans = _chunks(normal_lines, _fence_lines("\n".join(normal_lines)))
    ranges = _grouped([(start, end, "\n".join(normal_lines[start:end])) for start, end in spans])
    ranges[0][0] = 0  # leading blank lines belong to the first block
    ranges[-1][1] = len(raw_lines)  # and trailing ones to the last
    return [Block(start, "\n".join(raw_lines[start:end])) for start, end, _html in ranges]


def block_lines(blocks: list[Block]) -> list[int]:
    """The 1-based first line of each block."""
    return [block.start + 1 for block in blocks]
