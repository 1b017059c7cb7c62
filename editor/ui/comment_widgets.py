"""One comment as a card in the comments panel: the quoted text, the remark, its thread and its buttons."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.core.model import Comment
from editor.core.status_history import local_time
from editor.ui import theme

QUOTE_CHARS = 140


def tr(text: str) -> str:
    """Translate a user-visible string of this module."""
    return QCoreApplication.translate("CommentCard", text)


def short_quote(quote: str, limit: int = QUOTE_CHARS) -> str:
    """The quoted text on one line, shortened with an ellipsis when long."""
    line = " ".join(quote.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def byline(author: str, created: str) -> str:
    """"Ann Writer · 2024-05-01 14:02" (local time)."""
    when = local_time(created) if created else ""
    return " · ".join(part for part in (author or tr("Anonymous"), when) if part)


def _label(text: str, name: str, *, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class CommentCard(QFrame):
    """A comment with its replies; clicking it asks for its text to be selected."""

    clicked = Signal(str)
    reply_requested = Signal(str)
    resolve_requested = Signal(str, bool)  # id, resolved
    delete_requested = Signal(str)

    def __init__(self, comment: Comment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.comment_id = comment.id
        self.setObjectName("comment_card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(tr("Comment by {author}").format(author=comment.author or tr("Anonymous")))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(3)
        self.quote_label = _label("“" + short_quote(comment.quote) + "”", "quote")
        muted = theme.muted_colour(self.palette()).name()
        self.quote_label.setStyleSheet(f"font-style: italic; color: {muted};")
        layout.addWidget(self.quote_label)
        self.detached_label = _label(tr("Text removed: the commented text is no longer in the article."), "detached")
        self.detached_label.setStyleSheet(f"color: {theme.problem_colour(self.palette()).name()};")
        self.detached_label.setVisible(comment.detached)
        layout.addWidget(self.detached_label)
        self.text_label = _label(comment.text, "text")
        layout.addWidget(self.text_label)
        self.byline_label = _label(byline(comment.author, comment.created), "byline")
        self.byline_label.setStyleSheet(f"color: {muted}; font-size: small;")
        layout.addWidget(self.byline_label)
        self.reply_labels = []
        for reply in comment.replies:
            label = _label(f"{byline(reply.author, reply.created)}\n{reply.text}", "reply")
            label.setContentsMargins(14, 2, 0, 0)
            layout.addWidget(label)
            self.reply_labels.append(label)
        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        self.reply_button = QPushButton(tr("Reply…"))
        self.resolve_button = QPushButton(tr("Reopen") if comment.resolved else tr("Resolve"))
        self.delete_button = QPushButton(tr("Delete"))
        for button in (self.reply_button, self.resolve_button, self.delete_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.reply_button.clicked.connect(lambda: self.reply_requested.emit(self.comment_id))
        self.resolve_button.clicked.connect(lambda: self.resolve_requested.emit(self.comment_id, not comment.resolved))
        self.delete_button.clicked.connect(lambda: self.delete_requested.emit(self.comment_id))
        self.set_current(False)
        if comment.resolved:
            self.setToolTip(tr("Resolved"))

    def set_current(self, current: bool) -> None:
        """Mark the card of the comment the caret is on."""
        self.setProperty("current", current)
        border = "2px solid palette(highlight)" if current else "1px solid palette(mid)"
        self.setStyleSheet(f"QFrame#comment_card {{ border: {border}; border-radius: 4px; }}")

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.comment_id)
        super().mousePressEvent(event)


class CommentDialog(QDialog):
    """Asks for the words of a comment or reply; Ctrl+Return takes them, Tab leaves the text box."""

    def __init__(self, parent: QWidget | None, title: str, prompt: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setAccessibleName(title)
        prompt_label = QLabel(prompt)
        prompt_label.setWordWrap(True)
        prompt_label.setTextFormat(Qt.TextFormat.PlainText)
        prompt_label.setBuddy(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(False)
        self.text.textChanged.connect(lambda: self.ok_button.setEnabled(bool(self.text.toPlainText().strip())))
        self.text.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt_label)
        layout.addWidget(self.text, 1)
        hint = QLabel(tr("Ctrl+Return to save"))
        hint.setStyleSheet(f"color: {theme.muted_colour(self.palette()).name()};")
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.resize(420, 220)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Ctrl+Return in the text box takes the words; Return alone starts a new line.
        if watched is self.text and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if self.ok_button.isEnabled():
                self.accept()
            return True
        return super().eventFilter(watched, event)

    def words(self) -> str:
        """The words typed, without surrounding blank space."""
        return self.text.toPlainText().strip()
