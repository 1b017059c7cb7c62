"""The comment store of an open article: places kept by Qt while the text changes, every change undoable."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextCursor

from editor.core.comments import shift_anchor
from editor.core.model import Article, Comment, Status
from editor.ui.document import ArticleDocument

BODY = "one two three four"


def document(body: str = BODY, comments: list[Comment] | None = None) -> ArticleDocument:
    doc = ArticleDocument(Article(body=body, comments=comments or []))
    doc.review.author_source = lambda: "Ed"
    return doc


def replace_text(doc: ArticleDocument, position: int, removed: int, added: str) -> None:
    cursor = QTextCursor(doc.text_document)
    cursor.setPosition(position)
    cursor.setPosition(position + removed, QTextCursor.MoveMode.KeepAnchor)
    cursor.insertText(added)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_the_window_follows_edits_exactly_as_the_core_rule_says(qapp, data) -> None:
    body = data.draw(st.text("ab ", min_size=1, max_size=20))
    start = data.draw(st.integers(0, len(body) - 1))
    end = data.draw(st.integers(start + 1, len(body)))
    position = data.draw(st.integers(0, len(body)))
    removed = data.draw(st.integers(0, len(body) - position))
    added = data.draw(st.text("XY", max_size=4))
    doc = document(body, [Comment(id="c", start=start, end=end, quote=body[start:end])])
    replace_text(doc, position, removed, added)
    new_start, new_end, detached = shift_anchor(start, end, position, removed, len(added))
    comment = doc.comments[0]
    assert (comment.start, comment.end, comment.detached) == (new_start, new_end, detached)


def test_comments_are_re_found_when_opened_text_moved(qapp) -> None:
    doc = document("zero " + BODY, [Comment(id="c", start=4, end=7, quote="two")])
    assert doc.review.span("c") == (9, 12)


def test_adding_records_quote_author_and_time_and_undo_removes_it(qapp) -> None:
    doc = document()
    comment_id = doc.review.add(8, 13, "Why three?")
    comment = doc.comments[0]
    assert (comment.id, comment.quote, comment.author, comment.text) == (comment_id, "three", "Ed", "Why three?")
    assert comment.created
    assert doc.is_modified
    doc.undo_stack.undo()
    assert doc.comments == [] and not doc.is_modified


def test_a_quote_across_lines_uses_newlines(qapp) -> None:
    doc = document("one\ntwo")
    doc.review.add(2, 5, "x")
    assert doc.comments[0].quote == "e\nt"


def test_undoing_an_edit_block_puts_every_comment_back(qapp) -> None:
    doc = document(comments=[Comment(id="a", start=4, end=7, quote="two"),
                             Comment(id="b", start=8, end=13, quote="three")])
    cursor = QTextCursor(doc.text_document)
    cursor.beginEditBlock()
    cursor.setPosition(0)
    cursor.insertText(">> ")
    cursor.setPosition(7)
    cursor.setPosition(16, QTextCursor.MoveMode.KeepAnchor)
    cursor.removeSelectedText()  # "two three" gone in the same step
    cursor.endEditBlock()
    assert [c.detached for c in doc.comments] == [True, True]
    doc.undo_stack.undo()
    assert [(c.start, c.end, c.detached) for c in doc.comments] == [(4, 7, False), (8, 13, False)]


def test_replace_all_in_one_step_keeps_comments_between_the_changes(qapp) -> None:
    doc = document("a x b x c", [Comment(id="b", start=4, end=5, quote="b")])
    cursor = QTextCursor(doc.text_document)
    cursor.beginEditBlock()
    for where in (6, 2):
        cursor.setPosition(where)
        cursor.setPosition(where + 1, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText("yy")
    cursor.endEditBlock()
    comment = doc.comments[0]
    assert doc.text_document.toPlainText()[comment.start:comment.end] == "b" and not comment.detached


def test_status_change_is_one_step_with_its_history_line(qapp) -> None:
    doc = document()
    doc.set_metadata("status", Status.APPROVED)
    assert [(c.previous, c.status, c.author) for c in doc.status_history] == [(Status.DRAFT, Status.APPROVED, "Ed")]
    assert doc.article().status_history == doc.status_history
    doc.undo_stack.undo()
    assert doc.status_history == [] and doc.metadata.status == Status.DRAFT


def test_unknown_ids_are_ignored(qapp) -> None:
    doc = document()
    doc.review.reply("nope", "x")
    doc.review.set_resolved("nope", True)
    doc.review.delete("nope")
    assert doc.undo_stack.count() == 0 and doc.review.span("nope") == (0, 0)
