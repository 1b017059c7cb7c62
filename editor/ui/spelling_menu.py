"""The text pane's context menu on a misspelled word: suggestions, Add to Dictionary, Ignore."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint
from PySide6.QtGui import QContextMenuEvent, QFont, QTextBlock, QTextCursor
from PySide6.QtWidgets import QMenu

from editor.core.spelling import Word
from editor.ui.markdown_edit import MarkdownEdit
from editor.ui.review_mode import refuse

if TYPE_CHECKING:
    from editor.ui.spelling import SpellChecking

MAX_SUGGESTIONS = 5


def tr(text: str) -> str:
    """Translate a user-visible string of the spelling menu."""
    return QCoreApplication.translate("Spelling", text)


def show_menu(menu: QMenu, where: QPoint) -> None:
    """Show a context menu and wait for the choice (tests replace this)."""
    menu.exec(where)


def qt_index(text: str, index: int) -> int:
    """The UTF-16 position Qt uses for a Python index into `text`."""
    return len(text[:index].encode("utf-16-le")) // 2


class SpellingMenu(QObject):
    """Adds the spelling entries to the editor's context menu when it opens on a misspelled word."""

    def __init__(self, spelling: SpellChecking, editor: MarkdownEdit) -> None:
        super().__init__(editor)
        self._spelling = spelling
        self._editor = editor
        # The mouse's menu request reaches the viewport, the keyboard's (Menu key, Shift+F10) the editor.
        editor.viewport().installEventFilter(self)
        editor.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ContextMenu or not isinstance(event, QContextMenuEvent):
            return False
        editor = self._editor
        if watched is editor.viewport():
            point = event.pos()
            position = editor.cursorForPosition(point).position()
        elif watched is editor and event.reason() == QContextMenuEvent.Reason.Keyboard:
            point = editor.cursorRect().center()
            position = editor.textCursor().position()
        else:
            return False
        if self.misspelled_at(position) is None:
            return False  # the editor's own menu, unchanged
        menu = self.menu_at(position, point)
        show_menu(menu, event.globalPos())
        menu.deleteLater()
        return True

    def misspelled_at(self, position: int) -> tuple[QTextBlock, Word] | None:
        """The misspelled word at a document position (Qt units), with its line."""
        block = self._editor.document().findBlock(position)
        if not block.isValid():
            return None
        text = block.text()
        column = position - block.position()
        for word in self._spelling.misspelled_words(block, text):
            if qt_index(text, word.start) <= column <= qt_index(text, word.end):
                return block, word
        return None

    def menu_at(self, position: int, point: QPoint) -> QMenu:
        """The editor's context menu, with suggestions and dictionary entries first when on a misspelled word."""
        menu = self._editor.context_menu(point)
        found = self.misspelled_at(position)
        dictionary = self._spelling.dictionary()
        if found is None or dictionary is None:
            return menu
        block, word = found
        first = menu.actions()[0] if menu.actions() else None
        entries = []
        editable = not self._editor.isReadOnly()
        suggestions = dictionary.suggestions(word.text, MAX_SUGGESTIONS) if editable else []
        for suggestion in suggestions:
            action = menu.addAction(suggestion)
            font = QFont(action.font())
            font.setBold(True)
            action.setFont(font)
            action.setObjectName("spelling-suggestion")
            action.triggered.connect(lambda _checked=False, s=suggestion: self.replace(block, word, s))
            entries.append(action)
        if editable and not suggestions:
            none = menu.addAction(tr("No Suggestions"))
            none.setEnabled(False)
            entries.append(none)
        add = menu.addAction(tr("&Add to Dictionary"))
        add.setObjectName("spelling-add")
        add.triggered.connect(lambda _checked=False: self._spelling.add_to_dictionary(word.text))
        ignore = menu.addAction(tr("&Ignore"))
        ignore.setObjectName("spelling-ignore")
        ignore.triggered.connect(lambda _checked=False: self._spelling.ignore(word.text))
        entries += [add, ignore]
        if first is not None:
            for action in entries:
                menu.removeAction(action)
                menu.insertAction(first, action)
            menu.insertSeparator(first)
        return menu

    def replace(self, block: QTextBlock, word: Word, replacement: str) -> None:
        """Put a suggestion in place of the word, as one undoable step."""
        if self._editor.isReadOnly():  # review mode came on while the menu was open
            refuse(self._editor)
            return
        text = block.text()
        if text[word.start:word.end] != word.text:
            return  # the line changed while the menu was open
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + qt_index(text, word.start))
        cursor.setPosition(block.position() + qt_index(text, word.end), QTextCursor.MoveMode.KeepAnchor)
        cursor.beginEditBlock()
        cursor.insertText(replacement)
        cursor.endEditBlock()
        self._editor.setTextCursor(cursor)
