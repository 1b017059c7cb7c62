"""Review mode: the text cannot be changed, comments still can; the status history follows status changes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from editor.core.bundle import save_bundle
from editor.core.model import Article, Metadata, Status
from editor.ui import comments_panel, review_mode, undo_keys
from tests.ui.review_helpers import edit, review_window, select
from tests.ui.window_helpers import HEADLESS_NOISE, Answers, make_settings, patch_dialogs

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)
BODY = "The minister claims growth."


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    patch_dialogs(monkeypatch, Answers())
    monkeypatch.setattr(comments_panel, "ask_comment_text", lambda _parent, _title, _quote: "Source?")
    monkeypatch.setattr(comments_panel, "confirm_delete", lambda _parent, _replies: True)
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


# --- undo and redo in review mode ------------------------------------------------------------
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def press(widget, key: Qt.Key, modifiers=Qt.KeyboardModifier.ControlModifier) -> None:
    """A key press as the user makes it, shortcuts included."""
    widget.setFocus()
    QTest.keyClick(widget, key, modifiers)


def shown_message(window) -> str:
    return window.statusBar().currentMessage()


def test_undo_cannot_take_back_typing_from_before_review_mode(window):
    review(window).set_on(True)
    undo = window.commands.undo
    assert not undo.isEnabled()
    undo.trigger()
    undo.setEnabled(True)  # whatever enables the action, its trigger asks review mode first
    undo.trigger()
    assert window.text_pane.editor.toPlainText() == BODY
    press(window.text_pane.editor, Qt.Key.Key_Z)
    assert window.text_pane.editor.toPlainText() == BODY
    assert shown_message(window) == review_mode.undo_refused_sentence(undo=True)
    assert not undo.isEnabled()
    review(window).set_on(False)
    assert undo.isEnabled()
    press(window.text_pane.editor, Qt.Key.Key_Z)
    assert window.text_pane.editor.toPlainText() == ""


def test_redo_cannot_bring_back_typing_in_review_mode(window):
    window.commands.undo.trigger()
    assert window.text_pane.editor.toPlainText() == ""
    review(window).set_on(True)
    redo = window.commands.redo
    assert not redo.isEnabled()
    redo.trigger()
    for key, modifiers in ((Qt.Key.Key_Z, CTRL_SHIFT), (Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)):
        press(window.text_pane.editor, key, modifiers)
        assert window.text_pane.editor.toPlainText() == ""
    assert shown_message(window) == review_mode.undo_refused_sentence(undo=False)
    review(window).set_on(False)
    assert redo.isEnabled()


def test_a_comment_added_in_review_mode_can_be_undone_and_redone_there(window):
    review(window).set_on(True)
    select(window, 4, 12)
    panel = window.features["comments_panel"]
    comment_id = panel.add_comment()
    undo, redo = window.commands.undo, window.commands.redo
    assert undo.isEnabled() and not redo.isEnabled()
    press(window.text_pane.editor, Qt.Key.Key_Z)
    assert window.document.review.ids() == []
    # Next in line is the typing from before review mode: refused, while the comment can come back.
    assert not undo.isEnabled() and redo.isEnabled()
    press(window.text_pane.editor, Qt.Key.Key_Z, CTRL_SHIFT)
    assert window.document.review.ids() == [comment_id]
    panel.set_resolved(comment_id, True)
    undo.trigger()
    assert not window.document.comments[0].resolved
    panel.reply(comment_id)
    assert [r.text for r in window.document.comments[0].replies] == ["Source?"]
    panel.delete(comment_id)
    assert window.document.comments == []
    undo.trigger()
    assert window.document.review.ids() == [comment_id]
    assert window.text_pane.editor.toPlainText() == BODY


def test_a_status_change_in_review_mode_can_be_undone_from_a_form_field(window):
    review(window).set_on(True)
    choose_status(window, Status.IN_REVIEW)
    press(window.metadata_form.title, Qt.Key.Key_Z)
    assert window.document.metadata.status == Status.DRAFT
    # The form field's own key path reaches the same rule: the typing before stays.
    press(window.metadata_form.title, Qt.Key.Key_Z)
    assert window.text_pane.editor.toPlainText() == BODY
    assert shown_message(window) == review_mode.undo_refused_sentence(undo=True)


def test_the_lock_follows_an_opened_article_and_ends_with_review_mode(window, tmp_path):
    path = tmp_path / "other.textbundle"
    save_bundle(Article(body="Other text.", metadata=Metadata(title="Other")), path)
    review(window).set_on(True)
    window.document.undo_stack.setClean()
    assert window.open_path(path)
    assert review_mode.is_text_locked(window.document.text_document)
    assert review_mode.is_text_locked(window.document.undo_stack)
    review(window).set_on(False)
    assert not review_mode.is_text_locked(window.document.text_document)


def test_a_reviewer_can_select_by_keyboard_and_comment(window):
    review(window).set_on(True)
    editor = window.text_pane.editor
    press(editor, Qt.Key.Key_Home)
    press(editor, Qt.Key.Key_Right, CTRL_SHIFT)
    assert editor.textCursor().selectedText().strip() == "The"
    comment_id = window.features["comments_panel"].add_comment()
    assert window.document.review.comment(comment_id).quote.strip() == "The"
    assert editor.toPlainText() == BODY


def test_the_undo_entry_of_a_field_context_menu_follows_the_same_rule(window):
    review(window).set_on(True)
    menu = undo_keys.menu_with_shared_undo(window.metadata_form.title, window.document.undo_stack)
    shared = next(a for a in menu.actions() if a.objectName() == "edit-undo-shared")
    assert not shared.isEnabled()
    shared.setEnabled(True)  # even when something enables it, the step is refused
    shared.trigger()
    assert window.text_pane.editor.toPlainText() == BODY
    assert shown_message(window) == review_mode.undo_refused_sentence(undo=True)
    menu.deleteLater()
