"""The paragraph layout: typing repaints the paragraph typed in, and the screen always shows the whole text right."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QImage, QKeyEvent, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from editor.core.model import Article
from editor.ui.document import ArticleDocument
from editor.ui.highlighter import MarkdownHighlighter
from editor.ui.text_layout import ParagraphLayout

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

PARAGRAPH = "A *styled* paragraph with `code` and a [link](https://example.org) that goes on for a while."


class PaintLog(QObject):
    """Sizes of the areas the viewport is asked to repaint."""

    def __init__(self) -> None:
        super().__init__()
        self.heights: list[int] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.heights.append(event.rect().height())
        return False


@pytest.fixture(autouse=True)
def _steady_caret():
    # A blinking caret would make two pictures of the same text differ.
    flash = QApplication.cursorFlashTime()
    QApplication.setCursorFlashTime(0)
    yield
    QApplication.setCursorFlashTime(flash)


def _editor(qtbot, text: str, *, ours: bool = True) -> tuple[QPlainTextEdit, MarkdownHighlighter]:
    article = ArticleDocument(Article(body=text))
    document = article.text_document
    if not ours:  # the stock layout, to show what the paragraph layout changes
        from PySide6.QtWidgets import QPlainTextDocumentLayout

        document.setDocumentLayout(QPlainTextDocumentLayout(document))
    editor = QPlainTextEdit()
    editor.article = article  # the text document lives as long as the article that owns it
    editor.setDocument(document)
    highlighter = MarkdownHighlighter(document)
    qtbot.addWidget(editor)
    editor.resize(360, 420)
    editor.show()
    qtbot.waitExposed(editor)
    editor.setFocus()
    return editor, highlighter


def _caret_to_end_of_block(editor: QPlainTextEdit, number: int) -> None:
    cursor = QTextCursor(editor.document().findBlockByNumber(number))
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    editor.setTextCursor(cursor)


def _shown(editor: QPlainTextEdit) -> QImage:
    """What the window's backing store holds for the viewport now: the result of every partial repaint."""
    viewport = editor.viewport()
    corner = viewport.mapTo(editor.window(), viewport.rect().topLeft())
    screen = editor.window().windowHandle().screen()
    whole = screen.grabWindow(editor.window().winId()).toImage()
    return whole.copy(corner.x(), corner.y(), viewport.width(), viewport.height()).convertToFormat(
        QImage.Format.Format_RGB32)


def _fresh(editor: QPlainTextEdit) -> QImage:
    """The viewport painted anew from scratch."""
    editor.viewport().repaint()
    QApplication.processEvents()
    return _shown(editor)


def test_the_document_uses_the_paragraph_layout(qapp):
    article = ArticleDocument(Article(body="Text."))
    assert isinstance(article.text_document.documentLayout(), ParagraphLayout)


def test_typing_in_a_highlighted_paragraph_repaints_that_paragraph_only(qtbot):
    editor, _highlighter = _editor(qtbot, "\n\n".join([PARAGRAPH] * 12))
    _caret_to_end_of_block(editor, 4)
    log = PaintLog()
    editor.viewport().installEventFilter(log)
    QApplication.processEvents()
    log.heights.clear()
    for char in "word":
        QTest.keyClick(editor, char)
        QApplication.processEvents()
    full = editor.viewport().height()
    typed = [h for h in log.heights if h > 20]  # leave out the blinking caret
    # The first key press learns the paragraph's height (and repaints everything); the others repaint it alone.
    assert len(typed) >= 4 and max(typed[1:]) < full / 2


def test_the_stock_layout_repaints_everything_which_is_what_the_paragraph_layout_avoids(qtbot):
    editor, _highlighter = _editor(qtbot, "\n\n".join([PARAGRAPH] * 12), ours=False)
    _caret_to_end_of_block(editor, 4)
    log = PaintLog()
    editor.viewport().installEventFilter(log)
    QApplication.processEvents()
    log.heights.clear()
    QTest.keyClick(editor, "w")
    QApplication.processEvents()
    assert max(log.heights) >= editor.viewport().height() - 1


@pytest.mark.parametrize("typed", ["x", " more words that make the paragraph wrap onto another line or two"])
def test_the_screen_matches_a_full_repaint_after_typing_and_deleting(qtbot, typed):
    editor, _highlighter = _editor(qtbot, "\n\n".join([PARAGRAPH] * 12))
    _caret_to_end_of_block(editor, 2)
    QApplication.processEvents()
    steps = [(char, None) for char in typed] + [("", Qt.Key.Key_Backspace)] * len(typed)
    for char, key in steps:
        if key is None:
            QTest.keyClick(editor, char)
        else:
            QTest.keyClick(editor, key)
        QApplication.processEvents()
        assert _shown(editor) == _fresh(editor)
    assert editor.document().findBlockByNumber(2).text() == PARAGRAPH


def test_a_restyle_that_changes_the_lines_moves_the_paragraphs_below(qtbot):
    # Turning a line into a heading and back restyles it; nothing below may be left where it was.
    editor, _highlighter = _editor(qtbot, "\n\n".join([PARAGRAPH] * 12))
    cursor = QTextCursor(editor.document().findBlockByNumber(2))
    editor.setTextCursor(cursor)
    QApplication.processEvents()
    for key in ["#", " ", Qt.Key.Key_Backspace, Qt.Key.Key_Backspace]:
        QTest.keyClick(editor, key)
        QApplication.processEvents()
        assert _shown(editor) == _fresh(editor)


def test_new_and_joined_paragraphs_still_lay_out_the_rest(qtbot):
    editor, _highlighter = _editor(qtbot, "\n\n".join([PARAGRAPH] * 12))
    _caret_to_end_of_block(editor, 2)
    QApplication.processEvents()
    for key in [Qt.Key.Key_Return, "N", "e", "w", Qt.Key.Key_Backspace, Qt.Key.Key_Backspace,
                Qt.Key.Key_Backspace, Qt.Key.Key_Backspace]:
        QTest.keyClick(editor, key)
        QApplication.processEvents()
        assert _shown(editor) == _fresh(editor)
    assert editor.document().toPlainText() == "\n\n".join([PARAGRAPH] * 12)


def test_replacing_text_across_a_line_break_repaints_the_paragraph_after_it(qtbot):
    # The count of paragraphs stays the same, but the second one is rewritten: it must not stay on screen as it was.
    editor, _highlighter = _editor(qtbot, "\n".join(["aaaa aaaa", "bbbb bbbb bbbb", "cccc", "dddd"]))
    _caret_to_end_of_block(editor, 0)
    QTest.keyClick(editor, "a")  # the paragraph's height is now known, so a narrowed repaint would be tried
    QApplication.processEvents()
    cursor = QTextCursor(editor.document().findBlockByNumber(0))
    cursor.setPosition(editor.document().findBlockByNumber(1).position() + 5, QTextCursor.MoveMode.KeepAnchor)
    cursor.insertText("xyz\n")
    QApplication.processEvents()
    assert editor.document().toPlainText() == "xyz\nbbbb bbbb\ncccc\ndddd"
    assert _shown(editor) == _fresh(editor)


@pytest.mark.qt_log_ignore("OpenType support missing")
@pytest.mark.parametrize("glyph", ["中", "क"])
def test_a_paragraph_that_grows_taller_without_a_new_line_moves_the_ones_below(qtbot, glyph):
    # A character from another script may come from a taller fallback font: one line, but a taller one.
    editor, _highlighter = _editor(qtbot, "first line here\nsecond *line* here\nthird line\nfourth line\n")
    _caret_to_end_of_block(editor, 1)
    QTest.keyClick(editor, "s")
    QApplication.processEvents()
    layout, block = editor.document().documentLayout(), editor.document().findBlockByNumber(1)
    before = layout.blockBoundingRect(block).height()
    QApplication.sendEvent(editor, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, glyph))
    QApplication.processEvents()
    if layout.blockBoundingRect(block).height() == before:
        pytest.skip("no taller fallback font for this script on this machine")
    assert block.lineCount() == 1
    assert _shown(editor) == _fresh(editor)
    QTest.keyClick(editor, Qt.Key.Key_Backspace)
    QApplication.processEvents()
    assert _shown(editor) == _fresh(editor)
