"""Which top-level block of the rendered article a source line belongs to, for scroll sync.

The renderer gives no source map, so the Markdown is split the way Python-Markdown splits it at the
top level (blank lines outside fenced code), closely enough to land on the right block or a neighbour.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^ {0,3}(?:(?P<bullet>[-*+])|(?P<number>\d+[.)]))\s+")
_INDENTED = re.compile(r"^(?: {4}|\t)")
_QUOTE = re.compile(r"^ {0,3}>")
_ATX = re.compile(r"^ {0,3}#{1,6}(?:\s|$)")
_RULE = re.compile(r"^ {0,3}(?:(?:\*\s*){3,}|(?:_\s*){3,})$")
_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)\s*$")
# Link reference and footnote definitions produce no block where they stand.
_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s")


def _kind(first: str) -> str:
    match = _LIST_ITEM.match(first)
    if match:
        return "ul" if match.group("bullet") else "ol"
    if _INDENTED.match(first):
        return "indented"
    if _QUOTE.match(first):
        return "quote"
    if _DEFINITION.match(first):
        return "definition"
    return "other"


def _chunks(lines: list[str]) -> list[tuple[int, list[str], bool]]:
    """Blank-line separated chunks as (first line index, lines, is fenced code)."""
    chunks: list[tuple[int, list[str], bool]] = []
    current: list[str] = []
    start = 0
    fence = ""
    for index, line in enumerate(lines):
        if fence:
            current.append(line)
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                chunks.append((start, current, True))
                current, fence = [], ""
            continue
        opener = _FENCE.match(line)
        if opener:
            if current:
                chunks.append((start, current, False))
            current, start, fence = [line], index, opener.group(1)
            continue
        if not line.strip():
            if current:
                chunks.append((start, current, False))
                current = []
            continue
        if not current:
            start = index
        current.append(line)
    if current:
        chunks.append((start, current, bool(fence)))
    return chunks


def _paragraph_splits(lines: list[str]) -> list[int]:
    """Offsets inside a plain chunk where a block starts: headings and rules cut paragraphs apart."""
    splits = {0}
    for offset, line in enumerate(lines):
        if offset and _UNDERLINE.match(line):
            splits.update((offset - 1, offset + 1))  # the line above is a heading
        elif _ATX.match(line) or _RULE.match(line):
            splits.update((offset, offset + 1))
    return sorted(offset for offset in splits if offset < len(lines))


def block_starts(text: str) -> list[int]:
    """The 1-based source line where each top-level rendered block starts, in order."""
    starts: list[int] = []
    previous = ""
    for start, lines, fenced in _chunks(text.split("\n")):
        if fenced:
            starts.append(start + 1)
            previous = "fenced"
            continue
        kind = _kind(lines[0])
        continues = (
            (kind in ("ul", "ol") and previous == kind)
            or (kind == "indented" and previous in ("ul", "ol", "indented", "definition"))
            or (kind == "quote" and previous == "quote")
        )
        if continues:
            continue
        previous = kind
        if kind == "definition":
            continue
        if kind != "other":
            starts.append(start + 1)
            continue
        starts.extend(start + 1 + offset for offset in _paragraph_splits(lines))
    return starts


def block_for_line(starts: list[int], line: int) -> tuple[int, int]:
    """(index of the block holding the 1-based `line`, number of blocks), from block_starts(text).

    Lines before the first block belong to it.
    """
    index = 0
    for position, first in enumerate(starts):
        if first > line:
            break
        index = position
    return index, len(starts)
