"""Markdown colouring for the editor: headings, emphasis, links, images, quotes, lists, code, comments."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextDocument,
)

from editor.ui.theme import is_dark

NORMAL = -1
IN_COMMENT = 1
# Inside a fenced code block the state also remembers the fence (character and length) that closes it.
_FENCE_BASE = 16

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?=[ \t]|$)")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}(?:>[ \t]?)+")
# No "^": it is matched with pattern.match(text, pos) after a quote marker, where "^" would fail.
_LIST = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)(?:[ \t]+\[[ xX]\](?=[ \t]|$))?")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*\S.*$")
_CODE_SPAN = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_COMMENT = re.compile(r"<!--.*?-->")
_IMAGE = re.compile(r"!\[([^\[\]]*)\](\([^)]*\)|\[[^\]]*\])")
_LINK = re.compile(r"(?<!!)\[([^\[\]]+)\](\([^)]*\)|\[[^\]]*\])")
_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^>\s]+>|\bhttps?://[^\s<>()]+", re.IGNORECASE)
# Emphasis is searched within 400 characters: unbounded, a line of unclosed markers takes quadratic time.
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.{1,400}?)(?<=\S)\1")
_EMPHASIS = re.compile(
    r"(?<![*\w])\*(?=[^\s*])(.{1,400}?)(?<=[^\s*])\*(?!\*)"
    r"|(?<![_\w])_(?=[^\s_])(.{1,400}?)(?<=[^\s_])_(?![_\w])"
)
_STRIKE = re.compile(r"~~(?=\S)(.{1,400}?)(?<=\S)~~")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Palette:
    """The colours of one theme."""

    heading: str
    marker: str
    link: str
    url: str
    image: str
    quote: str
    code: str
    code_background: str
    comment: str
    list_marker: str


LIGHT = Palette("#1d4f91", "#9099a3", "#1565c0", "#6b7c93", "#7a3d9c", "#4f5b66",
                "#9c3418", "#f1efeb", "#8a8f98", "#b25b00")
DARK = Palette("#8ab4f8", "#7c848c", "#82b1ff", "#93a1b3", "#d0a2f0", "#aeb8c2",
               "#f2a27c", "#2b2d31", "#7e8590", "#f0a35e")


def _format(color: str, *, bold: bool = False, italic: bool = False, background: str | None = None,
            strike: bool = False, underline: bool = False, fixed: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(color))
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    if italic:
        fmt.setFontItalic(True)
    if strike:
        fmt.setFontStrikeOut(True)
    if underline:
        fmt.setFontUnderline(True)
    if background:
        fmt.setBackground(QColor(background))
    if fixed:
        fmt.setFontFixedPitch(True)
    return fmt


def _style(fmt: QTextCharFormat | None = None, **kwargs) -> QTextCharFormat:
    """A format that only sets a font property, so it combines with colours from other spans."""
    out = QTextCharFormat() if fmt is None else QTextCharFormat(fmt)
    if kwargs.get("bold"):
        out.setFontWeight(QFont.Weight.Bold)
    if kwargs.get("italic"):
        out.setFontItalic(True)
    if kwargs.get("strike"):
        out.setFontStrikeOut(True)
    return out


class _Units:
    """Converts Python string indices of a line to the UTF-16 positions Qt uses."""

    def __init__(self, text: str) -> None:
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]

    def __call__(self, index: int) -> int:
        if not self._astral:
            return index
        return index + bisect.bisect_left(self._astral, index)


class _Taken:
    """Non-overlapping stretches of a line already claimed by code, comments and links."""

    def __init__(self, length: int) -> None:
        self._owner = [0] * (length + 1)  # 0: free, n: inside stretch n
        self._bounds: list[tuple[int, int]] = [(0, 0)]

    def add(self, span: tuple[int, int]) -> None:
        """Claim a stretch."""
        a, b = span
        self._bounds.append((a, b))
        self._owner[a:b] = [len(self._bounds) - 1] * (b - a)

    def free(self, a: int, b: int) -> bool:
        """Whether no character in a..b is claimed."""
        return not any(self._owner[a:b])

    def cuts(self, a: int, b: int) -> bool:
        """Whether a..b starts or ends inside a claimed stretch (holding a whole one is fine)."""
        first, last = self._owner[a], self._owner[b - 1] if b > a else 0
        return bool(first and self._bounds[first][0] < a) or bool(last and self._bounds[last][1] > b)


class MarkdownHighlighter(QSyntaxHighlighter):
    """Colours Markdown source in a QTextDocument; fenced code and HTML comments may span lines."""

    def __init__(self, document: QTextDocument | None = None, dark: bool = False) -> None:
        super().__init__(document)
        # Extra layers (spelling, comments): each gives (start, end, format) spans in str indices for a line.
        self.overlays: list[Callable[[QTextBlock, str], list[tuple[int, int, QTextCharFormat]]]] = []
        self.dark = dark
        self._build_formats(DARK if dark else LIGHT)
        # The colours are chosen once from the palette; a desktop switching between light and dark while
        # the window is open would otherwise leave dark-blue headings on a dark background, or the reverse.
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._follow_scheme)

    def set_dark(self, dark: bool) -> None:
        """Switch between the light and dark colour sets."""
        self.dark = dark
        self._build_formats(DARK if dark else LIGHT)
        self.rehighlight()

    def _follow_scheme(self, scheme: Qt.ColorScheme) -> None:
        known = scheme != Qt.ColorScheme.Unknown
        dark = scheme == Qt.ColorScheme.Dark if known else is_dark(QGuiApplication.palette())
        if dark != self.dark:
            self.set_dark(dark)

    def _build_formats(self, p: Palette) -> None:
        self.formats = {
            "heading": _format(p.heading, bold=True),
            "marker": _format(p.marker),
            "strong": _style(bold=True),
            "emphasis": _style(italic=True),
            "strike": _style(strike=True),
            "link": _format(p.link, underline=True),
            "url": _format(p.url),
            "image": _format(p.image),
            "quote": _format(p.quote, italic=True),
            "code": _format(p.code, background=p.code_background, fixed=True),
            "fence": _format(p.marker, background=p.code_background, fixed=True),
            "comment": _format(p.comment, italic=True),
            "list": _format(p.list_marker, bold=True),
            "html": _format(p.marker),
        }

    # --- per line ---------------------------------------------------------------------------
    def highlightBlock(self, text: str) -> None:
        units = _Units(text)
        spans: list[tuple[int, int, QTextCharFormat]] = []
        state = self.previousBlockState()
        self.setCurrentBlockState(NORMAL)
        if state >= _FENCE_BASE:
            self._fenced_line(text, state, spans)
        else:
            start = 0
            if state == IN_COMMENT:
                start = self._comment_continues(text, spans)
            if start < len(text) or not text:
                self._normal_line(text, start, spans)
        for overlay in self.overlays:
            spans.extend(overlay(self.currentBlock(), text))
        self._paint(text, spans, units)

    def _fenced_line(self, text: str, state: int, spans: list) -> None:
        char = "~" if state & 1 else "`"
        length = (state - _FENCE_BASE) // 2
        match = _FENCE.match(text)
        closes = bool(match) and match.group(1)[0] == char and len(match.group(1)) >= length \
            and not match.group(2).strip()
        spans.append((0, len(text), self.formats["fence" if closes else "code"]))
        if not closes:
            self.setCurrentBlockState(state)

    def _comment_continues(self, text: str, spans: list) -> int:
        end = text.find("-->")
        if end < 0:
            spans.append((0, len(text), self.formats["comment"]))
            self.setCurrentBlockState(IN_COMMENT)
            return len(text)
        spans.append((0, end + 3, self.formats["comment"]))
        return end + 3

    def _normal_line(self, text: str, start: int, spans: list) -> None:
        f = self.formats
        if start == 0:
            fence = _FENCE.match(text)
            if fence and not (fence.group(1)[0] == "`" and "`" in fence.group(2)):
                marker = fence.group(1)
                spans.append((0, len(text), f["fence"]))
                self.setCurrentBlockState(_FENCE_BASE + 2 * min(len(marker), 1000) + (marker[0] == "~"))
                return
            if _RULE.match(text) or (_SETEXT.match(text) and self._after_paragraph()):
                spans.append((0, len(text), f["marker"]))
                return
            if _REFERENCE.match(text):
                spans.append((0, len(text), f["url"]))
                return
            heading = _HEADING.match(text)
            if heading:
                spans.append((0, len(text), f["heading"]))
                spans.append((0, heading.end(), f["marker"]))
                closing = re.search(r"[ \t]#+[ \t]*$", text)
                if closing and closing.start() >= heading.end():
                    spans.append((closing.start(), len(text), f["marker"]))
            quote = _QUOTE.match(text)
            if quote:
                spans.append((0, len(text), f["quote"]))
                spans.append((0, quote.end(), f["marker"]))
                start = quote.end()
            bullet = _LIST.match(text, start)
            if bullet:
                spans.append((bullet.start(), bullet.end(), f["list"]))
                start = bullet.end()
        self._inline(text, start, spans)

    def _after_paragraph(self) -> bool:
        previous = self.currentBlock().previous()
        return previous.isValid() and bool(previous.text().strip()) and previous.userState() < _FENCE_BASE

    def _inline(self, text: str, start: int, spans: list) -> None:
        f = self.formats
        taken = _Taken(len(text))
        free = taken.free

        for match in _CODE_SPAN.finditer(text, start):
            taken.add(match.span())
            spans.append((match.start(), match.end(), f["code"]))
        pos = start
        while True:
            opening = text.find("<!--", pos)
            while opening >= 0 and not free(opening, opening + 4):
                opening = text.find("<!--", opening + 1)
            if opening < 0:
                break
            close = text.find("-->", opening + 4)
            if close < 0:
                spans.append((opening, len(text), f["comment"]))
                taken.add((opening, len(text)))
                self.setCurrentBlockState(IN_COMMENT)
                break
            spans.append((opening, close + 3, f["comment"]))
            taken.add((opening, close + 3))
            pos = close + 3
        for pattern, text_key in ((_IMAGE, "image"), (_LINK, "link")):
            for match in pattern.finditer(text, start):
                if not free(*match.span()):
                    continue
                taken.add(match.span())
                spans.append((match.start(), match.end(), f["marker"]))
                spans.append((match.start(1), match.end(1), f[text_key]))
                spans.append((match.start(2), match.end(2), f["url"]))
        for match in _AUTOLINK.finditer(text, start):
            if free(*match.span()):
                taken.add(match.span())
                spans.append((match.start(), match.end(), f["url"]))
        for match in _HTML_TAG.finditer(text, start):
            if free(*match.span()):
                spans.append((match.start(), match.end(), f["html"]))
        for pattern, key, width in ((_STRONG, "strong", 2), (_EMPHASIS, "emphasis", 1), (_STRIKE, "strike", 2)):
            for match in pattern.finditer(text, start):
                a, b = match.span()
                if taken.cuts(a, b):
                    continue  # emphasis may hold a link or code, but not cut through one
                spans.append((a, b, f[key]))
                spans.append((a, a + width, f["marker"]))
                spans.append((b - width, b, f["marker"]))

    def _paint(self, text: str, spans: list, units: _Units) -> None:
        """Apply spans; where they overlap the later one wins for colour, font styles add up."""
        starts: dict[int, list[int]] = {}
        ends: dict[int, list[int]] = {}
        for index, (a, b, _fmt) in enumerate(spans):
            if b > a:
                starts.setdefault(a, []).append(index)
                ends.setdefault(b, []).append(index)
        active: set[int] = set()
        # One sweep over the span edges keeps long lines with thousands of spans linear.
        for left, right in itertools.pairwise(sorted(starts.keys() | ends.keys())):
            active.difference_update(ends.get(left, ()))
            active.update(starts.get(left, ()))
            if not active:
                continue
            order = sorted(active)
            merged = QTextCharFormat(spans[order[0]][2])
            for index in order[1:]:
                merged.merge(spans[index][2])
            start = units(left)
            self.setFormat(start, units(right) - start, merged)
