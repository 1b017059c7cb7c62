"""The text pane's document layout: typing in a paragraph repaints that paragraph, not the whole view.

Qt's plain-text layout treats a highlighter's restyling of a paragraph as a change that reaches into the next
paragraph (the range it is told of ends just past the paragraph's own line break), and the restyling has already
dropped the paragraph's laid-out lines, so the layout falls back to repainting everything in view. With spelling
underlines that full repaint costs several milliseconds per key press in a long article.

Here a change is narrowed to its own paragraph when the edit itself (as the document reported it before any
restyling) stayed inside that paragraph, or there was no edit at all (a restyle). Only that paragraph is then
repainted, and only when its height is the one it had after this layout last laid it out (for a restyle whose
height was not seen yet: when it keeps its number of lines, as the characters are the same); otherwise
everything in view is repainted as Qt would.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QTextBlock, QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout

_EVERYTHING = 1_000_000_000.0


class ParagraphLayout(QPlainTextDocumentLayout):
    """A QPlainTextDocumentLayout that repaints one paragraph for an edit or restyle inside it."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._blocks = document.blockCount()
        self._edit: tuple[int, int] | None = None  # the latest edit's (position, characters added), until laid out
        # Paragraph number → (width, height) after this layout last laid it out.
        self._heights: dict[int, tuple[float, float]] = {}
        self._emitting = False
        # Connected before any highlighter is, so the edit is seen as it was typed, before restyling widens it.
        document.contentsChange.connect(self._on_edit)
        self.update.connect(self._forget)
        self.documentSizeChanged.connect(self._forget)

    def _on_edit(self, position: int, _removed: int, added: int) -> None:
        self._edit = (position, added)

    def _forget(self, *_args: object) -> None:
        # Qt laid out or repainted everything (paragraphs came or went, a resize): the heights may be stale.
        if not self._emitting:
            self._heights.clear()

    def documentChanged(self, start: int, removed: int, added: int) -> None:
        """Lay out what changed; repaint only the paragraph when nothing below it moves."""
        document = self.document()
        block = document.findBlock(start)
        count = document.blockCount()
        edit, self._edit = self._edit, None
        # Exactly one paragraph, line break included, was rewritten or restyled, and no paragraph came or went.
        own_paragraph = (
            removed > 0 and count == self._blocks and block.isValid() and start == block.position()
            and start + added == block.position() + block.length()
        )
        if own_paragraph and edit is not None:
            # The text typed or pasted must lie inside the paragraph, short of its line break; otherwise the
            # edit may have rewritten the next paragraph too (a selection across a line break replaced by text
            # ending in one keeps the count of paragraphs).
            position, inserted = edit
            own_paragraph = block.position() <= position and position + inserted < block.position() + block.length()
        self._blocks = count
        if not own_paragraph:
            super().documentChanged(start, removed, added)
            return
        try:
            self._relayout_paragraph(block, restyled=edit is None)
        except Exception:  # an error escaping a Qt override would end the program, text and all
            self._heights.clear()
            super().documentChanged(start, removed, added)

    def _relayout_paragraph(self, block: QTextBlock, *, restyled: bool) -> None:
        document = self.document()
        number, size, lines = block.blockNumber(), self.documentSize(), block.lineCount()
        known = self._heights.get(number)
        quiet = self.blockSignals(True)
        try:
            # Told of one character at the paragraph's start, Qt lays out just this paragraph again.
            super().documentChanged(block.position(), 0, 1)
        finally:
            self.blockSignals(quiet)
        rect = self.blockBoundingRect(block)
        # The width is the view's: a resized view has laid everything out anew.
        self._heights[number] = (rect.width(), rect.height())
        # A restyle keeps the characters, so its height follows its lines; an edit may bring a taller glyph.
        same = known == self._heights[number] if known is not None else restyled and block.lineCount() == lines
        if same:
            self.updateBlock.emit(block)
            return
        # Its height is new or not known: the paragraphs below may have to move. Their heights stay as they are.
        self._emitting = True
        try:
            if self.documentSize() != size:
                self.documentSizeChanged.emit(self.documentSize())
            self.update[QRectF].emit(QRectF(0.0, -document.documentMargin(), _EVERYTHING, _EVERYTHING))
        finally:
            self._emitting = False
