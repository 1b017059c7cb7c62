"""The tag editor: adding, removing, completion, and never reporting a refresh as a change."""

import pytest
from PySide6.QtCore import Qt

from editor.ui.tag_editor import TagEditor, split_tags


@pytest.fixture
def editor(qtbot):
    widget = TagEditor(["world", "Europe", "energy"])
    qtbot.addWidget(widget)
    changes: list[list[str]] = []
    widget.changed.connect(changes.append)
    widget.set_tags(["world"])
    return widget, changes


@pytest.mark.parametrize(("text", "tags"), [("a, b ,c", ["a", "b", "c"]), (" , ,", []),
                                             ("north   korea", ["north korea"])])
def test_split_tags(text, tags):
    assert split_tags(text) == tags


def test_set_tags_does_not_report_a_change(editor):
    widget, changes = editor
    widget.set_tags(["a", "b"])
    assert changes == []
    assert widget.chips.count() == 2


def test_typed_tags_are_added_on_enter_with_commas_splitting(editor, qtbot):
    widget, changes = editor
    widget.line.setText("energy, gas ,energy")
    qtbot.keyClick(widget.line, Qt.Key.Key_Return)
    assert changes == [["world", "energy", "gas"]]
    assert widget.line.text() == ""


def test_backspace_on_an_empty_line_removes_the_last_tag(editor, qtbot):
    widget, changes = editor
    qtbot.keyClick(widget.line, Qt.Key.Key_Backspace)
    assert changes == [[]]


def test_backspace_in_text_only_edits_the_text(editor, qtbot):
    widget, changes = editor
    widget.line.setText("ab")
    qtbot.keyClick(widget.line, Qt.Key.Key_Backspace)
    assert widget.line.text() == "a"
    assert changes == []


def test_completion_leaves_out_tags_already_used_whatever_their_case(editor):
    widget, _changes = editor
    widget.set_tags(["WORLD", "energy"])
    assert widget.completion_model.stringList() == ["Europe"]
    widget.completer.setCompletionPrefix("eur")
    assert widget.completer.currentCompletion() == "Europe"


def test_remove_button_removes_the_selected_chip(editor):
    widget, changes = editor
    widget.set_tags(["a", "b", "c"])
    assert not widget.remove_button.isEnabled()
    widget.chips.setCurrentRow(1)
    widget.remove_button.click()
    assert changes == [["a", "c"]]
