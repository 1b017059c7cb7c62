"""Review mode: the text is read-only while comments can still be added, answered and resolved."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel

if TYPE_CHECKING:
    from editor.ui.document import ArticleDocument
    from editor.ui.main_window import MainWindow

REASON = "review"


def tr(text: str) -> str:
    """Translate a user-visible string of this module."""
    return QCoreApplication.translate("ReviewMode", text)


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

    def _apply(self, on: bool) -> None:
        pane = self._window.text_pane
        pane.set_read_only_reason(REASON, on)
        # Formatting and Replace work through the text cursor, which read-only alone does not stop.
        for action in [*pane.format_actions, pane.replace_action]:
            action.setEnabled(not on)
        self.label.setVisible(on)
        if on:
            self._dock.show()
            self._window.statusBar().showMessage(tr("Review mode: comments only; the text cannot be changed."),
                                                 6000)
