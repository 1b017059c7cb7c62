"""Comments as a reviewer meets them: add on a selection, cards beside the text, replies, resolve, delete, jump."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from editor.core.bundle import open_bundle, save_bundle
from editor.core.model import Article, Comment, Metadata, Status
from editor.ui import comments_panel
from tests.ui.review_helpers import edit, review_window, select
from tests.ui.window_helpers import HEADLESS_NOISE, make_settings

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)
BODY = "The minister claims growth. Critics disagree strongly. Numbers follow."


class Typed(list):
    """Words the user types into the comment box, one per question, and what was asked."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []


@pytest.fixture
def said(monkeypatch) -> Typed:
    words = Typed()

    def ask(_parent, title, quote):
        words.asked.append(f"{title}: {quote}")
        return words.pop(0) if words else None

    monkeypatch.setattr(comments_panel, "ask_comment_text", ask)
    return words


@pytest.fixture
def window(qtbot, tmp_path, answers, said):
    win = review_window(qtbot, make_settings(tmp_path))
    edit(win, 0, 0, BODY)
    return win


def feature(window):
    return window.features["comments_panel"]


def add(window, said, start: int, end: int, text: str) -> str:
    said.append(text)
    select(window, start, end)
    comment_id = feature(window).add_comment()
    assert comment_id is not None
    return comment_id


def current_text(window, comment_id: str) -> str:
    start, end = window.document.review.span(comment_id)
    return window.text_pane.editor.toPlainText()[start:end]


def test_adding_a_comment_shows_a_card_with_quote_author_and_marks_the_text(window, said):
    comment_id = add(window, said, 13, 19, "Which figures?")
    card = feature(window).panel.cards[comment_id]
    assert feature(window).dock.isVisible()
    assert card.quote_label.text() == "“claims”"
    assert card.text_label.text() == "Which figures?"
    assert card.byline_label.text().startswith("Ed Itor · ")
    assert window.document.comments[0].quote == "claims"
    assert window.isWindowModified()
    block = window.text_pane.editor.document().firstBlock()
    marked = [r for r in block.layout().formats() if r.format.background().color().name() == "#fdeeb0"]
    assert [(r.start, r.length) for r in marked] == [(13, 6)]


def test_without_a_selection_nothing_is_asked_and_the_status_bar_says_why(window, said):
    select(window, 5, 5)
    assert feature(window).add_comment() is None
    assert said.asked == []
    assert "Select the text" in window.statusBar().currentMessage()


def test_cancelling_the_question_adds_nothing(window, said):
    select(window, 0, 3)
    assert feature(window).add_comment() is None
    assert window.document.comments == []


def test_an_empty_author_name_is_anonymous(qtbot, tmp_path, answers, said):
    win = review_window(qtbot, make_settings(tmp_path), author="  ")
    edit(win, 0, 0, BODY)
    add(win, said, 0, 3, "Hm")
    assert win.document.comments[0].author == "Anonymous"


def test_the_comment_survives_edits_before_inside_and_after_it(window, said):
    comment_id = add(window, said, 13, 19, "Which figures?")
    edit(window, 0, 0, "Today: ")  # before
    assert current_text(window, comment_id) == "claims"
    start, _ = window.document.review.span(comment_id)
    edit(window, start + 2, start + 2, "AI")  # inside
    assert current_text(window, comment_id) == "clAIaims"
    edit(window, len(window.text_pane.editor.toPlainText()), len(window.text_pane.editor.toPlainText()), " End.")
    assert current_text(window, comment_id) == "clAIaims"
    saved = window.document.article().comments[0]
    assert window.document.article().body[saved.start:saved.end] == "clAIaims"


def test_deleting_the_commented_text_detaches_it_and_undo_brings_it_back(window, said):
    comment_id = add(window, said, 13, 19, "Which figures?")
    edit(window, 9, 27, "")
    comment = window.document.comments[0]
    assert comment.detached and comment.text == "Which figures?"
    card = feature(window).panel.cards[comment_id]
    assert not card.detached_label.isHidden(), card.detached_label.text()
    window.document.undo_stack.undo()
    assert window.text_pane.editor.toPlainText() == BODY
    assert not window.document.comments[0].detached
    assert current_text(window, comment_id) == "claims"
    window.document.undo_stack.redo()
    assert window.document.comments[0].detached


def test_text_with_characters_outside_the_basic_plane_keeps_python_offsets(window, said):
    edit(window, 0, 0, "🎉 ")
    add(window, said, 16, 22, "Which figures?")  # Qt counts the emoji as two
    saved = window.document.article().comments[0]
    assert window.document.article().body[saved.start:saved.end] == "claims"


def test_reply_resolve_reopen_delete_are_undoable_steps(window, said, monkeypatch):
    comment_id = add(window, said, 13, 19, "Which figures?")
    panel = feature(window).panel
    said.append("From the budget.")
    panel.cards[comment_id].reply_button.click()
    assert [r.text for r in window.document.comments[0].replies] == ["From the budget."]
    assert [r.author for r in window.document.comments[0].replies] == ["Ed Itor"]
    panel.cards[comment_id].resolve_button.click()
    assert window.document.comments[0].resolved
    assert comment_id not in panel.cards  # resolved ones are hidden…
    panel.show_resolved.setChecked(True)
    assert panel.cards[comment_id].resolve_button.text() == "Reopen"  # …until asked for
    panel.cards[comment_id].resolve_button.click()
    assert not window.document.comments[0].resolved
    asked = []
    monkeypatch.setattr(comments_panel, "confirm_delete", lambda _p, replies: asked.append(replies) or False)
    panel.cards[comment_id].delete_button.click()
    assert len(window.document.comments) == 1 and asked == [1]
    monkeypatch.setattr(comments_panel, "confirm_delete", lambda _p, _replies: True)
    panel.cards[comment_id].delete_button.click()
    assert window.document.comments == [] and panel.cards == {}
    stack = window.document.undo_stack
    for expected in ("Delete comment", "Reopen comment", "Resolve comment", "Reply to comment", "Add comment"):
        assert stack.undoText() == expected
        stack.undo()
    assert window.document.comments == []
    stack.redo()
    assert window.document.comments[0].text == "Which figures?"


def test_typing_after_adding_a_comment_is_its_own_undo_step(window, said):
    add(window, said, 13, 19, "Which figures?")
    edit(window, len(BODY), len(BODY), "!")
    window.document.undo_stack.undo()
    assert window.text_pane.editor.toPlainText() == BODY
    assert len(window.document.comments) == 1


def test_clicking_a_card_selects_its_text(window, said, qtbot):
    comment_id = add(window, said, 28, 35, "Who?")
    select(window, 0, 0)
    qtbot.mouseClick(feature(window).panel.cards[comment_id], Qt.MouseButton.LeftButton)
    assert window.text_pane.editor.textCursor().selectedText() == "Critics"


def test_next_and_previous_comment_go_round_in_text_order(window, said):
    late = add(window, said, 56, 63, "Which?")
    early = add(window, said, 4, 12, "Name?")
    select(window, 0, 0)
    assert feature(window).jump(1) == early
    assert window.text_pane.editor.textCursor().selectedText() == "minister"
    assert feature(window).jump(1) == late
    assert feature(window).jump(1) == early  # wraps
    assert feature(window).jump(-1) == late
    assert feature(window).panel.cards[late].property("current")


def test_review_menu_and_context_menu_offer_add_comment(window):
    texts = [a.text() for a in window.commands.review_menu.actions()]
    assert "Add &Comment…" in texts and "&Next Comment" in texts and "Review &Mode" in texts
    menu = window.text_pane.editor.context_menu(QPoint(1, 1))
    assert feature(window).add_action in menu.actions()
    menu.deleteLater()


@pytest.mark.parametrize("suffix", [".textbundle", ".textpack"])
def test_review_data_round_trips_through_save_and_open(window, said, answers, tmp_path, suffix):
    comment_id = add(window, said, 13, 19, "Which figures?")
    said.append("Budget.")
    feature(window).reply(comment_id)
    window.metadata_form.status.setCurrentIndex(window.metadata_form.status.findData(Status.IN_REVIEW.value))
    path = tmp_path / f"story{suffix}"
    saved = window.document.article()
    assert window.save_as(path), answers.errors
    assert window.open_path(path)
    opened = window.document.article()
    assert opened.comments == saved.comments
    assert opened.status_history == saved.status_history
    assert [c.previous for c in opened.status_history] == [Status.DRAFT]
    assert current_text(window, comment_id) == "claims"
    assert comment_id in feature(window).panel.cards
    if suffix == ".textbundle":
        assert "Which figures?" not in (path / "text.md").read_text(encoding="utf-8")
        assert "Which figures?" in (path / "info.json").read_text(encoding="utf-8")
    assert feature(window).panel.history.item(0).text().endswith("draft → in review by Ed Itor")


def test_comments_find_their_text_again_after_an_edit_in_another_app(window, tmp_path):
    path = tmp_path / "moved.textbundle"
    article = Article(body="Inserted elsewhere. " + BODY, metadata=Metadata(title="T"),
                      comments=[Comment(id="c", text="Which?", start=13, end=19, quote="claims"),
                                Comment(id="d", text="Gone?", start=0, end=3, quote="vanished words")])
    save_bundle(article, path)
    assert open_bundle(path).article.comments == article.comments  # the bundle keeps them as stored
    assert window.open_path(path)
    assert current_text(window, "c") == "claims"
    assert window.document.review.comment("d").detached
