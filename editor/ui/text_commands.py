"""Markdown formatting commands: pure text rules, and applying them to an editor cursor as one undo step."""

from __future__ import annotations

import re

from PySide6.QtGui import QTextCursor

from editor.ui.review_mode import is_text_locked

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)")
_QUOTE = re.compile(r"^ {0,3}> ?")
_BULLET = re.compile(r"^( *)[-*+][ \t]+")
_NUMBERED = re.compile(r"^( *)\d{1,9}[.)][ \t]+")
_URL = re.compile(r"^(https?://|mailto:)\S+$", re.IGNORECASE)

QUOTE, BULLET, NUMBERED = "quote", "bullet", "numbered"
# A paragraph separator inside a QTextCursor selection; the document stores it instead of "\n".
_PARAGRAPH_SEPARATOR = "\u2029"


# --- pure text rules ------------------------------------------------------------------------
def heading_level(line: str) -> int:
    """The ATX heading level of a line (1–6), or 0 when it is not a heading."""
    match = _HEADING.match(line)
    return len(match.group(1)) if match else 0


def toggle_heading(line: str, level: int) -> str:
    """Make the line a heading of this level, or plain text when it already is one."""
    if not 1 <= level <= 6:
        raise ValueError(level)
    match = _HEADING.match(line)
    current = len(match.group(1)) if match else 0
    content = line[match.end():] if match else line.lstrip()
    if current == level:
        return content
    return "#" * level + " " + content


def _strip_list_marker(line: str) -> str:
    match = _BULLET.match(line) or _NUMBERED.match(line)
    return line[match.end():] if match else line


def _has_prefix(line: str, kind: str) -> bool:
    pattern = {QUOTE: _QUOTE, BULLET: _BULLET, NUMBERED: _NUMBERED}[kind]
    return bool(pattern.match(line))


def toggle_prefix(lines: list[str], kind: str) -> list[str]:
    """Turn lines into a block quote, bulleted or numbered list, or back into plain lines.

    Blank lines are left alone in lists and quoted as ">" inside a quote so it stays one block.
    """
    if kind not in (QUOTE, BULLET, NUMBERED):
        raise ValueError(kind)
    filled = [line for line in lines if line.strip()]
    already = bool(filled) and all(_has_prefix(line, kind) for line in filled)
    result: list[str] = []
    number = 0
    for line in lines:
        if kind == QUOTE:
            if already:
                result.append(_QUOTE.sub("", line, count=1))
            else:
                result.append("> " + line if line.strip() else ">")
            continue
        if not line.strip() and filled:
            result.append(line)
            continue
        content = _strip_list_marker(line)
        if already:
            result.append(content)
        elif kind == BULLET:
            result.append("- " + content.lstrip())
        else:
            number += 1
            result.append(f"{number}. " + content.lstrip())
    return result


def _run_length(text: str, char: str, from_end: bool = False) -> int:
    stripped = text.rstrip(char) if from_end else text.lstrip(char)
    return len(text) - len(stripped)


def _counts_as_marker(run: int, marker: str) -> bool:
    # "*" and "**" share a character: a run of 1 or 3 stars holds an italic marker, a run of 2 or 3 a bold one.
    if marker in ("*", "_"):
        return run % 2 == 1
    if marker in ("**", "__"):
        return run >= 2
    return run >= len(marker)


def is_wrapped(text: str, marker: str) -> bool:
    """Whether text starts and ends with the marker (e.g. "**bold**" for "**")."""
    if len(text) <= 2 * len(marker) or not (text.startswith(marker) and text.endswith(marker)):
        return False
    char = marker[0]
    return _counts_as_marker(_run_length(text, char), marker) and _counts_as_marker(
        _run_length(text, char, from_end=True), marker)


def wrap(text: str, marker: str) -> str:
    """Wrap each non-blank line of text in the marker, keeping surrounding spaces outside it."""
    out = []
    for line in text.split("\n"):
        core = line.strip()
        if not core:
            out.append(line)
            continue
        start = line.index(core)
        out.append(line[:start] + marker + core + marker + line[start + len(core):])
    return "\n".join(out)


def unwrap(text: str, marker: str) -> str:
    """Remove the marker from both ends of each wrapped line of text."""
    out = []
    for line in text.split("\n"):
        core = line.strip()
        if is_wrapped(core, marker):
            start = line.index(core)
            line = line[:start] + core[len(marker):-len(marker)] + line[start + len(core):]
        out.append(line)
    return "\n".join(out)


def link_markdown(selected: str, clipboard: str = "") -> tuple[str, int, int]:
    """A Markdown link for the selected text, and the range (start, end) to select afterwards.

    A selected URL becomes the target with the caret in the empty text; other text becomes the
    link text, with a URL from the clipboard as target when there is one.
    """
    selected = selected.strip()
    if _URL.match(selected):
        return f"[]({selected})", 1, 1
    target = clipboard.strip() if _URL.match(clipboard.strip()) else ""
    if not selected:
        placeholder = "text"
        markdown = f"[{placeholder}]({target})"
        return markdown, 1, 1 + len(placeholder)
    markdown = f"[{selected}]({target})"
    if target:
        return markdown, len(markdown), len(markdown)
    return markdown, len(markdown) - 1, len(markdown) - 1


# --- applying to a cursor -------------------------------------------------------------------
def _selected_text(cursor: QTextCursor) -> str:
    return cursor.selectedText().replace(_PARAGRAPH_SEPARATOR, "\n")


def _select(cursor: QTextCursor, start: int, end: int) -> None:
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def toggle_inline(cursor: QTextCursor, marker: str, placeholder: str) -> None:
    """Wrap the selection (or the word at the caret) in marker, or remove the marker if it is there."""
    if is_text_locked(cursor.document()):  # review mode: the formatting actions are off, this is the backstop
        return
    if not cursor.hasSelection():
        probe = QTextCursor(cursor)
        probe.select(QTextCursor.SelectionType.WordUnderCursor)
        if probe.hasSelection() and _selected_text(probe).strip(" \t*_`~"):
            cursor.setPosition(probe.selectionStart())
            cursor.setPosition(probe.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
    start = cursor.selectionStart()
    text = _selected_text(cursor)
    cursor.beginEditBlock()
    try:
        if not text:
            cursor.insertText(marker + placeholder + marker)
            inner = start + _utf16_len(marker)
            _select(cursor, inner, inner + _utf16_len(placeholder))
            return
        if is_wrapped(text.strip(), marker):
            new = unwrap(text, marker)
            cursor.insertText(new)
            _select(cursor, start, start + _utf16_len(new))
            return
        if _wrapped_outside(cursor, marker):
            end = cursor.selectionEnd()
            size = _utf16_len(marker)
            edge = QTextCursor(cursor)
            _select(edge, end, end + size)
            edge.removeSelectedText()
            _select(edge, start - size, start)
            edge.removeSelectedText()
            _select(cursor, start - size, end - size)
            return
        new = wrap(text, marker)
        cursor.insertText(new)
        if "\n" in text:
            _select(cursor, start, start + _utf16_len(new))
        else:
            lead = _utf16_len(text[: len(text) - len(text.lstrip())]) + _utf16_len(marker)
            _select(cursor, start + lead, start + lead + _utf16_len(text.strip()))
    finally:
        cursor.endEditBlock()


def _wrapped_outside(cursor: QTextCursor, marker: str) -> bool:
    block = cursor.document().findBlock(cursor.selectionStart())
    if block != cursor.document().findBlock(cursor.selectionEnd()):
        return False
    line = block.text()
    # Positions in the block are UTF-16 units; slicing the UTF-16 bytes keeps them aligned.
    raw = line.encode("utf-16-le")
    start = (cursor.selectionStart() - block.position()) * 2
    end = (cursor.selectionEnd() - block.position()) * 2
    before = raw[:start].decode("utf-16-le", "replace")
    after = raw[end:].decode("utf-16-le", "replace")
    if not (before.endswith(marker) and after.startswith(marker)):
        return False
    char = marker[0]
    return _counts_as_marker(_run_length(before, char, from_end=True), marker) and _counts_as_marker(
        _run_length(after, char), marker)


def _replace_lines(cursor: QTextCursor, change) -> None:
    """Replace the whole lines touched by the selection with change(lines), as one undo step."""
    document = cursor.document()
    if is_text_locked(document):
        return
    had_selection = cursor.hasSelection()
    first = document.findBlock(cursor.selectionStart())
    last = document.findBlock(cursor.selectionEnd())
    if had_selection and last != first and cursor.selectionEnd() == last.position():
        last = last.previous()  # a selection ending at a line start does not include that line
    start = first.position()
    end = last.position() + last.length() - 1
    caret_from_end = end - cursor.position()
    lines = []
    block = first
    while block.isValid():
        lines.append(block.text())
        if block == last:
            break
        block = block.next()
    new_lines = change(lines)
    if new_lines == lines:
        return
    new = "\n".join(new_lines)
    cursor.beginEditBlock()
    _select(cursor, start, end)
    cursor.insertText(new)
    new_end = start + _utf16_len(new)
    if had_selection:
        _select(cursor, start, new_end)
    else:
        cursor.setPosition(max(start, new_end - caret_from_end))
    cursor.endEditBlock()


def apply_heading(cursor: QTextCursor, level: int) -> None:
    """Toggle a heading of this level on every line touched by the cursor."""
    _replace_lines(cursor, lambda lines: [toggle_heading(line, level) for line in lines])


def apply_prefix(cursor: QTextCursor, kind: str) -> None:
    """Toggle a block quote, bulleted or numbered list on the lines touched by the cursor."""
    _replace_lines(cursor, lambda lines: toggle_prefix(lines, kind))


def apply_link(cursor: QTextCursor, clipboard: str = "") -> None:
    """Turn the selection into a Markdown link and select the part left to fill in."""
    if is_text_locked(cursor.document()):
        return
    start = cursor.selectionStart()
    markdown, sel_start, sel_end = link_markdown(_selected_text(cursor), clipboard)
    cursor.beginEditBlock()
    cursor.insertText(markdown)
    _select(cursor, start + _utf16_len(markdown[:sel_start]), start + _utf16_len(markdown[:sel_end]))
    cursor.endEditBlock()
