"""Form fields leave Undo/Redo to the document's single undo stack."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from editor.ui.undo_keys import UndoFilterDelegate, UndoKeyFilter, menu_with_shared_undo


class Step(QUndoCommand):
    def __init__(self, log: list[str]) -> None:
        super().__init__("step")
        self.log = log

    def redo(self) -> None:
        self.log.append("redo")

    def undo(self) -> None:
        self.log.append("undo")


@pytest.fixture
def setup(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    stack = QUndoStack(window)
    log: list[str] = []
    stack.push(Step(log))
    line, plain = QLineEdit(window), QPlainTextEdit(window)
    layout = QVBoxLayout(window)
    layout.addWidget(line)
    layout.addWidget(plain)
    key_filter = UndoKeyFilter(lambda: stack, window)
    key_filter.watch(line, plain)
    return window, stack, log, line, plain


def override(widget: QWidget, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> bool:
    event = QKeyEvent(QEvent.Type.ShortcutOverride, key, modifiers)
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


@pytest.mark.parametrize("which", ["line", "plain"])
def test_undo_and_redo_shortcut_overrides_are_not_taken_by_the_field(setup, which):
    _window, _stack, _log, line, plain = setup
    widget = line if which == "line" else plain
    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    assert not override(widget, Qt.Key.Key_Z, ctrl)
    assert not override(widget, Qt.Key.Key_Z, ctrl | shift)
    assert not override(widget, Qt.Key.Key_Y, ctrl)


def test_other_shortcut_overrides_still_reach_the_field(setup):
    _window, _stack, _log, line, _plain = setup
    line.setText("abc")
    # A line edit claims Ctrl+A (select all) before window shortcuts; that must stay.
    assert override(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)


def test_a_key_press_that_arrives_goes_to_the_shared_stack(setup, qtbot):
    _window, stack, log, line, _plain = setup
    qtbot.keyClicks(line, "typed")
    qtbot.keyClick(line, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert log == ["redo", "undo"]
    assert line.text() == "typed"  # the field's own undo did not run
    qtbot.keyClick(line, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert log == ["redo", "undo", "redo"]
    assert stack.index() == 1


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_the_windows_undo_action_fires_from_inside_a_field(setup, qtbot):
    window, stack, log, line, _plain = setup
    action = QAction("Undo", window)
    action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
    action.triggered.connect(stack.undo)
    window.addAction(action)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    line.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is line)
    with qtbot.waitSignal(action.triggered):
        qtbot.keyClick(line, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert log == ["redo", "undo"]


def test_context_menu_undo_and_redo_are_the_stacks_actions(setup):
    _window, stack, _log, line, _plain = setup
    menu = menu_with_shared_undo(line, stack)
    names = [a.objectName() for a in menu.actions()]
    assert "edit-undo" not in names
    assert "edit-undo-shared" in names
    assert "edit-redo-shared" in names
    shared = next(a for a in menu.actions() if a.objectName() == "edit-undo-shared")
    assert shared.isEnabled()
    shared.trigger()
    assert stack.index() == 0
    menu.deleteLater()


def test_delegate_editors_are_watched(setup, qtbot):
    window, _stack, _log, _line, _plain = setup
    items = QListWidget(window)
    items.addItem("entry")
    delegate = UndoFilterDelegate(UndoKeyFilter(lambda: None, window), items)
    editor = delegate.createEditor(items.viewport(), QStyleOptionViewItem(), items.model().index(0, 0))
    assert isinstance(editor, QLineEdit)
    assert not override(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
