"""Review mode closes every other way into the text: paste, drop, images, spelling, replace, restore, formatting."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication, QImage, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from editor.core.bundle import save_bundle
from editor.core.model import Article, ImageAsset, Metadata
from editor.ui import image_actions, panel_dialogs, review_mode, text_commands, versions_ui
from tests.ui.review_helpers import review_window, select
from tests.ui.spelling_window import spelling_window
from tests.ui.window_helpers import HEADLESS_NOISE, Answers, make_settings, patch_dialogs, png_bytes

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)
BODY = "A harbour at dawn.\n\n![Boats](assets/boats.png)\n\nThe end.\n"


@pytest.fixture
def story(tmp_path) -> Path:
    path = tmp_path / "story.textbundle"
    images = [ImageAsset.from_bytes("boats.png", png_bytes("blue"), alt="Boats"),
              ImageAsset.from_bytes("spare.png", png_bytes("green"), alt="Spare")]
    save_bundle(Article(body=BODY, metadata=Metadata(title="Harbour"), assets=images), path)
    return path


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch, story):
    """The story open in review mode."""
    patch_dialogs(monkeypatch, Answers())
    win = review_window(qtbot, make_settings(tmp_path))
    assert win.open_path(story)
    win.features["comments_panel"].review_mode.set_on(True)
    return win


def text(window) -> str:
    return window.document.text_document.toPlainText()


def message(window) -> str:
    return window.statusBar().currentMessage()


def pasted(window) -> list:
    found: list = []
    window.text_pane.editor.images_pasted.connect(found.append)
    return found


def test_paste_of_text_html_or_a_picture_changes_nothing(window, qtbot):
    images = pasted(window)
    select(window, 2, 9)
    window.text_pane.editor.setFocus()
    clipboard = QGuiApplication.clipboard()
    picture = QMimeData()
    picture.setImageData(QImage(4, 4, QImage.Format.Format_RGB32))
    web = QMimeData()
    web.setHtml("<p><b>Bold</b> words</p>")
    web.setText("Bold words")
    plain = QMimeData()
    plain.setText("pasted")
    for data in (plain, web, picture):
        clipboard.setMimeData(data)
        window.commands.paste.trigger()
        assert text(window) == BODY
    assert images == [] and [a.name for a in window.document.assets] == ["boats.png", "spare.png"]
    assert message(window) == review_mode.text_locked_sentence()
    window.commands.cut.trigger()
    assert text(window) == BODY


def test_dropping_an_image_file_on_the_text_changes_nothing(window, tmp_path):
    images = pasted(window)
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes("red"))
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(photo))])
    viewport = window.text_pane.editor.viewport()
    actions = Qt.DropAction.CopyAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(5, 5), actions, data, buttons, keys)
    QApplication.sendEvent(viewport, enter)
    drop = QDropEvent(QPointF(5, 5), actions, data, buttons, keys)
    QApplication.sendEvent(viewport, drop)
    assert images == [] and text(window) == BODY
    # Qt itself already turns the drag away from a read-only editor; the editor's own guard must hold too
    # when a drop reaches it anyway (another platform, another Qt version).
    window.text_pane.editor.dropEvent(QDropEvent(QPointF(5, 5), actions, data, buttons, keys))
    assert images == [] and text(window) == BODY
    assert message(window) == review_mode.text_locked_sentence()


def test_insert_at_caret_from_the_images_panel_is_refused(window):
    panel = window.images_panel
    panel.select("spare.png")
    panel.insert_action.trigger()
    panel.list.setFocus()
    QTest.keyClick(panel.list, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert text(window) == BODY
    assert message(window) == review_mode.text_locked_sentence()


def test_an_image_the_text_shows_cannot_be_renamed_but_an_unused_one_can(window, monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(panel_dialogs, "ask_text", lambda _p, _t, _l, old: asked.append(old) or "renamed")
    panel = window.images_panel
    panel.select("boats.png")
    panel.rename_action.trigger()
    assert asked == [] and text(window) == BODY
    assert window.document.asset("boats.png") is not None
    assert message(window) == image_actions.rename_refusal(window.document, "boats.png")
    image_actions.rename_everywhere(window.document, "boats.png", "ships.png")  # the backstop below the panel
    assert text(window) == BODY and window.document.asset("ships.png") is None
    panel.select("spare.png")
    panel.rename_action.trigger()
    assert window.document.asset("renamed.png") is not None and text(window) == BODY


def test_replacing_a_shown_image_by_another_format_is_refused(window):
    jpeg = ImageAsset.from_bytes("photo.jpg", b"\xff\xd8 not really a jpeg")
    assert image_actions.replace_refusal(window.document, "boats.png", jpeg) is not None
    assert image_actions.replace_file(window.document, "boats.png", jpeg) == "boats.png"
    assert text(window) == BODY and window.document.asset("boats.png").sha256 != jpeg.sha256
    same_format = ImageAsset.from_bytes("other.png", png_bytes("red"))
    assert image_actions.replace_file(window.document, "boats.png", same_format) == "boats.png"
    assert window.document.asset("boats.png").sha256 == same_format.sha256 and text(window) == BODY


def test_removing_an_image_leaves_the_text_alone_and_is_allowed(window, monkeypatch):
    monkeypatch.setattr(panel_dialogs, "ask_yes_no", lambda *_args: True)
    window.images_panel.select("boats.png")
    window.images_panel.remove_action.trigger()
    assert window.document.asset("boats.png") is None and text(window) == BODY
    window.commands.undo.trigger()  # not a text change, so review mode lets it be undone
    assert window.document.asset("boats.png") is not None


def test_replace_and_replace_all_in_an_open_find_bar_change_nothing(window):
    pane = window.text_pane
    pane.find_bar.open_find(replace=True)  # opened directly: the menu's Replace is off in review mode
    pane.find_bar.find_field.setText("harbour")
    pane.find_bar.replace_field.setText("port")
    pane.find_bar.replace_all_button.click()
    pane.find_bar.replace_button.click()
    assert text(window) == BODY
    assert pane.find_bar.status_label.text() == "The text is read-only; nothing was replaced."
    assert not pane.replace_action.isEnabled()


def test_formatting_changes_nothing_by_key_or_by_command(window):
    editor = window.text_pane.editor
    select(window, 2, 9)
    editor.setFocus()
    QTest.keyClick(editor, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    cursor = editor.textCursor()
    text_commands.toggle_inline(cursor, "**", "bold")
    text_commands.apply_heading(cursor, 2)
    text_commands.apply_prefix(cursor, text_commands.QUOTE)
    text_commands.apply_link(cursor, "https://example.org")
    assert text(window) == BODY


def test_restoring_a_version_with_another_text_is_refused(window, monkeypatch):
    monkeypatch.setattr(versions_ui, "ask_version_name", lambda _parent, _suggested: "first")
    versions = window.features["versions_ui"]
    review = window.features["comments_panel"].review_mode
    review.set_on(False)
    info = versions.save_version_dialog()
    cursor = QTextCursor(window.document.text_document)
    cursor.insertText("Later: ")
    later = text(window)
    review.set_on(True)
    assert versions.restore(info.id) is False
    assert text(window) == later
    assert [v.name for v in versions.list_versions()] == ["first"]  # nothing kept for a restore that did not happen
    assert message(window) == "The text cannot be changed in review mode; turn review mode off to restore this version."


def test_a_spelling_suggestion_is_not_offered_and_not_applied(qtbot, tmp_path, monkeypatch):
    patch_dialogs(monkeypatch, Answers())
    window = spelling_window(qtbot, tmp_path, monkeypatch)
    checker = window.features["spelling"]
    window.text_pane.editor.setPlainText("Hello wrold")
    qtbot.waitUntil(lambda: checker.dictionary() is not None and not checker.is_loading())
    where = text(window).index("wrold") + 1
    menu = checker.menu.menu_at(where, QPoint(1, 1))  # opened before review mode came on
    window.features["comments_panel"].review_mode.set_on(True)
    next(a for a in menu.actions() if a.text() == "world").trigger()
    assert text(window) == "Hello wrold"
    assert message(window) == review_mode.text_locked_sentence()
    menu.deleteLater()
    again = checker.menu.menu_at(where, QPoint(1, 1))
    assert [a for a in again.actions() if a.objectName() == "spelling-suggestion"] == []
    again.deleteLater()


def test_pictures_imported_for_insertion_as_review_mode_comes_on_are_added_but_not_inserted(window):
    from editor.ui.image_import import ImportOutcome

    panel = window.images_panel
    arrived = ImageAsset.from_bytes("late.png", png_bytes("blue"), width=8, height=6)
    panel._on_imported(window.document, True, ImportOutcome(assets=[arrived]))  # the import ends now
    assert "late.png" in [a.name for a in window.document.assets]
    assert text(window) == BODY
    assert message(window) == review_mode.text_locked_sentence()
