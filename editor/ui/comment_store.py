"""The open article's comments and status history, kept on their text by Qt cursors and changed in undoable steps."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QTextCursor, QUndoCommand

from editor.core.comments import reanchor
from editor.core.model import Comment, Reply, Status, StatusChange
from editor.core.status_history import now_iso
from editor.ui.find_replace import TextMap

if TYPE_CHECKING:
    from editor.ui.document import ArticleDocument

# Where each comment sits (Qt positions) and whether its text is gone, by comment id.
Anchors = dict[str, tuple[int, int, bool]]


def tr(text: str) -> str:
    """Translate a user-visible string of this module."""
    return QCoreApplication.translate("CommentStore", text)


@dataclass
class _Entry:
    """One comment and the two cursors that Qt moves with every edit of the text."""

    comment: Comment  # its start and end are not kept current; the cursors are
    start: QTextCursor
    end: QTextCursor


# What a comment step puts back: each comment (copied) with its place.
_State = list[tuple[Comment, int, int]]


class _ReviewStep(QUndoCommand):
    """A change to the comments (add, reply, resolve, reopen, delete): the whole set before and after."""

    def __init__(self, store: CommentStore, text: str, before: _State, after: _State) -> None:
        super().__init__(text)
        self._store, self._before, self._after = store, before, after

    def redo(self) -> None:
        self._store._set_state(self._after)

    def undo(self) -> None:
        self._store._set_state(self._before)


class _StatusStep(QUndoCommand):
    """A change of status, with its line in the history; undoing it takes the line away again."""

    def __init__(self, store: CommentStore, old: Status, new: Status, change: StatusChange) -> None:
        super().__init__(tr("Change status"))
        self._store, self._old, self._new, self._change = store, old, new, change

    def redo(self) -> None:
        self._store._owner.status_history.append(self._change)
        self._store._owner._apply_metadata("status", self._new)
        self._store.history_changed.emit()

    def undo(self) -> None:
        history = self._store._owner.status_history
        for index in range(len(history) - 1, -1, -1):
            if history[index] is self._change:
                del history[index]
                break
        self._store._owner._apply_metadata("status", self._old)
        self._store.history_changed.emit()


class CommentStore(QObject):
    """Comments of one open article; positions are Qt's (UTF-16) while open, Python indices in comments()."""

    changed = Signal()  # a comment was added, removed, edited, or lost its text
    history_changed = Signal()

    def __init__(self, owner: ArticleDocument, comments: list[Comment]) -> None:
        super().__init__(owner)
        self._owner = owner
        self._text = owner.text_document
        # Who is working on the article, asked at each step so a changed preference counts at once.
        self.author_source: Callable[[], str] = lambda: ""
        body = self._text.toPlainText()
        places = TextMap(body)
        self._entries: list[_Entry] = []
        for stored in comments:
            found = reanchor(body, stored)
            self._entries.append(self._entry(copy.deepcopy(found), places.to_qt(found.start), places.to_qt(found.end)))
        self.checkpoint: Anchors = self.anchors()
        self._text.contentsChange.connect(self._on_text_changed)

    # --- reading -------------------------------------------------------------------------
    def comments(self) -> list[Comment]:
        """Copies of the comments with their places as Python indices into the body."""
        if not self._entries:
            return []
        places = TextMap(self._text.toPlainText())
        result = []
        for entry in self._entries:
            start, end = self._span(entry)
            result.append(replace(copy.deepcopy(entry.comment), start=places.to_py(start), end=places.to_py(end)))
        return result

    def ids(self) -> list[str]:
        """Comment ids in stored order."""
        return [e.comment.id for e in self._entries]

    def comment(self, comment_id: str) -> Comment | None:
        """A copy of one comment (its start and end are Qt positions), or None."""
        entry = self._find(comment_id)
        if entry is None:
            return None
        start, end = self._span(entry)
        return replace(copy.deepcopy(entry.comment), start=start, end=end)

    def span(self, comment_id: str) -> tuple[int, int]:
        """Qt positions of a comment's text (equal once the text is gone); (0, 0) for an unknown id."""
        entry = self._find(comment_id)
        return self._span(entry) if entry is not None else (0, 0)

    def open_spans(self) -> list[tuple[int, int]]:
        """Qt positions of the text of every open comment whose text is still there (for marking it)."""
        spans = []
        for entry in self._entries:
            if not entry.comment.resolved and not entry.comment.detached:
                start, end = self._span(entry)
                if start < end:
                    spans.append((start, end))
        return spans

    def anchors(self) -> Anchors:
        """Where every comment sits now."""
        return {e.comment.id: (*self._span(e), e.comment.detached) for e in self._entries}

    # --- changing (each call is one undoable step) -----------------------------------------
    def add(self, start: int, end: int, text: str) -> str:
        """Comment on the text between two Qt positions; returns the new comment's id."""
        quote = self._quote(start, end)
        comment = Comment(id=uuid.uuid4().hex[:12], author=self.author_source(), created=now_iso(), text=text,
                          quote=quote)
        after = [*self._state(), (comment, start, end)]
        self._push(tr("Add comment"), after)
        return comment.id

    def reply(self, comment_id: str, text: str) -> None:
        """Answer a comment."""
        self._edit(comment_id, tr("Reply to comment"),
                   lambda c: c.replies.append(Reply(author=self.author_source(), created=now_iso(), text=text)))

    def set_resolved(self, comment_id: str, resolved: bool) -> None:
        """Resolve a comment, or reopen it."""
        entry = self._find(comment_id)
        if entry is None or entry.comment.resolved == resolved:
            return
        self._edit(comment_id, tr("Resolve comment") if resolved else tr("Reopen comment"),
                   lambda c: setattr(c, "resolved", resolved))

    def delete(self, comment_id: str) -> None:
        """Remove a comment and its replies."""
        if self._find(comment_id) is None:
            return
        self._push(tr("Delete comment"), [item for item in self._state() if item[0].id != comment_id])

    def status_step(self, old: Status, new: Status) -> QUndoCommand:
        """The undoable step that changes the status and records who did it, and when."""
        change = StatusChange(status=new, author=self.author_source(), when=now_iso(), previous=old)
        return _StatusStep(self, old, new, change)

    # --- undo support for text edits ---------------------------------------------------------
    def set_anchors(self, anchors: Anchors) -> None:
        """Put comments back where they were (undo and redo of text edits, which Qt's cursors cannot follow)."""
        was = {e.comment.id: e.comment.detached for e in self._entries}
        for entry in self._entries:
            place = anchors.get(entry.comment.id)
            if place is not None:
                entry.start.setPosition(place[0])
                entry.end.setPosition(place[1])
                entry.comment.detached = place[2]
        self.checkpoint = self.anchors()
        if was != {e.comment.id: e.comment.detached for e in self._entries}:
            self.changed.emit()

    # --- inside ------------------------------------------------------------------------------
    def _entry(self, comment: Comment, start: int, end: int) -> _Entry:
        first = QTextCursor(self._text)
        first.setPosition(max(0, min(start, self._last_position())))
        last = QTextCursor(self._text)
        last.setPosition(max(first.position(), min(end, self._last_position())))
        last.setKeepPositionOnInsert(True)  # text typed right after the comment stays outside it
        return _Entry(comment, first, last)

    def _last_position(self) -> int:
        return self._text.characterCount() - 1

    def _span(self, entry: _Entry) -> tuple[int, int]:
        start, end = entry.start.position(), entry.end.position()
        if entry.comment.detached or start >= end:
            place = min(start, end)
            return place, place
        return start, end

    def _quote(self, start: int, end: int) -> str:
        cursor = QTextCursor(self._text)
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        # QTextCursor separates lines with U+2029; the body uses "\n".
        return cursor.selectedText().replace("\u2029", "\n")

    def _find(self, comment_id: str) -> _Entry | None:
        return next((e for e in self._entries if e.comment.id == comment_id), None)

    def _state(self) -> _State:
        return [(copy.deepcopy(e.comment), *self._span(e)) for e in self._entries]

    def _set_state(self, state: _State) -> None:
        self._owner._break_text_merge()
        self._entries = [self._entry(copy.deepcopy(c), start, end) for c, start, end in state]
        self.checkpoint = self.anchors()
        self.changed.emit()

    def _push(self, text: str, after: _State) -> None:
        self._owner.undo_stack.push(_ReviewStep(self, text, self._state(), after))

    def _edit(self, comment_id: str, text: str, change: Callable[[Comment], object]) -> None:
        after = self._state()
        for comment, _start, _end in after:
            if comment.id == comment_id:
                change(comment)
                self._push(text, after)
                return

    def _on_text_changed(self, _position: int, _removed: int, _added: int) -> None:
        lost = False
        for entry in self._entries:
            if not entry.comment.detached and entry.comment.quote \
                    and entry.start.position() >= entry.end.position():
                entry.comment.detached = True
                lost = True
        self.checkpoint = self.anchors()
        if lost:
            self.changed.emit()
