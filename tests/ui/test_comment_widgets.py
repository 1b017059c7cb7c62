"""The comment card and the comment box."""

from __future__ import annotations

from PySide6.QtCore import Qt

from editor.core.model import Comment, Reply
from editor.ui.comment_widgets import CommentCard, CommentDialog, byline, short_quote


def test_long_quotes_are_shortened_on_one_line() -> None:
    assert short_quote("a\n b  c") == "a b c"
    assert short_quote("word " * 50, 20).endswith("…") and len(short_quote("word " * 50, 20)) <= 20


def test_byline_names_anonymous_when_no_author() -> None:
    assert byline("", "").startswith("Anonymous")
    assert byline("Ann", "2024-05-01T14:02:00") == "Ann · 2024-05-01 14:02"


def test_card_shows_thread_and_reports_its_buttons(qtbot) -> None:
    comment = Comment(id="c", author="Ed", created="2024-05-01T14:02:00", text="Why?", quote="growth",
                      resolved=True, replies=[Reply("Ann", "2024-05-02T08:00:00", "Because.")])
    card = CommentCard(comment)
    qtbot.addWidget(card)
    assert [label.text() for label in card.reply_labels] == ["Ann · 2024-05-02 08:00\nBecause."]
    assert card.resolve_button.text() == "Reopen" and card.detached_label.isHidden()
    with qtbot.waitSignal(card.resolve_requested) as resolved:
        card.resolve_button.click()
    assert resolved.args == ["c", False]
    with qtbot.waitSignal(card.clicked) as clicked:
        qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    assert clicked.args == ["c"]


def test_comment_box_needs_words_and_takes_ctrl_return(qtbot) -> None:
    dialog = CommentDialog(None, "Add Comment", "On “growth”:")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.text, "  ")
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.text, "Name it. ")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.words() == "Name it."
