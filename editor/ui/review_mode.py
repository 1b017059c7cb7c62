"""Review mode: the text is read-only while comments can still be added, answered and resolved."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QWidget

if TYPE_CHECKING:
    from editor.ui.document import ArticleDocument
    from editor.ui.main_window import MainWindow

REASON = "review"
# A dynamic property on the open article's QTextDocument and QUndoStack: every path that could change the text
# (undo, paste, image insertion, restore…) asks it, wherever it runs.
LOCK_PROPERTY = "reviewLocked"
MESSAGE_MS = 6000


def tr(text: str) -> str:
    """Translate a user-visible string of this module."""
    return QCoreApplication.translate("ReviewMode", text)


def text_locked_sentence() -> str:
    """What the status bar says when something tries to change the text in review mode."""
    return tr("The text cannot be changed in review mode; comments can still be added.")


def undo_refused_sentence(undo: bool) -> str:
    """What the status bar says when Undo or Redo would change the text in review mode."""
    if undo:
        return tr("Review mode: that step changed the text, so it cannot be undone until review mode is off.")
    return tr("Review mode: that step changes the text, so it cannot be redone until review mode is off.")


def set_text_locked(document: ArticleDocument, on: bool) -> None:
    """Forbid (or allow again) every change of the article's text, undo and redo included."""
    for holder in (document.text_document, document.undo_stack):
        holder.setProperty(LOCK_PROPERTY, on)


def is_text_locked(holder: QObject | None) -> bool:
    """Whether review mode forbids changing the text of this QTextDocument or undo stack."""
    return holder is not None and bool(holder.property(LOCK_PROPERTY))


def changes_text(command: QUndoCommand) -> bool:
    """Whether undoing or redoing a step changes the article's text.

    Comments, status, metadata and image details are safe; an unknown step counts as a text change.
    """
    from editor.ui.comment_store import _ReviewStep, _StatusStep
    from editor.ui.document import _AssetEdit, _AssetListEdit, _MetadataEdit

    if isinstance(command, _ReviewStep | _StatusStep | _MetadataEdit | _AssetEdit | _AssetListEdit):
        return False
    if type(command) is not QUndoCommand:  # a step of another kind, e.g. typing
        return True
    # A macro does nothing itself: it is as safe as its parts.
    return any(changes_text(command.child(i)) for i in range(command.childCount()))


def step_refused(stack: QUndoStack | None, undo: bool) -> bool:
    """Whether review mode forbids the Undo (or Redo) that the stack would do next."""
    if stack is None or not is_text_locked(stack):
        return False
    index = stack.index() - 1 if undo else stack.index()
    command = stack.command(index) if 0 <= index < stack.count() else None
    return command is not None and changes_text(command)


def refuse(widget: QWidget | None, sentence: str | None = None) -> None:
    """Say in the window's status bar why nothing happened (the text is locked, unless told otherwise)."""
    while widget is not None and not isinstance(widget, QMainWindow):
        widget = widget.parentWidget()
    if widget is not None:
        widget.statusBar().showMessage(sentence or text_locked_sentence(), MESSAGE_MS)


def run_step(stack: QUndoStack | None, undo: bool, widget: QWidget | None) -> bool:
    """Undo or redo one step unless review mode forbids it (then say so); True when a step ran."""
    if stack is None or not (stack.canUndo() if undo else stack.canRedo()):
        return False
    if step_refused(stack, undo):
        refuse(widget, undo_refused_sentence(undo))
        return False
    if undo:
        stack.undo()
    else:
        stack.redo()
    return True


class ReviewMode(QObject):
    """The checkable Review ▸ Review Mode action, its status bar label and the read-only text."""

    def __init__(self, window: MainWindow, comments_dock: QDockWidget) -> None:
        super().__init__(window)
        self._window = window
        self._dock = comments_dock
        self.action = QAction(tr("Review &Mode"), window)
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence("Ctrl+Alt+R"))
        self.action.setStatusTip(tr("Read the text without changing it; comments can still be added."))
        self.action.toggled.connect(self._apply)
        window.addAction(self.action)
        self.label = QLabel(tr("Review mode: the text is read-only"))
        self.label.setObjectName("review_mode_label")
        self.label.setAccessibleName(tr("Review mode"))
        self.label.setStyleSheet("QLabel { background: #f5d76e; color: #3d3000; padding: 0 6px; border-radius: 3px; }")
        window.statusBar().insertPermanentWidget(0, self.label)
        self.label.hide()
        self._guard_undo_actions()

    def _guard_undo_actions(self) -> None:
        window = self._window
        group = window.undo_group
        self._steps = ((window.commands.undo, True), (window.commands.redo, False))
        for action, undo in self._steps:
            # The group's own connection would run the step without asking; every trigger goes through run_step.
            action.triggered.disconnect()
            action.triggered.connect(lambda _checked=False, u=undo: self._trigger(u))
        # Connected after the actions' own enabled-state connections, so these run last and have the final word.
        for signal in (group.indexChanged, group.canUndoChanged, group.canRedoChanged, group.activeStackChanged):
            signal.connect(self._sync_steps)
        self._sync_steps()

    def _trigger(self, undo: bool) -> None:
        if not run_step(self._window.undo_group.activeStack(), undo, self._window):
            self._sync_steps()  # whatever enabled the action wrongly, it shows the truth again

    def _sync_steps(self, *_args: object) -> None:
        group = self._window.undo_group
        stack = group.activeStack()
        for action, undo in self._steps:
            possible = group.canUndo() if undo else group.canRedo()
            action.setEnabled(possible and not step_refused(stack, undo))

    @property
    def is_on(self) -> bool:
        """Whether the text is locked for review."""
        return self.action.isChecked()

    def set_on(self, on: bool) -> None:
        """Enter or leave review mode."""
        self.action.setChecked(on)

    def follow(self, document: ArticleDocument) -> None:
        """Keep review mode for an opened article; a new, unsaved article starts in normal editing."""
        if document.path is None and self.is_on:
            self.set_on(False)
            return
        set_text_locked(document, self.is_on)
        self._sync_steps()

    def _apply(self, on: bool) -> None:
        pane = self._window.text_pane
        set_text_locked(self._window.document, on)
        pane.set_read_only_reason(REASON, on)
        # Formatting and Replace work through the text cursor, which read-only alone does not stop.
        for action in [*pane.format_actions, pane.replace_action]:
            action.setEnabled(not on)
        self.label.setVisible(on)
        self._sync_steps()
        if on:
            self._dock.show()
            self._window.statusBar().showMessage(tr("Review mode: comments only; the text cannot be changed."),
                                                 MESSAGE_MS)
