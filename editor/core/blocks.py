"""Splitting Markdown into top-level blocks that render the same alone as inside the whole text.

Python-Markdown cuts the text at blank lines and lets some pieces join the one before (list items,
indented continuations, quotes, definition lists). The split here only cuts where no such joining can
happen; wherever that is unclear, neighbours stay together, which costs speed but never correctness.
"""

from __future__ import annotations

import bisect
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


def _scan(text: str, start: int, end: int) -> list[list[Any]]:
    """[start, end, holds HTML, last chunk's start] of each group of the chunks in text[start:end].

    `start` and `end` are 0, the text's length or the start of a block, where no fenced code crosses.
    """
    fences = []
    if text.find("```", start, end) >= 0 or text.find("~~~", start, end) >= 0:  # far quicker than the pattern
        fences = [(match.start(), match.end())
                  for match in FencedBlockPreprocessor.FENCED_BLOCK_RE.finditer(text, start, end)]
    chunks: list[tuple[int, int, str]] = []
    fence = 0
    for match in _BLANK_RUN.finditer(text, start, end):
        cut = match.start()
        while fence < len(fences) and fences[fence][1] <= cut:
            fence += 1
        if fence < len(fences) and fences[fence][0] <= cut:
            continue  # blank lines inside fenced code
        piece = text[start:cut]
        if piece.strip(" "):
            chunks.append((start, cut, piece))
        start = match.end()
    if text[start:end].strip(" \n"):
        chunks.append((start, end, text[start:end]))
    groups = _grouped(chunks)
    for group, last in zip(groups, _last_starts(groups, chunks), strict=True):
        group.append(last)
    return groups


def _last_starts(groups: list[list[Any]], chunks: list[tuple[int, int, str]]) -> list[int]:
    """The start of the last chunk of each group."""
    lasts = []
    index = 0
    for group in groups:
        while index + 1 < len(chunks) and chunks[index + 1][0] < group[1]:
            index += 1
        lasts.append(chunks[index][0])
        index += 1
    return lasts


def _blocks_of(text: str, groups: list[list[Any]], first_line: int = 0, offset: int = 0) -> list[Block]:
    """The blocks of these groups; `first_line` is the line at character `offset`, at or before the first group."""
    blocks = []
    line = first_line
    for group in groups:
        line += text.count("\n", offset, group[0])
        offset = group[0]
        blocks.append(Block(line, text[group[0]:group[1]]))
    return blocks


def _whole_groups(text: str) -> list[list[Any]]:
    groups = _scan(text, 0, len(text))
    groups[0][0] = 0  # leading blank lines belong to the first block
    groups[-1][1] = len(text)  # and trailing ones to the last
    return groups


def _split_by_offsets(text: str) -> list[Block]:
    """The quick split for a text without tabs, working on character offsets instead of lines."""
    return _blocks_of(text, _whole_groups(text))


def _common_prefix(old: str, new: str) -> int:
    """The length of the longest common prefix, compared a stretch at a time (each comparison runs in C)."""
    limit = min(len(old), len(new))
    low = 0
    step = 4096
    while low + step <= limit and old[low:low + step] == new[low:low + step]:
        low += step
    high = min(low + step, limit)  # old[:low] == new[:low]; the first difference, if any, is before high
    while low < high:
        middle = (low + high + 1) // 2
        if old[low:middle] == new[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(old: str, new: str, limit: int) -> int:
    """The length of the longest common suffix, at most `limit` characters."""
    low = 0
    step = 4096
    size_old, size_new = len(old), len(new)
    while (low + step <= limit
           and old[size_old - low - step:size_old - low] == new[size_new - low - step:size_new - low]):
        low += step
    high = min(low + step, limit)
    while low < high:
        middle = (low + high + 1) // 2
        if old[size_old - middle:size_old - low] == new[size_new - middle:size_new - low]:
            low = middle
        else:
            high = middle - 1
    return low


def _touches_fence(text: str, start: int, end: int) -> bool:
    """Whether the whole lines around text[start:end] could open or close fenced code."""
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    lines = text[first:last if last >= 0 else len(text)]
    return "```" in lines or "~~~" in lines


class Splitter:
    """Splits successive versions of one text, cutting again only around what changed since the last one.

    The result always equals `split_blocks` of the same text; whenever reuse is not certain to give that,
    the whole text is split again. `reused` tells whether the last split kept parts of the one before.
    """

    def __init__(self) -> None:
        self.reused = False
        self._text: str | None = None
        self._groups: list[list[Any]] = []
        self._blocks: list[Block] = []
        self._starts: list[int] = []

    def split(self, text: str) -> list[Block]:
        """The text cut into blocks, as `split_blocks` cuts it."""
        blocks = self._reuse(text) if self._text is not None else None
        self.reused = blocks is not None
        if blocks is None:
            if not _splits_by_offsets(text):
                self._text = None
                return split_blocks(text)
            self._remember(text, _whole_groups(text))
            self._blocks = _blocks_of(text, self._groups)
        return list(self._blocks)

    def _remember(self, text: str, groups: list[list[Any]]) -> None:
        self._text = text
        self._groups = groups
        self._starts = [group[0] for group in groups]

    def _reuse(self, text: str) -> list[Block] | None:
        old = self._text
        assert old is not None
        if text == old:
            return self._blocks
        # An opening fence's hl_lines="…" may run over several lines, so any line could complete it.
        if not _splits_by_offsets(text) or "hl_lines" in text or len(self._groups) < 2:
            return None
        prefix = _common_prefix(old, text)
        suffix = _common_suffix(old, text, min(len(old), len(text)) - prefix)
        old_end, new_end = len(old) - suffix, len(text) - suffix
        # Fenced code is matched across the whole text: an edit to a fence line may open or close code far
        # from it. Any other edit leaves every fence where it was, so cuts away from the edit keep their meaning.
        if _touches_fence(old, prefix, old_end) or _touches_fence(text, prefix, new_end):
            return None
        groups = self._groups
        # Start two blocks before the one holding the edit: the blocks before it and the way the first
        # re-cut block joins them are then untouched by it.
        before = bisect.bisect_right(self._starts, prefix) - 1
        first = max(before - 2, 0)
        # End after a block lying wholly in the unchanged end, which every later block is cut after alike.
        after = bisect.bisect_left(self._starts, old_end + 2)
        last = after + 1
        if last + 1 >= len(groups):
            return None  # the edit is near the end: the tail is cut anew with the whole text
        shift = len(text) - len(old)
        start = 0 if first == 0 else groups[first][0]
        stop = groups[last + 1][0] + shift
        window = _scan(text, start, stop)
        if not window or window[-1][2]:
            return None
        tail = window[-1]
        mine = groups[last]
        if tail[1] != mine[1] + shift or tail[3] != mine[3] + shift or tail[3] < new_end + 1:
            return None
        if first == 0:
            window[0][0] = 0
        later = [[group[0] + shift, group[1] + shift, group[2], group[3] + shift] for group in groups[last + 1:]]
        later[-1][1] = len(text)
        new_groups = groups[:first] + window + later
        line = self._blocks[first].start if first else 0
        new_blocks = self._blocks[:first] + _blocks_of(text, window, line, start)
        lines = text.count("\n", prefix, new_end) - old.count("\n", prefix, old_end)
        if lines:
            new_blocks += [Block(block.start + lines, block.text) for block in self._blocks[last + 1:]]
        else:  # typing within a line: the blocks after it stay as they are
            new_blocks += self._blocks[last + 1:]
        self._remember(text, new_groups)
        self._blocks = new_blocks
        return new_blocks


def _splits_by_offsets(text: str) -> bool:
    """Whether `split_blocks` cuts this text with the quick split by offsets."""
    return bool(text.strip()) and "\r" not in text and FOOTNOTE_MARKER not in text and "\t" not in text


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
