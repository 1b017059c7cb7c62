"""Where comments sit in the text: following edits around them, and finding their text again after outside edits."""

from __future__ import annotations

from dataclasses import replace

from editor.core.model import Comment


def _shift_point(point: int, position: int, removed: int, added: int, keep_on_insert: bool) -> int:
    """One edge of a comment after `removed` characters at `position` were replaced by `added` ones."""
    if point >= position + removed:
        point -= removed
    elif point > position:
        point = position  # inside the removed stretch: it closes up to where the removal happened
    # Text typed exactly at the start stays outside the comment, and so does text typed exactly at its end.
    if point > position or (point == position and not keep_on_insert):
        point += added
    return point


def shift_anchor(start: int, end: int, position: int, removed: int, added: int) -> tuple[int, int, bool]:
    """The comment's new (start, end) after an edit, and whether the whole of its text is now gone.

    The edit replaced `removed` characters at `position` by `added` ones. Once gone, the comment keeps one
    place (start == end) where its text was, so it can still be shown and found.
    """
    new_start = _shift_point(start, position, removed, added, keep_on_insert=False)
    new_end = _shift_point(end, position, removed, added, keep_on_insert=True)
    if new_start >= new_end:
        place = min(new_start, new_end)
        return place, place, start < end
    return new_start, new_end, False


def reanchor(body: str, comment: Comment) -> Comment:
    """The comment placed on its quoted text in `body`: as stored when it still fits, else at the nearest copy.

    When the quoted text is nowhere in the body the comment is kept, marked detached, at its old place.
    """
    length = len(body)
    start = max(0, min(comment.start, length))
    end = max(start, min(comment.end, length))
    if comment.detached or not comment.quote:
        return replace(comment, start=start, end=start if comment.detached else end)
    if body[start:end] == comment.quote:
        return replace(comment, start=start, end=end)
    best = -1
    found = body.find(comment.quote)
    while found >= 0:
        if best < 0 or abs(found - comment.start) < abs(best - comment.start):
            best = found
        found = body.find(comment.quote, found + 1)
    if best < 0:
        return replace(comment, start=start, end=start, detached=True)
    return replace(comment, start=best, end=best + len(comment.quote), detached=False)


def in_text_order(comments: list[Comment]) -> list[Comment]:
    """The comments sorted by where they sit in the text (then by when they were made)."""
    return sorted(comments, key=lambda c: (c.start, c.end, c.created))
