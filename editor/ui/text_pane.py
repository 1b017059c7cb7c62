"""The text pane: the Markdown editor with highlighting, formatting actions, find bar and statistics."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QFontDatabase, QGuiApplication, QKeyEvent, QKeySequence, QPalette
from PySide6.QtWidgets import QVBoxLayout, QWidget

from editor.core.text_stats import ParagraphCounter
from editor.ui import find_replace, text_commands
from editor.ui.document import ArticleDocument
from editor.ui.find_replace import FindReplaceBar, TextMap
from editor.ui.highlighter import MarkdownHighlighter
from editor.ui.markdown_edit import MarkdownEdit
from editor.ui.preferences import Preferences

STATS_DELAY_MS = 250
MIN_FONT_SIZE, MAX_FONT_SIZE = 6, 72


def tr(text: str) -> str:
    """Translate a user-visible string of this module."""
    return QCoreApplication.translate("TextPane", text)


class TextPane(QWidget):
    """The article's Markdown text with everything needed to write it."""

    images_pasted = Signal(list)  # Path (local image files) or bytes (PNG data from the clipboard)
    bundle_dropped = Signal(Path)
    caret_line_changed = Signal(int)  # 1-based line of the caret
    stats_changed = Signal(dict)  # words, characters, reading_minutes, line, column (line and column 1-based)

    def __init__(self, document: ArticleDocument, preferences: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(tr("Text"))
        self.document = document
        self.preferences = preferences
        self._zoom = 0
        self._line = 0
        self._counts = {"words": 0, "characters": 0, "reading_minutes": 0}
        self._read_only_reasons: set[str] = set()
        self._counter = ParagraphCounter()
        self.editor = MarkdownEdit(self)
        self.find_bar = FindReplaceBar(self.editor, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.find_bar)
        dark = self.palette().color(QPalette.ColorRole.Base).lightness() < 128
        self.highlighter = MarkdownHighlighter(None, dark=dark)

        # Word counts wait until typing pauses; the caret position is cheap and follows at once.
        self._stats_timer = QTimer(self)
        self._stats_timer.setSingleShot(True)
        self._stats_timer.setInterval(STATS_DELAY_MS)
        self._stats_timer.timeout.connect(self._recount)

        self.editor.images_pasted.connect(self.images_pasted)
        self.editor.bundle_dropped.connect(self.bundle_dropped)
        self.editor.zoom_requested.connect(lambda step: self.zoom_in() if step > 0 else self.zoom_out())
        self.editor.cursorPositionChanged.connect(self._on_caret_moved)
        self._make_actions()
        self.set_document(document)
        self.apply_preferences(preferences)

    # --- actions -------------------------------------------------------------------------
    def _action(self, text: str, shortcut: QKeySequence | str | None, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)  # shortcuts work even when the window puts the action in no menu
        return action

    def _make_actions(self) -> None:
        cmd = text_commands
        self.bold_action = self._action(tr("&Bold"), QKeySequence.StandardKey.Bold,
                                        lambda: self._run(lambda c: cmd.toggle_inline(c, "**", tr("bold text"))))
        self.italic_action = self._action(tr("&Italic"), QKeySequence.StandardKey.Italic,
                                          lambda: self._run(lambda c: cmd.toggle_inline(c, "*", tr("italic text"))))
        self.code_action = self._action(tr("Inline &Code"), "Ctrl+Shift+C",
                                        lambda: self._run(lambda c: cmd.toggle_inline(c, "`", tr("code"))))
        self.link_action = self._action(tr("&Link"), "Ctrl+K",
                                        lambda: self._run(lambda c: cmd.apply_link(c, self._clipboard_text())))
        self.heading_actions = [
            self._action(tr("Heading {level}").format(level=level), f"Ctrl+{level}",
                         lambda level=level: self._run(lambda c: cmd.apply_heading(c, level)))
            for level in range(1, 7)
        ]
        self.quote_action = self._action(tr("Block &Quote"), "Ctrl+Shift+.",
                                         lambda: self._run(lambda c: cmd.apply_prefix(c, cmd.QUOTE)))
        self.bullet_action = self._action(tr("B&ulleted List"), "Ctrl+Shift+8",
                                          lambda: self._run(lambda c: cmd.apply_prefix(c, cmd.BULLET)))
        self.numbered_action = self._action(tr("&Numbered List"), "Ctrl+Shift+7",
                                            lambda: self._run(lambda c: cmd.apply_prefix(c, cmd.NUMBERED)))
        self.format_actions = [self.bold_action, self.italic_action, self.code_action, self.link_action,
                               *self.heading_actions, self.quote_action, self.bullet_action, self.numbered_action]
        self.find_action = self._action(tr("&Find…"), QKeySequence.StandardKey.Find, self.show_find)
        self.replace_action = self._action(tr("&Replace…"), "Ctrl+H", self.show_replace)
        self.find_next_action = self._action(tr("Find &Next"), QKeySequence.StandardKey.FindNext,
                                             self.find_bar.find_next)
        self.find_previous_action = self._action(tr("Find Pre&vious"), QKeySequence.StandardKey.FindPrevious,
                                                 self.find_bar.find_previous)
        self.goto_line_action = self._action(tr("&Go to Line…"), "Ctrl+G", self.ask_goto_line)
        self.goto_line_action.setShortcuts([QKeySequence("Ctrl+G"), QKeySequence("Ctrl+L")])
        self.editor.reserve_shortcuts([seq for action in self.actions() for seq in action.shortcuts()])

    def _run(self, command: Callable) -> None:
        cursor = self.editor.textCursor()
        command(cursor)
        self.editor.setTextCursor(cursor)
        self.editor.ensureCursorVisible()
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def _clipboard_text(self) -> str:
        clipboard = QGuiApplication.clipboard()
        return clipboard.text() if clipboard is not None else ""

    # --- the document --------------------------------------------------------------------
    def set_document(self, document: ArticleDocument) -> None:
        """Show another article (File ▸ New / Open)."""
        old = self.document.text_document
        if old is not document.text_document:
            with contextlib.suppress(RuntimeError, TypeError):  # the old article may already be gone
                old.contentsChanged.disconnect(self._stats_timer.start)
        self.document = document
        text = document.text_document
        self._stats_timer.stop()
        self._counts = self._counter.statistics(text.toPlainText())  # before the caret moves and reports them
        self.editor.setDocument(text)
        self.editor.set_undo_stack(document.undo_stack)
        self.highlighter.setDocument(text)
        text.contentsChanged.connect(self._stats_timer.start)
        self.editor.update_margins()
        self._line = 0
        self._on_caret_moved()

    def insert_at_caret(self, text: str) -> None:
        """Insert text where the caret is (replacing a selection), as one undo step."""
        cursor = self.editor.textCursor()
        cursor.insertText(text)
        self.editor.setTextCursor(cursor)
        self.editor.ensureCursorVisible()

    def insert_block(self, text: str) -> None:
        """Insert text as a paragraph of its own at the caret (an image reference becomes a figure)."""
        cursor = self.editor.textCursor()
        block = cursor.block()
        column = cursor.positionInBlock()
        before, after = block.text()[:column], block.text()[column:]
        previous, following = block.previous(), block.next()
        if before.strip():
            prefix = "\n\n"
        elif before == "" and previous.isValid() and previous.text().strip():
            prefix = "\n"
        else:
            prefix = ""
        if after.strip():
            suffix = "\n\n"
        elif after == "" and following.isValid() and following.text().strip():
            suffix = "\n"
        else:
            suffix = ""
        self.insert_at_caret(prefix + text + suffix)

    def goto_offset(self, offset: int) -> None:
        """Put the caret at a character index of the text (as Python counts it) and show it."""
        text = TextMap(self.document.text_document.toPlainText())
        position = text.to_qt(max(0, min(offset, len(text.text))))
        cursor = self.editor.textCursor()
        cursor.setPosition(position)
        self.editor.setTextCursor(cursor)
        self.editor.centerCursor()
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def goto_line(self, line: int) -> None:
        """Put the caret at the start of a 1-based line (clamped to the text) and show it."""
        document = self.document.text_document
        block = document.findBlockByNumber(max(1, min(line, document.blockCount())) - 1)
        cursor = self.editor.textCursor()
        cursor.setPosition(block.position())
        self.editor.setTextCursor(cursor)
        self.editor.centerCursor()
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def caret_line(self) -> int:
        """The 1-based line of the caret."""
        return self.editor.textCursor().blockNumber() + 1

    def ask_goto_line(self) -> None:
        """Ask for a line number and go there."""
        line = find_replace.ask_line(self, self.caret_line(), self.document.text_document.blockCount())
        if line is not None:
            self.goto_line(line)

    def show_find(self) -> None:
        """Open the find bar."""
        self.find_bar.open_find(replace=False)

    def show_replace(self) -> None:
        """Open the find bar with the replace row."""
        self.find_bar.open_find(replace=True)

    # --- font and zoom -------------------------------------------------------------------
    def apply_preferences(self, preferences: Preferences) -> None:
        """Use the font chosen in the preferences (empty family: the system's fixed-width font)."""
        self.preferences = preferences
        self._apply_font()

    def set_read_only_reason(self, reason: str, on: bool) -> None:
        """Forbid or allow text changes for one reason ("location", "review"…); read-only while any reason holds."""
        reasons = self._read_only_reasons
        if on:
            reasons.add(reason)
        else:
            reasons.discard(reason)
        self.editor.setReadOnly(bool(reasons))

    def read_only_reasons(self) -> set[str]:
        """The reasons the text is read-only now (empty when it may be edited)."""
        return set(self._read_only_reasons)

    def zoom_in(self) -> None:
        """Make the text larger."""
        self._set_zoom(self._zoom + 1)

    def zoom_out(self) -> None:
        """Make the text smaller."""
        self._set_zoom(self._zoom - 1)

    def zoom_reset(self) -> None:
        """Back to the font size of the preferences."""
        self._set_zoom(0)

    def _set_zoom(self, zoom: int) -> None:
        base = self.preferences.editor_font_size
        self._zoom = max(MIN_FONT_SIZE - base, min(MAX_FONT_SIZE - base, zoom))
        self._apply_font()

    def _apply_font(self) -> None:
        family = self.preferences.editor_font_family
        font = QFont(family) if family else QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.TypeWriter if not family else QFont.StyleHint.AnyStyle)
        size = max(MIN_FONT_SIZE, min(MAX_FONT_SIZE, self.preferences.editor_font_size + self._zoom))
        font.setPointSize(size)
        self.editor.setFont(font)
        self.editor.setTabStopDistance(self.editor.fontMetrics().horizontalAdvance(" ") * 4)
        self.editor.update_margins()

    def font_size(self) -> int:
        """The point size in use, zoom included."""
        return self.editor.font().pointSize()

    # --- statistics ----------------------------------------------------------------------
    def _recount(self) -> None:
        self._stats_timer.stop()
        # Paragraph by paragraph: a recount after typing in a long article stays within a frame.
        self._counts = self._counter.statistics(self.document.text_document.toPlainText())
        self._emit_stats()

    def _on_caret_moved(self) -> None:
        line = self.caret_line()
        if line != self._line:
            self._line = line
            self.caret_line_changed.emit(line)
        self._emit_stats()

    def _emit_stats(self) -> None:
        cursor = self.editor.textCursor()
        self.stats_changed.emit({**self._counts, "line": cursor.blockNumber() + 1,
                                 "column": cursor.positionInBlock() + 1})

    def stats(self) -> dict[str, int]:
        """The latest statistics (word counts may lag typing by a quarter of a second)."""
        cursor = self.editor.textCursor()
        return {**self._counts, "line": cursor.blockNumber() + 1, "column": cursor.positionInBlock() + 1}

    # --- Esc closes the find bar wherever the focus is in the pane ------------------------
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and event.key() == Qt.Key.Key_Escape and self.find_bar.isVisible():
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.find_bar.isVisible():
            self.find_bar.close_bar()
            event.accept()
            return
        super().keyPressEvent(event)
