"""Keeps value widgets (combo boxes, spin boxes, date edits) from changing when the wheel only scrolls past."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QWidget


class WheelGuard(QObject):
    """Event filter: a wheel over a widget without focus scrolls the surrounding area instead."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Swallow the wheel for an unfocused widget, leaving the event unaccepted so its parent scrolls."""
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget) and not watched.hasFocus():
            # Returning True without accepting lets Qt hand the wheel to the parent (the scroll area).
            event.ignore()
            return True
        return super().eventFilter(watched, event)


def no_wheel_unless_focused(*widgets: QWidget) -> None:
    """Let these widgets take focus only by click or Tab, and react to the wheel only when focused."""
    for widget in widgets:
        # The default (wheel focus) would hand focus over to a widget merely scrolled across.
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        guard = widget.findChild(WheelGuard, options=Qt.FindChildOption.FindDirectChildrenOnly)
        if guard is None:
            guard = WheelGuard(widget)
            widget.installEventFilter(guard)


def guard_value_widgets(root: QWidget) -> None:
    """Apply no_wheel_unless_focused to every combo box and spin box (date edits included) under root."""
    no_wheel_unless_focused(*root.findChildren(QComboBox), *root.findChildren(QAbstractSpinBox))
