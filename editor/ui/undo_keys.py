"""Keeps Ctrl+Z / Ctrl+Shift+Z in form fields for the window's single undo history."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTextEdit,
    QWidget,
)

from editor.ui.review_mode import run_step, step_refused

_UNDO_KEYS = (QKeySequence.StandardKey.Undo,)
_REDO_KEYS = (QKeySequence.StandardKey.Redo,)
_EDITORS = (QLineEdit, QPlainTextEdit, QTextEdit)


def _is_undo(event: QKeyEvent) -> bool:
    return any(event.matches(key) for key in _UNDO_KEYS)


def _is_redo(event: QKeyEvent) -> bool:
    combo = event.keyCombination()
    ctrl_y = combo.key().name == "Key_Y" and combo.keyboardModifiers().name == "ControlModifier"
    return ctrl_y or any(event.matches(key) for key in _REDO_KEYS)


def menu_with_shared_undo(widget: QWidget, stack: QUndoStack | None) -> QMenu:
    """The widget's standard context menu with Undo/Redo replaced by the document's own actions."""
    menu = widget.createStandardContextMenu()
    for action in list(menu.actions()):
        if action.objectName() not in ("edit-undo", "edit-redo"):
            continue
        if stack is None:
            menu.removeAction(action)
            continue
        undo = action.objectName() == "edit-undo"
        shared = (stack.createUndoAction if undo else stack.createRedoAction)(menu)
        shared.setObjectName(action.objectName() + "-shared")
        # Through run_step, so review mode can refuse a step that would change the text.
        shared.triggered.disconnect()
        shared.triggered.connect(lambda _checked=False, u=undo: run_step(stack, u, widget))
        shared.setEnabled(shared.isEnabled() and not step_refused(stack, undo))
        menu.insertAction(action, shared)
        menu.removeAction(action)
    return menu


class UndoKeyFilter(QObject):
    """An event filter that stops editable widgets from running their own undo.

    ShortcutOverride for Undo/Redo is ignored so the window's shortcuts fire; a key press that still
    arrives (no window action around) goes to the document's undo stack instead of the widget.
    """

    def __init__(self, stack: Callable[[], QUndoStack | None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stack = stack

    def watch(self, *widgets: QWidget) -> None:
        """Install the filter on these widgets."""
        for widget in widgets:
            widget.installEventFilter(self)
            if isinstance(widget, QAbstractScrollArea):
                # Scroll areas receive context-menu events on their viewport.
                widget.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if _is_undo(event) or _is_redo(event):
                event.ignore()
                return True
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            undo, redo = _is_undo(event), _is_redo(event)
            if undo or redo:
                run_step(self._stack(), undo, watched if isinstance(watched, QWidget) else None)
                event.accept()
                return True
        elif kind == QEvent.Type.ContextMenu and isinstance(event, QContextMenuEvent):
            editor = watched if isinstance(watched, _EDITORS) else watched.parent()
            if not isinstance(editor, _EDITORS):
                return False
            menu = menu_with_shared_undo(editor, self._stack())
            menu.exec(event.globalPos())
            menu.deleteLater()
            return True
        return super().eventFilter(watched, event)


class UndoFilterDelegate(QStyledItemDelegate):
    """An item delegate whose editors leave Undo/Redo to the document, like the other fields."""

    def __init__(self, undo_filter: UndoKeyFilter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._filter = undo_filter

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> QWidget:
        editor = super().createEditor(parent, option, index)
        if editor is not None:
            self._filter.watch(editor)
        return editor
