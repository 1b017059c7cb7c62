"""Find and replace bar for the text editor (plain text or regular expressions), and go-to-line."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
)

# Counting stops here so that a pattern like "." on a long text cannot stall the window.
MAX_COUNTED = 100_000
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def tr(text: str) -> str:
    """Translate a user-visible string of this module."""
    return QCoreApplication.translate("FindReplaceBar", text)


class SearchError(ValueError):
    """The search or replacement pattern cannot be used; the message is one readable sentence."""


@dataclass(frozen=True)
class SearchOptions:
    """How the find text is read."""

    regex: bool = False
    case_sensitive: bool = False
    whole_words: bool = False


def compile_pattern(text: str, options: SearchOptions) -> re.Pattern[str]:
    """The compiled search pattern; SearchError when a regular expression is invalid."""
    if not text:
        raise SearchError(tr("Type something to find."))
    source = text if options.regex else re.escape(text)
    if options.whole_words:
        source = rf"(?<!\w)(?:{source})(?!\w)"
    flags = re.MULTILINE | (0 if options.case_sensitive else re.IGNORECASE)
    try:
        return re.compile(source, flags)
    except re.error as error:
        raise SearchError(tr("Invalid regular expression: {reason}.").format(reason=error.msg)) from None
    except (RecursionError, OverflowError):
        raise SearchError(tr("The regular expression is too complex.")) from None


def expand_replacement(match: re.Match[str], replacement: str, regex: bool) -> str:
    """The text that replaces one match: group references (\\1, \\g<name>) expanded in regex mode."""
    if not regex:
        return replacement
    try:
        return match.expand(replacement)
    except (re.error, IndexError) as error:
        raise SearchError(tr("Invalid replacement: {reason}.").format(reason=str(error))) from None


class TextMap:
    """Maps Python string indices of a text to Qt's UTF-16 cursor positions and back."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]
        self._astral_qt = [index + n for n, index in enumerate(self._astral)]

    def to_qt(self, index: int) -> int:
        """Qt position of a Python index."""
        return index + bisect.bisect_left(self._astral, index) if self._astral else index

    def to_py(self, position: int) -> int:
        """Python index of a Qt position."""
        return position - bisect.bisect_left(self._astral_qt, position) if self._astral else position


def find_from(pattern: re.Pattern[str], text: str, start: int, end: int, backwards: bool) -> re.Match[str] | None:
    """The next match after the selection (start, end), or the previous one before it, wrapping around."""
    if backwards:
        best = wrapped = None
        for count, match in enumerate(pattern.finditer(text)):
            if count >= MAX_COUNTED:
                break
            if (match.start(), match.end()) < (start, end):
                best = match
            else:
                wrapped = match
        return best or wrapped
    match = pattern.search(text, start)
    while match is not None and (match.start(), match.end()) <= (start, end):
        position = match.end() if match.end() > match.start() else match.start() + 1
        if position > len(text):
            match = None
            break
        match = pattern.search(text, position)
    return match or pattern.search(text)


def count_matches(pattern: re.Pattern[str], text: str, current: tuple[int, int] | None) -> tuple[int, int]:
    """How many matches there are (capped at MAX_COUNTED), and the 1-based number of `current` (0 if none)."""
    total = index = 0
    for match in pattern.finditer(text):
        total += 1
        if current is not None and match.span() == current:
            index = total
        if total >= MAX_COUNTED:
            break
    return total, index


def ask_line(parent: QWidget, current: int, maximum: int) -> int | None:
    """Ask for a line number (1-based); None when cancelled. Tests replace this function."""
    value, ok = QInputDialog.getInt(parent, tr("Go to Line"), tr("Line (1–{last}):").format(last=maximum),
                                    current, 1, max(1, maximum))
    return value if ok else None


class FindReplaceBar(QWidget):
    """A non-modal bar under the text: find next/previous, replace, replace all, match count."""

    closed = Signal()

    def __init__(self, editor: QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editor = editor
        self._snapshot: TextMap | None = None
        self.setAccessibleName(tr("Find and replace"))
        self.find_field = QLineEdit(self)
        self.find_field.setPlaceholderText(tr("Find"))
        self.find_field.setAccessibleName(tr("Find text"))
        self.find_field.setClearButtonEnabled(True)
        self.replace_field = QLineEdit(self)
        self.replace_field.setPlaceholderText(tr("Replace with"))
        self.replace_field.setAccessibleName(tr("Replacement text"))
        self.replace_field.setToolTip(tr("With regular expressions, \\1 or \\g<name> inserts a group."))
        self.case_box = self._toggle(tr("Aa"), tr("Match case"))
        self.words_box = self._toggle(tr("Whole words"), tr("Match whole words only"))
        self.regex_box = self._toggle(tr(".*"), tr("Regular expression"))
        self.previous_button = self._button(tr("Previous"), tr("Find previous (Shift+F3)"), self.find_previous)
        self.next_button = self._button(tr("Next"), tr("Find next (F3)"), self.find_next)
        self.replace_button = self._button(tr("Replace"), tr("Replace this match and find the next"),
                                           self.replace_one)
        self.replace_all_button = self._button(tr("Replace All"), tr("Replace every match"), self.replace_all)
        self.close_button = self._button("✕", tr("Close (Esc)"), self.close_bar)
        self.close_button.setAccessibleName(tr("Close find bar"))
        self.status_label = QLabel(self)
        self.status_label.setAccessibleName(tr("Search result"))
        self.status_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("0000 of 0000") + 8)

        # The text pane can be narrow next to the docks, so the buttons are spread over rows and the text
        # fields keep a usable width: find and replace each share a row with only their own buttons,
        # and the options and the match count get a row of their own.
        usable = self.fontMetrics().horizontalAdvance("x") * 20
        for field in (self.find_field, self.replace_field):
            field.setMinimumWidth(usable)
            field.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(4)
        grid.addWidget(self.find_field, 0, 0)
        grid.addWidget(self.previous_button, 0, 1)
        grid.addWidget(self.next_button, 0, 2)
        grid.addWidget(self.close_button, 0, 3)
        grid.addWidget(self.replace_field, 1, 0)
        grid.addWidget(self.replace_button, 1, 1)
        grid.addWidget(self.replace_all_button, 1, 2, 1, 2)
        options = QHBoxLayout()
        options.setSpacing(4)
        for widget in (self.case_box, self.words_box, self.regex_box):
            options.addWidget(widget)
        options.addWidget(self.status_label, 1)
        grid.addLayout(options, 2, 0, 1, 4)
        grid.setColumnStretch(0, 1)

        self.find_field.textEdited.connect(self._on_find_edited)
        self.find_field.installEventFilter(self)
        self.replace_field.installEventFilter(self)
        for box in (self.case_box, self.words_box, self.regex_box):
            box.toggled.connect(self._on_options_changed)
        editor.textChanged.connect(self._forget_text)
        # Recounting on every keystroke would slow typing in long texts while the bar is open.
        self._recount = QTimer(self)
        self._recount.setSingleShot(True)
        self._recount.setInterval(300)
        self._recount.timeout.connect(self._refresh_status)
        self.set_replace_visible(False)
        self.hide()

    def _toggle(self, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setCheckable(True)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return button

    def _button(self, text: str, tip: str, slot) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.clicked.connect(slot)
        return button

    # --- opening and closing --------------------------------------------------------------
    def set_replace_visible(self, visible: bool) -> None:
        """Show or hide the replace row."""
        for widget in (self.replace_field, self.replace_button, self.replace_all_button):
            widget.setVisible(visible)

    def open_find(self, replace: bool = False) -> None:
        """Show the bar with the find field focused, prefilled from a one-line selection."""
        selected = self._editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.find_field.setText(selected)
        self.set_replace_visible(replace or (self.replace_field.isVisible() and self.isVisible()))
        self.show()
        self.find_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_field.selectAll()
        self._refresh_status()

    def close_bar(self) -> None:
        """Hide the bar and give the focus back to the text."""
        self.hide()
        self._editor.setFocus(Qt.FocusReason.OtherFocusReason)
        self.closed.emit()

    # --- searching ------------------------------------------------------------------------
    def options(self) -> SearchOptions:
        """The options chosen in the bar."""
        return SearchOptions(regex=self.regex_box.isChecked(), case_sensitive=self.case_box.isChecked(),
                             whole_words=self.words_box.isChecked())

    def _text(self) -> TextMap:
        if self._snapshot is None:
            self._snapshot = TextMap(self._editor.document().toPlainText())
        return self._snapshot

    def _forget_text(self) -> None:
        self._snapshot = None
        if self.isVisible() and self.find_field.text():
            self._recount.start()

    def _pattern(self) -> re.Pattern[str] | None:
        try:
            return compile_pattern(self.find_field.text(), self.options())
        except SearchError as error:
            self._show_error(str(error) if self.find_field.text() else "")
            return None

    def _refuse_read_only(self) -> bool:
        # The bar may have been open before the text became read-only (review mode).
        if not self._editor.isReadOnly():
            return False
        self.status_label.setText(tr("The text is read-only; nothing was replaced."))
        return True

    def _show_error(self, message: str) -> None:
        self.status_label.setText(message)
        self.status_label.setToolTip(message)
        self.find_field.setProperty("invalid", bool(message))

    def _selection(self, text: TextMap) -> tuple[int, int]:
        cursor = self._editor.textCursor()
        return text.to_py(cursor.selectionStart()), text.to_py(cursor.selectionEnd())

    def find_next(self) -> bool:
        """Select the next match after the selection (wrapping); False when there is none."""
        return self._find(backwards=False)

    def find_previous(self) -> bool:
        """Select the previous match before the selection (wrapping); False when there is none."""
        return self._find(backwards=True)

    def _find(self, backwards: bool, start: tuple[int, int] | None = None) -> bool:
        pattern = self._pattern()
        if pattern is None:
            return False
        text = self._text()
        begin, end = start or self._selection(text)
        match = find_from(pattern, text.text, begin, end, backwards)
        if match is not None:
            self._select(text, match.start(), match.end())
        self._refresh_status(pattern)
        return match is not None

    def _select(self, text: TextMap, start: int, end: int) -> None:
        cursor = self._editor.textCursor()
        cursor.setPosition(text.to_qt(start))
        cursor.setPosition(text.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self._editor.setTextCursor(cursor)
        self._editor.ensureCursorVisible()

    def _on_find_edited(self) -> None:
        # Searching as the user types starts where the current match starts, so it grows in place.
        if not self.find_field.text():
            self._show_error("")
            return
        text = self._text()
        begin, _ = self._selection(text)
        self._find(backwards=False, start=(begin, begin - 1))

    def _on_options_changed(self) -> None:
        if self.find_field.text():
            self._on_find_edited()

    def _refresh_status(self, pattern: re.Pattern[str] | None = None) -> None:
        self._recount.stop()
        if not self.find_field.text():
            self._show_error("")
            return
        pattern = pattern or self._pattern()
        if pattern is None:
            return
        text = self._text()
        total, index = count_matches(pattern, text.text, self._selection(text))
        self.find_field.setProperty("invalid", False)
        self.status_label.setToolTip("")
        if total == 0:
            self.status_label.setText(tr("No matches"))
        elif total >= MAX_COUNTED:
            self.status_label.setText(tr("{count}+ matches").format(count=MAX_COUNTED))
        elif index:
            self.status_label.setText(tr("{index} of {count}").format(index=index, count=total))
        else:
            self.status_label.setText(tr("{count} matches").format(count=total) if total > 1 else tr("1 match"))

    # --- replacing ------------------------------------------------------------------------
    def replace_one(self) -> bool:
        """Replace the selected match (if the selection is one) and select the next; False on error."""
        if self._refuse_read_only():
            return False
        pattern = self._pattern()
        if pattern is None:
            return False
        text = self._text()
        begin, end = self._selection(text)
        match = pattern.search(text.text, begin)
        if match is None or match.span() != (begin, end):
            return self._find(backwards=False)
        try:
            new = expand_replacement(match, self.replace_field.text(), self.options().regex)
        except SearchError as error:
            self._show_error(str(error))
            return False
        cursor = self._editor.textCursor()
        cursor.insertText(new)
        self._editor.setTextCursor(cursor)
        self._find(backwards=False)
        return True

    def replace_all(self) -> int:
        """Replace every match as one undo step; returns how many were replaced (0 on error)."""
        if self._refuse_read_only():
            return 0
        pattern = self._pattern()
        if pattern is None:
            return 0
        text = self._text()
        options = self.options()
        replacement = self.replace_field.text()
        matches = pattern.finditer(text.text)
        first = next(matches, None)
        if first is None:
            self._refresh_status(pattern)
            return 0
        try:
            if options.regex:
                new_text, count = pattern.subn(replacement, text.text)
            else:
                new_text, count = pattern.subn(lambda _m: replacement, text.text)
        except (re.error, IndexError) as error:
            self._show_error(tr("Invalid replacement: {reason}.").format(reason=str(error)))
            return 0
        last_end = first.end()
        for match in matches:
            last_end = match.end()
        # Only the stretch from the first to the last match changes; replacing just that keeps the view still.
        tail = len(text.text) - last_end
        middle = new_text[first.start():len(new_text) - tail]
        cursor = QTextCursor(self._editor.document())
        cursor.beginEditBlock()
        cursor.setPosition(text.to_qt(first.start()))
        cursor.setPosition(text.to_qt(last_end), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(middle)
        cursor.endEditBlock()
        self._recount.stop()
        self.status_label.setText(tr("Replaced {count}").format(count=count) if count != 1 else tr("Replaced 1"))
        return count

    # --- keys -----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            backwards = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            if watched is self.replace_field and not backwards:
                self.replace_one()
            else:
                self._find(backwards=backwards)
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
            event.accept()
            return
        super().keyPressEvent(event)
