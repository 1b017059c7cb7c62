"""The list editor (authors): entries with commas stay whole; empty entries are not stored."""

import pytest

from editor.ui.list_editor import ListEditor
from editor.ui.undo_keys import UndoKeyFilter


@pytest.fixture
def editor(qtbot):
    widget = ListEditor("Author", UndoKeyFilter(lambda: None))
    qtbot.addWidget(widget)
    changes: list[list[str]] = []
    widget.changed.connect(changes.append)
    widget.set_items(["Smith, Jr., John", "Doe, Jane"])
    return widget, changes


def test_set_items_shows_them_without_reporting(editor):
    widget, changes = editor
    assert [widget.list.item(i).text() for i in range(widget.list.count())] == ["Smith, Jr., John", "Doe, Jane"]
    assert changes == []


def test_a_new_entry_counts_once_it_has_text(editor):
    widget, changes = editor
    widget.add_entry()
    assert changes == []
    widget.list.item(2).setText("  Ann   Lee ")
    assert changes == [["Smith, Jr., John", "Doe, Jane", "Ann Lee"]]


def test_move_and_remove(editor):
    widget, changes = editor
    widget.list.setCurrentRow(0)
    assert not widget.up_button.isEnabled()
    widget.down_button.click()
    assert changes[-1] == ["Doe, Jane", "Smith, Jr., John"]
    assert widget.list.currentRow() == 1
    widget.remove_button.click()
    assert changes[-1] == ["Doe, Jane"]


def test_blanking_an_entry_drops_it(editor):
    widget, changes = editor
    widget.list.item(0).setText("   ")
    assert changes == [["Doe, Jane"]]
