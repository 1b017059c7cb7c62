"""The recovery dialog shows each recovered article and answers for the one selected."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from editor.core.recovery import RecoveryEntry
from editor.ui.recovery_dialog import RecoveredItem, RecoveryDialog, when


def item(key: str, title: str, source: Path | None, changes: list[str]) -> RecoveredItem:
    """A recovered article as the controller describes it."""
    entry = RecoveryEntry(key=key, source=source, title=title, changed=datetime(2026, 3, 4, 5, 6, tzinfo=UTC),
                          words=42, fingerprint=None)
    return RecoveredItem(entry, changes)


@pytest.fixture
def dialog(qtbot):
    """A dialog with a saved and a never-saved article."""
    shown = RecoveryDialog([
        item("k1", "Budget story", Path("/news/budget.textbundle"), ["The text differs: 12 words added."]),
        item("k2", "", None, []),
    ])
    qtbot.addWidget(shown)
    return shown


def test_each_article_is_listed_with_its_file_and_time(dialog):
    rows = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert rows[0].startswith("Budget story — /news/budget.textbundle — changed ")
    assert when(dialog.items[0].entry.changed) in rows[0]
    assert rows[1].startswith("Untitled — never saved — ")


def test_details_show_how_it_differs_from_the_saved_file(dialog):
    dialog.list.setCurrentRow(0)
    text = dialog.details.toPlainText()
    assert "The text differs: 12 words added." in text and "42 words" in text
    dialog.list.setCurrentRow(1)
    assert "never saved" in dialog.details.toPlainText()


@pytest.mark.parametrize(("button", "action"), [("restore_button", "restore"), ("save_as_button", "save_as"),
                                                ("discard_button", "discard")])
def test_buttons_answer_for_the_selected_article(dialog, button, action):
    dialog.list.setCurrentRow(1)
    getattr(dialog, button).click()
    assert dialog.choice == (action, "k2")
    assert dialog.result() == RecoveryDialog.DialogCode.Accepted


def test_decide_later_answers_nothing(dialog):
    dialog.reject()
    assert dialog.choice is None


def test_restore_is_the_default_button(dialog):
    assert dialog.restore_button.isDefault()
