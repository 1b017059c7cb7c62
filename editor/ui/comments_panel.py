"""Comments beside the text: the panel of cards, the Review menu's comment actions, and the marks in the text."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette, QTextBlock, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMenu,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from editor.core.comments import in_text_order
from editor.core.model import Comment
from editor.core.status_history import describe_change
from editor.ui.comment_widgets import CommentCard, CommentDialog, short_quote
from editor.ui.find_replace import TextMap
from editor.ui.review_mode import ReviewMode

if TYPE_CHECKING:
    from editor.ui.document import ArticleDocument
    from editor.ui.main_window import MainWindow

MESSAGE_MS = 6000
MIN_WIDTH = 270
ANONYMOUS = "Anonymous"


def tr(text: str) -> str:
    """Translate a user-visible string of this module."""
    return QCoreApplication.translate("CommentsPanel", text)


# --- questions to the user (module functions so tests can answer them) -----------------------------
def ask_comment_text(parent: QWidget | None, title: str, quote: str) -> str | None:
    """Ask for the words of a comment or reply; None when cancelled or left empty."""
    label = tr("On “{quote}”:").format(quote=short_quote(quote, 80)) if quote else tr("Comment:")
    dialog = CommentDialog(parent, title, label)
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.words() if accepted and dialog.words() else None
    finally:
        dialog.deleteLater()


def confirm_delete(parent: QWidget | None, replies: int) -> bool:
    """Ask before a comment (and its replies) goes."""
    question = tr("Delete this comment and its {count} replies?").format(count=replies) if replies \
        else tr("Delete this comment?")
    answer = QMessageBox.question(parent, tr("Delete Comment"), question,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class CommentsPanel(QWidget):
    """The list of comment cards, a "show resolved" switch, and the status history below."""

    card_clicked = Signal(str)
    reply_requested = Signal(str)
    resolve_requested = Signal(str, bool)
    delete_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(tr("Comments"))
        self.cards: dict[str, CommentCard] = {}
        self._current = ""
        self.show_resolved = QCheckBox(tr("Show &resolved"))
        self.count_label = QLabel()
        self.empty_label = QLabel(tr("No comments. Select text and choose Review ▸ Add Comment."))
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: palette(mid);")
        self._list = QWidget()
        self._cards_layout = QVBoxLayout(self._list)
        self._cards_layout.setContentsMargins(4, 4, 4, 4)
        self._cards_layout.setSpacing(6)
        self._cards_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        # Cards take the panel's width and wrap their words; sideways scrolling would hide the buttons.
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(MIN_WIDTH)
        self.scroll.setWidget(self._list)
        self.scroll.setAccessibleName(tr("Comment list"))
        self.history = QListWidget()
        self.history.setAccessibleName(tr("Status history"))
        self.history.setWordWrap(True)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        top = QHBoxLayout()
        top.addWidget(self.show_resolved)
        top.addStretch(1)
        top.addWidget(self.count_label)
        comments = QWidget()
        column = QVBoxLayout(comments)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(top)
        column.addWidget(self.empty_label)
        column.addWidget(self.scroll, 1)
        history = QWidget()
        history_column = QVBoxLayout(history)
        history_column.setContentsMargins(0, 0, 0, 0)
        history_column.addWidget(QLabel(tr("Status history")))
        history_column.addWidget(self.history, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(comments)
        splitter.addWidget(history)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([500, 110])  # the history is a few lines; the cards get the room
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

    def show_comments(self, comments: list[Comment]) -> None:
        """Rebuild the cards (in text order; resolved ones only when asked for)."""
        for card in self.cards.values():
            card.setParent(None)
            card.deleteLater()
        self.cards = {}
        shown = [c for c in in_text_order(comments) if self.show_resolved.isChecked() or not c.resolved]
        for comment in shown:
            card = CommentCard(comment, self._list)
            card.clicked.connect(self.card_clicked)
            card.reply_requested.connect(self.reply_requested)
            card.resolve_requested.connect(self.resolve_requested)
            card.delete_requested.connect(self.delete_requested)
            self._cards_layout.insertWidget(self._cards_layout.count() - 1, card)
            self.cards[comment.id] = card
        open_count = sum(not c.resolved for c in comments)
        self.count_label.setText(tr("{open} open · {all} in all").format(open=open_count, all=len(comments)))
        self.empty_label.setVisible(not comments)
        self.set_current(self._current)

    def show_history(self, lines: list[str]) -> None:
        """List the status history, newest first."""
        self.history.clear()
        self.history.addItems(list(reversed(lines)) or [tr("No status changes recorded yet.")])

    def set_current(self, comment_id: str) -> None:
        """Mark one card (the comment at the caret) and scroll it into view."""
        self._current = comment_id
        for key, card in self.cards.items():
            card.set_current(key == comment_id)
        if comment_id in self.cards:
            self.scroll.ensureWidgetVisible(self.cards[comment_id])


class CommentsFeature(QObject):
    """Comments and review mode installed on a window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.document: ArticleDocument = window.document
        self.panel = CommentsPanel()
        self.dock = QDockWidget(tr("Comments"), window)
        self.dock.setObjectName("comments_dock")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        window.splitDockWidget(self.dock, window.preview_dock, Qt.Orientation.Horizontal)
        window.resizeDocks([self.dock], [320], Qt.Orientation.Horizontal)
        self.dock.hide()
        self._mark = QTextCharFormat()
        dark = window.text_pane.palette().color(QPalette.ColorRole.Base).lightness() < 128
        self._mark.setBackground(QColor("#5a4a12" if dark else "#fdeeb0"))
        self._make_actions()
        self.review_mode = ReviewMode(window, self.dock)
        self._fill_menu()
        window.text_pane.highlighter.overlays.append(self._overlay)
        self._wrap_context_menu()
        self.panel.card_clicked.connect(self.select_comment)
        self.panel.reply_requested.connect(self.reply)
        self.panel.resolve_requested.connect(self.set_resolved)
        self.panel.delete_requested.connect(self.delete)
        self.panel.show_resolved.toggled.connect(lambda _on: self._refresh())
        window.text_pane.editor.cursorPositionChanged.connect(self._follow_caret)
        window.document_replaced.connect(self.attach)
        self.attach(window.document, first=True)

    # --- building ----------------------------------------------------------------------
    def _action(self, text: str, shortcut: str, slot) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)  # works in focus mode too, with the menu bar hidden
        return action

    def _make_actions(self) -> None:
        self.add_action = self._action(tr("Add &Comment…"), "Ctrl+Alt+C", self.add_comment)
        self.next_action = self._action(tr("&Next Comment"), "Ctrl+Alt+]", lambda: self.jump(1))
        self.previous_action = self._action(tr("&Previous Comment"), "Ctrl+Alt+[", lambda: self.jump(-1))
        toggle = self.dock.toggleViewAction()
        toggle.setText(tr("Comments &Panel"))
        toggle.setShortcut(QKeySequence("Ctrl+Alt+O"))
        self.window.addAction(toggle)
        self.panel_action = toggle

    def _fill_menu(self) -> None:
        menu = self.window.commands.review_menu
        menu.addActions([self.add_action, self.next_action, self.previous_action])
        menu.addSeparator()
        menu.addActions([self.review_mode.action, self.panel_action])
        menu.addSeparator()

    def _wrap_context_menu(self) -> None:
        editor = self.window.text_pane.editor
        standard = editor.context_menu

        def with_comment(position: QPoint) -> QMenu:
            menu = standard(position)
            menu.addSeparator()
            menu.addAction(self.add_action)
            return menu

        editor.context_menu = with_comment

    # --- the document ------------------------------------------------------------------
    def attach(self, document: ArticleDocument, first: bool = False) -> None:
        """Follow another article (New, Open, Import)."""
        if not first:
            for signal, slot in ((self.document.review.changed, self._refresh),
                                 (self.document.review.history_changed, self._refresh_history)):
                with contextlib.suppress(RuntimeError, TypeError):  # the old article may already be gone
                    signal.disconnect(slot)
        self.document = document
        document.review.author_source = self.author
        document.review.changed.connect(self._refresh)
        document.review.history_changed.connect(self._refresh_history)
        self.review_mode.follow(document)
        self._refresh()
        self._refresh_history()
        if document.review.ids():
            self.dock.show()

    def author(self) -> str:
        """The name from the preferences, or "Anonymous"."""
        return self.window.preferences.author_name.strip() or ANONYMOUS

    def _refresh(self) -> None:
        self.panel.show_comments(self.document.comments)
        self.window.text_pane.highlighter.rehighlight()

    def _refresh_history(self) -> None:
        self.panel.show_history([describe_change(c) for c in self.document.status_history])

    def _visible(self) -> list[Comment]:
        """Comments with Qt positions, in text order; resolved ones only when shown."""
        store = self.document.review
        found = [store.comment(i) for i in store.ids()]
        shown = self.panel.show_resolved.isChecked()
        return in_text_order([c for c in found if c is not None and (shown or not c.resolved)])

    # --- the text marks ----------------------------------------------------------------
    def _overlay(self, block: QTextBlock, text: str) -> list[tuple[int, int, QTextCharFormat]]:
        first = block.position()
        last = first + block.length() - 1
        spans = []
        units = None
        for comment_start, comment_end in self.document.review.open_spans():
            start, end = max(comment_start, first), min(comment_end, last)
            if start >= end:
                continue
            units = units or TextMap(text)
            spans.append((units.to_py(start - first), units.to_py(end - first), self._mark))
        return spans

    # --- actions -----------------------------------------------------------------------
    def add_comment(self) -> str | None:
        """Comment on the selected text; returns the new comment's id."""
        cursor = self.window.text_pane.editor.textCursor()
        if not cursor.hasSelection():
            self.window.statusBar().showMessage(tr("Select the text to comment on first."), MESSAGE_MS)
            return None
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        quote = cursor.selectedText().replace("\u2029", "\n")
        text = ask_comment_text(self.window, tr("Add Comment"), quote)
        if text is None:
            return None
        self.dock.show()
        comment_id = self.document.review.add(start, end, text)
        self.panel.set_current(comment_id)
        return comment_id

    def reply(self, comment_id: str) -> None:
        """Ask for a reply to a comment and add it."""
        comment = self.document.review.comment(comment_id)
        if comment is None:
            return
        text = ask_comment_text(self.window, tr("Reply"), comment.quote)
        if text is not None:
            self.document.review.reply(comment_id, text)

    def set_resolved(self, comment_id: str, resolved: bool) -> None:
        """Resolve or reopen a comment."""
        self.document.review.set_resolved(comment_id, resolved)

    def delete(self, comment_id: str) -> None:
        """Delete a comment after asking."""
        comment = self.document.review.comment(comment_id)
        if comment is not None and confirm_delete(self.window, len(comment.replies)):
            self.document.review.delete(comment_id)

    def select_comment(self, comment_id: str) -> None:
        """Select a comment's text in the text pane and mark its card."""
        start, end = self.document.review.span(comment_id)
        editor = self.window.text_pane.editor
        cursor = editor.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        editor.setTextCursor(cursor)
        editor.ensureCursorVisible()
        editor.setFocus(Qt.FocusReason.OtherFocusReason)
        self.panel.set_current(comment_id)

    def jump(self, step: int) -> str | None:
        """Go to the next (step 1) or previous (step -1) comment after the caret, wrapping around."""
        comments = self._visible()
        if not comments:
            self.window.statusBar().showMessage(tr("There are no comments to go to."), MESSAGE_MS)
            return None
        cursor = self.window.text_pane.editor.textCursor()
        here = (cursor.selectionStart(), cursor.selectionEnd())
        places = [((c.start, c.end), c.id) for c in comments]
        if step > 0:
            target = next((i for p, i in places if p > here), places[0][1])
        else:
            target = next((i for p, i in reversed(places) if p < here), places[-1][1])
        self.dock.show()
        self.select_comment(target)
        return target

    def _follow_caret(self) -> None:
        position = self.window.text_pane.editor.textCursor().position()
        store = self.document.review
        for comment_id in store.ids():
            start, end = store.span(comment_id)
            if start <= position <= end and start < end:
                self.panel.set_current(comment_id)
                return

    def shutdown(self) -> None:
        """Nothing runs in the background."""


def install(window: MainWindow) -> CommentsFeature:
    """Put comments and review mode on the window."""
    return CommentsFeature(window)
