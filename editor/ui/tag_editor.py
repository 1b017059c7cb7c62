"""Editing a list of tags: type with completion, add on Enter or comma, remove with a button or Backspace."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


def tr(text: str) -> str:
    """Translate a user-visible string of the tag editor."""
    return QCoreApplication.translate("TagEditor", text)


def split_tags(text: str) -> list[str]:
    """The tags in typed text: comma-separated, trimmed, inner spaces collapsed, empties dropped."""
    return [" ".join(part.split()) for part in text.split(",") if part.strip()]


class _TagLine(QLineEdit):
    """The entry line: a comma commits, Backspace on an empty line removes the last tag."""

    commit = Signal()
    remove_last = Signal()
    focused = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Comma, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            completer = self.completer()
            if completer is not None and completer.popup().isVisible():
                chosen = completer.popup().currentIndex()
                if chosen.isValid():
                    self.setText(chosen.data())
                completer.popup().hide()
            self.commit.emit()
            return
        if event.key() == Qt.Key.Key_Backspace and not self.text():
            self.remove_last.emit()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.focused.emit()
        super().focusInEvent(event)


class TagEditor(QWidget):
    """Shows tags as a wrapping row of chips with an entry line; `changed` carries the whole new list."""

    changed = Signal(list)

    def __init__(self, known_tags: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tags: list[str] = []
        self._known = known_tags
        self.chips = QListWidget(self)
        self.chips.setAccessibleName(tr("Tags"))
        self.chips.setViewMode(QListView.ViewMode.IconMode)
        self.chips.setFlow(QListView.Flow.LeftToRight)
        self.chips.setWrapping(True)
        self.chips.setResizeMode(QListView.ResizeMode.Adjust)
        self.chips.setMovement(QListView.Movement.Static)
        self.chips.setSpacing(3)
        self.chips.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.chips.setMaximumHeight(64)
        self.line = _TagLine(self)
        self.line.setAccessibleName(tr("New tag"))
        self.line.setPlaceholderText(tr("Add a tag, then Enter or comma"))
        self.completion_model = QStringListModel(self)
        self.completer = QCompleter(self.completion_model, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.line.setCompleter(self.completer)
        self.remove_button = QPushButton(tr("Remove Tag"), self)
        self.remove_button.setEnabled(False)
        self.setFocusProxy(self.line)

        row = QHBoxLayout()
        row.addWidget(self.line, 1)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.chips)
        layout.addLayout(row)

        self.line.commit.connect(self.commit_text)
        self.line.remove_last.connect(self._remove_last)
        self.line.focused.connect(self.refresh_completions)
        self.completer.activated.connect(lambda _text: self.commit_text())
        self.remove_button.clicked.connect(self.remove_selected)
        self.chips.currentRowChanged.connect(lambda row: self.remove_button.setEnabled(row >= 0))
        self.refresh_completions()

    def tags(self) -> list[str]:
        """The tags shown."""
        return list(self._tags)

    def set_tags(self, tags: list[str]) -> None:
        """Show these tags without reporting a change."""
        if tags == self._tags:
            return
        self._tags = list(tags)
        self.chips.clear()
        self.chips.addItems(self._tags)
        self.remove_button.setEnabled(False)
        self.refresh_completions()

    def set_known_tags(self, known: list[str]) -> None:
        """Offer these tags for completion."""
        self._known = known
        self.refresh_completions()

    def refresh_completions(self) -> None:
        """Offer the known tags that are not already used."""
        used = {t.casefold() for t in self._tags}
        self.completion_model.setStringList([t for t in self._known if t.casefold() not in used])

    def commit_text(self) -> None:
        """Add the tags typed in the entry line."""
        new = [t for t in split_tags(self.line.text()) if t.casefold() not in {x.casefold() for x in self._tags}]
        self.line.clear()
        unique = list(dict.fromkeys(new))
        if unique:
            self.changed.emit(self._tags + unique)

    def remove_selected(self) -> None:
        """Remove the selected chip."""
        row = self.chips.currentRow()
        if 0 <= row < len(self._tags):
            self.changed.emit(self._tags[:row] + self._tags[row + 1:])

    def _remove_last(self) -> None:
        if self._tags:
            self.changed.emit(self._tags[:-1])
