"""Paste and drop into the text: images, local files, bundles, web text; Ctrl+wheel zoom."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication

from editor.core.model import Article
from editor.ui.document import ArticleDocument
from editor.ui.markdown_edit import MarkdownEdit, image_png_bytes
from editor.ui.preferences import Preferences
from editor.ui.text_pane import TextPane

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def pane(qtbot) -> TextPane:
    widget = TextPane(ArticleDocument(Article(body="")), Preferences())
    qtbot.addWidget(widget)
    return widget


def mime_with_urls(*paths: Path | str) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) if isinstance(p, Path) else QUrl(p) for p in paths])
    return mime


def small_image() -> QImage:
    image = QImage(4, 3, QImage.Format.Format_RGB32)
    image.fill(QColor(200, 20, 20))
    return image


def drop(editor: MarkdownEdit, mime: QMimeData) -> None:
    event = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    editor.dropEvent(event)


def test_paste_html_inserts_markdown(pane) -> None:
    mime = QMimeData()
    mime.setHtml("<p>Some <b>bold</b> and a <a href='https://example.org/'>link</a>.</p>"
                 "<script>alert(1)</script>")
    mime.setText("Some bold and a link.")
    pane.editor.insertFromMimeData(mime)
    text = pane.document.article().body
    assert "**bold**" in text
    assert "[link](https://example.org/)" in text
    assert "alert" not in text


def test_paste_html_uses_the_converter_and_is_one_undo_step(pane, monkeypatch) -> None:
    import editor.core.html_import as html_import

    monkeypatch.setattr(html_import, "html_to_markdown", lambda html: "# Converted")
    mime = QMimeData()
    mime.setHtml("<h1>Converted</h1>")
    pane.editor.insertFromMimeData(mime)
    assert pane.document.article().body == "# Converted"
    pane.document.undo_stack.undo()
    assert pane.document.article().body == ""


def test_paste_html_falls_back_to_plain_text_when_conversion_fails(pane, monkeypatch) -> None:
    import editor.core.html_import as html_import

    def broken(html: str) -> str:
        raise RecursionError("too deep")

    monkeypatch.setattr(html_import, "html_to_markdown", broken)
    mime = QMimeData()
    mime.setHtml("<p>deep</p>")
    mime.setText("plain words")
    pane.editor.insertFromMimeData(mime)
    assert pane.document.article().body == "plain words"


def test_paste_oversized_html_falls_back_to_plain_text(pane) -> None:
    mime = QMimeData()
    mime.setHtml("<p>" + "x" * 2_100_000 + "</p>")
    mime.setText("short")
    pane.editor.insertFromMimeData(mime)
    assert pane.document.article().body == "short"


def test_paste_plain_text_as_is(pane) -> None:
    mime = QMimeData()
    mime.setText("**kept** <b>as typed</b>")
    pane.editor.insertFromMimeData(mime)
    assert pane.document.article().body == "**kept** <b>as typed</b>"


def test_paste_image_data_emits_png_bytes(pane, qtbot) -> None:
    mime = QMimeData()
    mime.setImageData(small_image())
    with qtbot.waitSignal(pane.images_pasted) as signal:
        pane.editor.insertFromMimeData(mime)
    (data,) = signal.args[0]
    assert isinstance(data, bytes) and data.startswith(PNG_SIGNATURE)
    assert QImage.fromData(data).size() == small_image().size()
    assert pane.document.article().body == ""


def test_paste_keeps_png_bytes_offered_by_the_source(qapp) -> None:
    png = QByteArray()
    from PySide6.QtCore import QBuffer, QIODevice

    buffer = QBuffer(png)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    small_image().save(buffer, "PNG")
    buffer.close()
    mime = QMimeData()
    mime.setData("image/png", png)
    assert image_png_bytes(mime) == bytes(png.data())


def test_text_from_a_word_processor_wins_over_its_picture(pane, qtbot) -> None:
    mime = QMimeData()
    mime.setImageData(small_image())
    mime.setHtml("<p>Hello</p>")
    mime.setText("Hello")
    pasted = []
    pane.images_pasted.connect(pasted.append)
    pane.editor.insertFromMimeData(mime)
    assert pasted == []
    assert pane.document.article().body == "Hello"


def test_browser_copy_image_pastes_the_image(pane, qtbot) -> None:
    mime = QMimeData()
    mime.setImageData(small_image())
    mime.setHtml('<img src="https://example.org/a.png">')
    with qtbot.waitSignal(pane.images_pasted):
        pane.editor.insertFromMimeData(mime)
    assert pane.document.article().body == ""


def test_drop_local_jpg_emits_its_path(pane, qtbot, tmp_path) -> None:
    photo = tmp_path / "Photo One.JPG"
    photo.write_bytes(b"not checked here")
    with qtbot.waitSignal(pane.images_pasted) as signal:
        drop(pane.editor, mime_with_urls(photo))
    assert signal.args[0] == [photo]
    assert pane.document.article().body == ""


def test_paste_several_image_files_emits_them_together(pane, qtbot, tmp_path) -> None:
    files = [tmp_path / name for name in ("a.png", "b.webp", "c.gif", "notes.pdf")]
    with qtbot.waitSignal(pane.images_pasted) as signal:
        pane.editor.insertFromMimeData(mime_with_urls(*files))
    assert signal.args[0] == files[:3]


@pytest.mark.parametrize("name", ["story.textbundle", "story.textpack", "draft.md", "DRAFT.MARKDOWN"])
def test_drop_bundle_or_markdown_file_asks_to_open_it(pane, qtbot, tmp_path, name) -> None:
    target = tmp_path / name
    with qtbot.waitSignal(pane.bundle_dropped) as signal:
        drop(pane.editor, mime_with_urls(target))
    assert signal.args == [target]
    assert pane.document.article().body == ""


def test_remote_url_is_pasted_as_text(pane) -> None:
    mime = mime_with_urls("https://example.org/photo.jpg")
    mime.setText("https://example.org/photo.jpg")
    pasted = []
    pane.images_pasted.connect(pasted.append)
    pane.editor.insertFromMimeData(mime)
    assert pasted == []
    assert pane.document.article().body == "https://example.org/photo.jpg"


def test_ctrl_wheel_zooms_the_pane(pane) -> None:
    before = pane.font_size()
    event = QWheelEvent(QPointF(5, 5), QPointF(5, 5), QPoint(0, 0), QPoint(0, 120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(pane.editor.viewport(), event)
    assert pane.font_size() == before + 1
