"""Review mode: the text cannot be changed, comments still can; the status history follows status changes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from editor.core.bundle import save_bundle
from editor.core.model import Article, Metadata, Status
from editor.ui import comments_panel
from tests.ui.review_helpers import edit, review_window, select
from tests.ui.window_helpers import HEADLESS_NOISE, Answers, delete_windows, make_settings, patch_dialogs

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)
BODY = "The minister claims growth."


@pytest.fixture(autouse=True)
def _delete_windows():
    yield
    delete_windows()


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    patch_dialogs(monkeypatch, Answers())
    monkeypatch.setattr(comments_panel, "ask_comment_text", lambda _parent, _title, _quote: "Source?")
    win = review_window(qtbot, make_settings(tmp_path))
    edit(win, 0, 0, BODY)
    return win


def review(window):
    return window.features["comments_panel"].review_mode


def test_review_mode_blocks_typing_but_allows_comments(window, qtbot):
    review(window).action.trigger()
    assert review(window).is_on
    assert "review" in window.text_pane.read_only_reasons()
    assert window.findChild(type(review(window).label), "review_mode_label").isVisible()
    editor = window.text_pane.editor
    editor.setFocus()
    select(window, 4, 12)
    qtbot.keyClicks(editor, "xyz")
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    window.text_pane.bold_action.trigger()
    assert editor.toPlainText() == BODY
    assert not window.text_pane.bold_action.isEnabled()
    comment_id = window.features["comments_panel"].add_comment()
    assert window.document.review.comment(comment_id).quote == "minister"
    window.features["comments_panel"].set_resolved(comment_id, True)
    assert window.document.comments[0].resolved
    review(window).action.trigger()
    assert not review(window).is_on and not review(window).label.isVisible()
    assert window.text_pane.bold_action.isEnabled()
    qtbot.keyClicks(editor, "x")
    assert editor.toPlainText() != BODY


def test_review_mode_stays_for_an_opened_article_and_ends_for_a_new_one(window, tmp_path):
    path = tmp_path / "other.textbundle"
    save_bundle(Article(body="Other text.", metadata=Metadata(title="Other")), path)
    review(window).set_on(True)
    window.document.undo_stack.setClean()
    assert window.open_path(path)
    assert review(window).is_on and "review" in window.text_pane.read_only_reasons()
    assert window.new_document()
    assert not review(window).is_on and window.text_pane.read_only_reasons() == set()


def choose_status(window, status: Status) -> None:
    form = window.metadata_form
    form.status.setCurrentIndex(form.status.findData(status.value))


def test_status_changes_are_recorded_with_author_and_undo_takes_them_back(window):
    choose_status(window, Status.IN_REVIEW)
    choose_status(window, Status.APPROVED)
    history = window.document.status_history
    assert [(c.previous, c.status, c.author) for c in history] == [
        (Status.DRAFT, Status.IN_REVIEW, "Ed Itor"), (Status.IN_REVIEW, Status.APPROVED, "Ed Itor")]
    shown = window.features["comments_panel"].panel.history
    assert shown.count() == 2 and shown.item(0).text().endswith("in review → approved by Ed Itor")
    window.document.undo_stack.undo()
    assert [c.status for c in window.document.status_history] == [Status.IN_REVIEW]
    assert window.document.metadata.status == Status.IN_REVIEW
    assert window.metadata_form.status.currentData() == Status.IN_REVIEW.value
    assert shown.count() == 1
    window.document.undo_stack.redo()
    assert [c.status for c in window.document.article().status_history] == [Status.IN_REVIEW, Status.APPROVED]


def test_a_changed_author_name_counts_from_the_next_change(window):
    window.preferences.author_name = "Ann Writer"
    choose_status(window, Status.CHANGES_REQUESTED)
    assert window.document.status_history[-1].author == "Ann Writer"
