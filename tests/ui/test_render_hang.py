"""Markdown that makes the renderer hang or recurse, in the real preview: the window stays responsive, the preview
says what happened in one sentence, the render process is replaced, later edits render again, and the text is
never touched.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from editor.core.model import Article
from editor.core.render_process import RenderProcess
from editor.ui.document import ArticleDocument
from editor.ui.preview import PreviewPane

WAIT = 30_000
TIME_LIMIT = 0.5  # seconds a render may take here; the hostile texts below need many times that

HANGS = {
    "open-brackets": "[a" * 40_000,  # quadratic in Python-Markdown's link parser
    "backtick-runs": "`" * 80_000 + "x" + "`" * 79_999 + "\n" + "`a" * 40_000,
    "nested-quotes": ">" * 30_000 + " deep\n",
}
RECURSES = "".join("    " * depth + "- item\n" for depth in range(250))  # one recursion per list level


@pytest.fixture(scope="module")
def shared_renderer() -> Iterator[RenderProcess]:
    with RenderProcess() as process:
        yield process


@pytest.fixture
def renderer(shared_renderer: RenderProcess) -> RenderProcess:
    shared_renderer.timeout = TIME_LIMIT
    return shared_renderer


@pytest.fixture
def pane(qtbot, renderer: RenderProcess) -> Iterator[PreviewPane]:
    widget = PreviewPane(ArticleDocument(Article(body="A calm start.\n")), renderer=renderer)
    widget.resize(600, 400)
    widget.show()
    with qtbot.waitSignal(widget.rendered, timeout=WAIT):
        pass
    yield widget
    widget.shutdown()
    gone: list[bool] = []
    widget.destroyed.connect(lambda: gone.append(True))
    widget.deleteLater()
    qtbot.waitUntil(lambda: bool(gone), timeout=WAIT)


@pytest.fixture
def editor(qtbot, pane: PreviewPane) -> QPlainTextEdit:
    """A text editor on the pane's document, as the window has one."""
    edit = QPlainTextEdit()
    # Wrapping a line of 100,000 characters costs Qt's text layout seconds on its own; this test is about the
    # renderer, so the editor here does not wrap.
    edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    edit.setDocument(pane.document.text_document)
    qtbot.addWidget(edit)
    edit.show()
    return edit


def _replace_text(pane: PreviewPane, text: str) -> None:
    cursor = QTextCursor(pane.document.text_document)
    cursor.select(QTextCursor.SelectionType.Document)
    cursor.insertText(text)


def _live_text(qtbot, pane: PreviewPane) -> str:
    box: list[Any] = []
    pane.run_in_page("document.body.textContent", box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=WAIT)
    return box[0]


class Ticks:
    """Counts how often a 10 ms timer on the UI thread gets to run."""

    def __init__(self, parent: QWidget) -> None:
        self.count = 0
        self.timer = QTimer(parent)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.count += 1


@pytest.mark.parametrize("text", list(HANGS.values()), ids=list(HANGS))
def test_a_hanging_render_is_stopped_and_the_window_stays_responsive(qtbot, pane, editor, renderer, text):
    first_child = renderer.pid
    ticks = Ticks(pane)
    ticks.timer.start()
    with qtbot.waitSignal(pane.render_failed, timeout=WAIT) as failed:
        _replace_text(pane, "Intro.\n\n" + text)
        # While the renderer is busy the user keeps typing (in the short first line), and the keys arrive.
        editor.moveCursor(QTextCursor.MoveOperation.Start)
        QTest.keyClicks(editor, "Typed ")
    ticks.timer.stop()
    message = failed.args[0]
    assert "took too long" in message and "\n" not in message and message.endswith(".")
    assert pane.banner_text == message
    # The UI thread ran its timer throughout (a count, not a duration): the render never blocked it.
    assert ticks.count >= 5
    assert pane.document.text_document.toPlainText() == "Typed Intro.\n\n" + text
    assert "A calm start." in _live_text(qtbot, pane)  # the last good preview stays
    # The stuck child was stopped; the next ordinary edit renders in a new one.
    with qtbot.waitSignal(pane.rendered, timeout=WAIT):
        _replace_text(pane, "Back to *normal* writing.")
    assert "Back to normal writing." in _live_text(qtbot, pane)
    assert pane.banner_text == ""
    assert renderer.pid not in (None, first_child)


def test_markdown_that_recurses_too_deep_is_reported_and_the_renderer_keeps_going(qtbot, pane, renderer):
    renderer.timeout = 60  # this text fails fast by itself; no time limit is involved
    child = renderer.pid
    with qtbot.waitSignal(pane.render_failed, timeout=WAIT) as failed:
        _replace_text(pane, RECURSES)
    assert "nested too deeply" in failed.args[0]
    assert pane.document.text_document.toPlainText() == RECURSES
    with qtbot.waitSignal(pane.rendered, timeout=WAIT):
        _replace_text(pane, "Flat again.")
    assert "Flat again." in _live_text(qtbot, pane)
    assert renderer.pid == child  # a recursion error is an answer, not a hang: the same child carries on


def test_undo_after_a_hanging_render_brings_back_the_text_and_the_preview(qtbot, pane):
    with qtbot.waitSignal(pane.render_failed, timeout=WAIT):
        _replace_text(pane, HANGS["open-brackets"])
    with qtbot.waitSignal(pane.rendered, timeout=WAIT):
        while pane.document.text_document.toPlainText() != "A calm start.\n" and pane.document.undo_stack.canUndo():
            pane.document.undo_stack.undo()
    assert pane.document.text_document.toPlainText() == "A calm start.\n"
    assert "A calm start." in _live_text(qtbot, pane)
