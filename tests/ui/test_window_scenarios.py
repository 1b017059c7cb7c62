"""What a writer does in the real window, end to end: type, add photos, caption them, paste, undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QGuiApplication, QImage, QKeySequence

from tests.ui.window_helpers import HEADLESS_NOISE, Answers, delete_windows, make_settings, make_window, patch_dialogs

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)

WAIT = 20_000


@pytest.fixture(autouse=True)
def _delete_windows():
    yield
    # Mime data left on the clipboard outlives the test and crashes Qt when the process exits.
    QGuiApplication.clipboard().clear()
    delete_windows()


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    patch_dialogs(monkeypatch, Answers())
    return make_window(qtbot, make_settings(tmp_path), real_preview=True)


def live_page(qtbot, window) -> str:
    """The HTML the preview's engine holds now."""
    got: list[str] = []
    window.preview.page_html(got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=WAIT)
    return got[0]


def red_image() -> QImage:
    image = QImage(24, 16, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.red)
    return image


def paste(qtbot, window, mime: QMimeData) -> None:
    QGuiApplication.clipboard().setMimeData(mime)
    window.text_pane.editor.setFocus()
    qtbot.keySequence(window.text_pane.editor, QKeySequence.StandardKey.Paste)


def test_typed_text_appears_in_the_live_preview(qtbot, window):
    window.text_pane.editor.setFocus()
    qtbot.keyClicks(window.text_pane.editor, "Harbourton votes for a park")
    qtbot.waitUntil(lambda: "Harbourton votes for a park" in window.preview.last_html, timeout=WAIT)
    qtbot.waitUntil(lambda: "Harbourton votes for a park" in live_page(qtbot, window), timeout=WAIT)


def test_pasted_image_is_imported_inserted_and_shown_as_a_captioned_figure(qtbot, window):
    qtbot.keyClicks(window.text_pane.editor, "Lead paragraph.")
    mime = QMimeData()
    mime.setImageData(red_image())
    paste(qtbot, window, mime)
    qtbot.waitUntil(lambda: len(window.document.assets) == 1, timeout=WAIT)
    name = window.document.assets[0].name
    qtbot.waitUntil(lambda: f"](assets/{name})" in window.document.text_document.toPlainText(), timeout=WAIT)
    assert window.document.text_document.toPlainText().startswith("Lead paragraph.\n\n![")

    window.images_panel.select(name)
    details = window.images_panel.details
    qtbot.keyClicks(details.caption_edit, "Council members vote on Thursday.")
    qtbot.keyClicks(details.credit_edit, "Photo by Sam Okafor")
    qtbot.keyClicks(details.alt_edit, "A red square")
    asset = window.document.asset(name)
    assert (asset.caption, asset.credit, asset.alt) == ("Council members vote on Thursday.", "Photo by Sam Okafor",
                                                        "A red square")

    def figure_shown() -> bool:
        page = live_page(qtbot, window)
        return ("<figcaption" in page and "Council members vote on Thursday." in page
                and "Photo by Sam Okafor" in page and 'alt="A red square"' in page)

    qtbot.waitUntil(figure_shown, timeout=WAIT)
    # The picture itself comes from the bundle through the app's own scheme.
    qtbot.waitUntil(lambda: any(name in str(url) for url in window.preview.scheme_handler.served), timeout=WAIT)


def test_pasted_html_becomes_markdown(qtbot, window):
    mime = QMimeData()
    mime.setHtml("<h2>Budget</h2><p>The <b>vote</b> was <a href='https://example.org/v'>close</a>.</p>"
                 "<script>alert(1)</script><p>0 comments</p>")
    mime.setText("Budget The vote was close.")
    paste(qtbot, window, mime)
    text = window.document.text_document.toPlainText()
    assert "## Budget" in text
    assert "**vote**" in text
    assert "[close](https://example.org/v)" in text
    assert "alert" not in text
    assert "0 comments" not in text


def test_one_undo_history_covers_text_images_and_metadata(qtbot, window):
    document = window.document
    editor = window.text_pane.editor
    qtbot.keyClicks(editor, "Opening line.")
    window.images_panel.import_sources([_png()])
    qtbot.waitUntil(lambda: len(document.assets) == 1, timeout=WAIT)
    qtbot.keyClicks(window.metadata_form.title, "Park approved")
    assert document.metadata.title == "Park approved"

    undo, redo = window.commands.undo, window.commands.redo
    undo.trigger()
    assert document.metadata.title == ""
    assert len(document.assets) == 1
    undo.trigger()
    assert document.assets == []
    assert document.text_document.toPlainText() == "Opening line."
    undo.trigger()
    assert document.text_document.toPlainText() == ""
    assert not window.isWindowModified()

    for _ in range(3):
        redo.trigger()
    assert document.text_document.toPlainText() == "Opening line."
    assert len(document.assets) == 1
    assert document.metadata.title == "Park approved"
    qtbot.waitUntil(lambda: window.metadata_form.title.text() == "Park approved", timeout=WAIT)


def _png() -> bytes:
    from tests.ui.window_helpers import png_bytes

    return png_bytes("blue", (10, 10))
