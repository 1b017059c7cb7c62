"""The text pane's document layout: a restyled paragraph repaints that paragraph, not the whole view.

Qt's plain-text layout treats a highlighter's restyling of a paragraph as a change that reaches into the next
paragraph (the range it is told of ends just past the paragraph's own line break), and the restyling has already
dropped the paragraph's laid-out lines, so the layout falls back to repainting everything in view. With spelling
underlines that full repaint costs several milliseconds per key press in a long article. Here such a change is
narrowed to its own paragraph; when the paragraph keeps its number of lines only that paragraph is repainted,
otherwise everything below it moves and the whole view is repainted as before.
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

    def documentChanged(self, start: int, removed: int, added: int) -> None:
        """Lay out what changed; repaint only the paragraph when nothing below it moves."""
        document = self.document()
        block = document.findBlock(start)
        count = document.blockCount()
        # Exactly one paragraph, line break included, was rewritten or restyled, and no paragraph came or went.
        own_paragraph = (
            removed > 0 and count == self._blocks and block.isValid() and start == block.position()
            and start + added == block.position() + block.length()
        )
        self._blocks = count
        if not own_paragraph:
            super().documentChanged(start, removed, added)
            return
        try:
            self._relayout_paragraph(block)
        except Exception:  # an error escaping a Qt override would end the program, text and all
            super().documentChanged(start, removed, added)

    def _relayout_paragraph(self, block: QTextBlock) -> None:
        start, document = block.position(), self.document()
        lines, size = block.lineCount(), self.documentSize()
        quiet = self.blockSignals(True)
        try:
            # Told of one character at the paragraph's start, Qt lays out just this paragraph again.
            super().documentChanged(start, 0, 1)
        finally:
            self.blockSignals(quiet)
        if block.lineCount() == lines:
            self.updateBlock.emit(block)
            return
        if self.documentSize() != size:
            self.documentSizeChanged.emit(self.documentSize())
        self.update[QRectF].emit(QRectF(0.0, -document.documentMargin(), _EVERYTHING, _EVERYTHING))
