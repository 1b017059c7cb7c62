"""The images panel: importing, thumbnails, details, actions and marks, all through the shared undo stack."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QEvent, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from editor.core.model import Article, ImageAsset
from editor.ui import panel_dialogs
from editor.ui.document import ArticleDocument
from editor.ui.image_list import KIND_ROLE, NAME_ROLE, USED_ROLE
from editor.ui.images_panel import ImagesPanel
from editor.ui.preferences import Preferences
from tests.ui.window_helpers import HEADLESS_NOISE


def picture(fmt: str = "PNG", size: tuple[int, int] = (40, 30), colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt)
    return out.getvalue()


def asset(name: str, **fields: str) -> ImageAsset:
    fmt = "JPEG" if name.endswith(".jpg") else "PNG"
    return ImageAsset.from_bytes(name, picture(fmt), width=40, height=30, **fields)


@pytest.fixture
def make_panel(qtbot):
    def make(body: str = "", assets: list[ImageAsset] | None = None) -> ImagesPanel:
        document = ArticleDocument(Article(body=body, assets=list(assets or [])))
        panel = ImagesPanel(document, Preferences())
        # A dialog shown on the offscreen platform logs warnings; its appearance is not what is tested here.
        panel.importer.progress_delay_ms = 600_000
        qtbot.addWidget(panel)
        return panel
    return make


@pytest.fixture
def problems(monkeypatch) -> list[list[str]]:
    shown: list[list[str]] = []
    monkeypatch.setattr(panel_dialogs, "show_problems", lambda parent, title, messages: shown.append(list(messages)))
    return shown


def row_of(panel: ImagesPanel, kind: str, name: str):
    for row in range(panel.list.count()):
        item = panel.list.item(row)
        if item.data(KIND_ROLE) == kind and item.data(NAME_ROLE) == name:
            return item
    return None


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_import_sources_adds_the_batch_as_one_undo_step(make_panel, qtbot, tmp_path, problems):
    panel = make_panel()
    files = [write(tmp_path, "Harbour At Dawn.png", picture()), write(tmp_path, "crowd.jpg", picture("JPEG"))]
    with qtbot.waitSignal(panel.import_finished):
        panel.import_sources(files)
    document = panel._document
    assert [a.name for a in document.assets] == ["harbour-at-dawn.png", "crowd.jpg"]
    assert problems == []
    document.undo_stack.undo()
    assert document.assets == []
    assert panel.list.count() == 0


def test_thumbnails_arrive_after_the_list_is_shown(make_panel, qtbot):
    panel = make_panel(assets=[asset("a.png"), asset("b.jpg")])
    assert panel.list.count() == 2  # the rows are there at once
    qtbot.waitUntil(lambda: panel.has_thumbnail("a.png") and panel.has_thumbnail("b.jpg"))
    assert not panel.list.item(0).icon().isNull()


def test_unreadable_picture_gets_a_warning_icon_instead_of_a_thumbnail(make_panel, qtbot):
    broken = ImageAsset.from_bytes("broken.png", b"\x89PNG\r\n\x1a\n not really")
    panel = make_panel(assets=[broken])
    qtbot.waitUntil(lambda: panel.thumbnails.failed(broken))
    assert not panel.has_thumbnail("broken.png")


def test_a_broken_picture_is_reported_once_and_the_others_still_go_in(make_panel, qtbot, tmp_path, problems):
    panel = make_panel()
    files = [
        write(tmp_path, "good.png", picture()),
        write(tmp_path, "broken.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 40),
        write(tmp_path, "empty.jpg", b""),
    ]
    with qtbot.waitSignal(panel.import_finished):
        panel.import_sources(files)
    assert [a.name for a in panel._document.assets] == ["good.png"]
    assert len(problems) == 1
    assert len(problems[0]) == 2
    assert all(message.endswith(".") for message in problems[0])


def test_pasted_data_with_insert_asks_for_the_reference(make_panel, qtbot, problems):
    panel = make_panel(assets=[asset("pasted-image.png")])
    inserted: list[str] = []
    panel.insert_requested.connect(inserted.append)
    with qtbot.waitSignal(panel.import_finished):
        panel.import_sources([picture()], insert=True)
    assert inserted == ["![](assets/pasted-image-2.png)"]
    assert panel.selected_name() == "pasted-image-2.png"


def test_cancelling_the_progress_dialog_adds_nothing(make_panel, qtbot, tmp_path, problems):
    panel = make_panel()
    gate = threading.Event()
    panel.importer.pool.start(lambda: gate.wait(30))  # holds the single import thread
    try:
        panel.import_sources([write(tmp_path, "one.png", picture()), write(tmp_path, "two.png", picture())])
        dialog = panel.findChild(QProgressDialog)
        assert dialog is not None
        dialog.findChild(QPushButton).click()
    finally:
        gate.set()
    with qtbot.waitSignal(panel.import_finished):
        pass
    assert panel._document.assets == []
    assert panel._document.undo_stack.count() == 0


def test_editing_the_caption_updates_the_document_and_one_undo_restores_it(make_panel, qtbot):
    panel = make_panel(assets=[asset("a.png", caption="Old")])
    panel.select("a.png")
    edit = panel.details.caption_edit
    assert edit.toPlainText() == "Old"
    edit.selectAll()
    qtbot.keyClicks(edit, "Putin meets Choe")
    document = panel._document
    assert document.asset("a.png").caption == "Putin meets Choe"
    steps = document.undo_stack.count()
    document.undo_stack.undo()
    assert document.asset("a.png").caption == "Old"
    assert edit.toPlainText() == "Old"
    assert document.undo_stack.count() == steps  # refreshing the field pushed nothing
    assert "Old" in panel.list.item(0).text()


def test_empty_alt_text_shows_the_screen_reader_hint(make_panel, qtbot):
    panel = make_panel(assets=[asset("a.png")])
    panel.select("a.png")
    assert not panel.details.alt_hint.isHidden()
    qtbot.keyClicks(panel.details.alt_edit, "A harbour")
    assert panel.details.alt_hint.isHidden()
    assert panel._document.asset("a.png").alt == "A harbour"


def test_details_show_pixel_and_file_size(make_panel):
    panel = make_panel(assets=[asset("a.png")])
    panel.select("a.png")
    assert "40 × 30" in panel.details.info_label.text()
    assert "bytes" in panel.details.info_label.text()


def test_remove_asks_first_when_the_text_uses_the_image(make_panel, monkeypatch):
    panel = make_panel(body="![](assets/a.png)", assets=[asset("a.png")])
    questions: list[str] = []

    def answer(parent, title, question):
        questions.append(question)
        return False

    monkeypatch.setattr(panel_dialogs, "ask_yes_no", answer)
    panel.select("a.png")
    panel.remove_action.trigger()
    assert len(questions) == 1
    assert panel._document.asset("a.png") is not None
    monkeypatch.setattr(panel_dialogs, "ask_yes_no", lambda *args: True)
    panel.remove_action.trigger()
    assert panel._document.asset("a.png") is None


def test_remove_of_an_unused_image_does_not_ask_and_clears_the_featured_image(make_panel, monkeypatch):
    panel = make_panel(assets=[asset("a.png")])
    panel._document.set_metadata("featured_image", "a.png")
    monkeypatch.setattr(panel_dialogs, "ask_yes_no", lambda *args: pytest.fail("asked"))
    panel.select("a.png")
    panel.remove_selected()
    assert panel._document.assets == []
    assert panel._document.metadata.featured_image == ""


def test_rename_updates_references_in_the_text_in_one_undo_step(make_panel, monkeypatch):
    panel = make_panel(body="Intro ![A boat](assets/a.png) end", assets=[asset("a.png")])
    monkeypatch.setattr(panel_dialogs, "ask_text", lambda *args: "harbour")
    panel.select("a.png")
    panel.rename_action.trigger()
    document = panel._document
    assert [a.name for a in document.assets] == ["harbour.png"]
    assert document.text_document.toPlainText() == "Intro ![A boat](assets/harbour.png) end"
    assert panel.selected_name() == "harbour.png"
    document.undo_stack.undo()
    assert [a.name for a in document.assets] == ["a.png"]
    assert document.text_document.toPlainText() == "Intro ![A boat](assets/a.png) end"


@pytest.mark.parametrize("typed", ["Bad Name.png", "b.png", "a.jpg", "../up.png"])
def test_rename_refuses_unsafe_taken_or_other_extension_names(make_panel, monkeypatch, problems, typed):
    panel = make_panel(assets=[asset("a.png"), asset("b.png")])
    answers = iter([typed, None])
    monkeypatch.setattr(panel_dialogs, "ask_text", lambda *args: next(answers))
    panel.select("a.png")
    panel.rename_selected()
    assert len(problems) == 1
    assert [a.name for a in panel._document.assets] == ["a.png", "b.png"]


def test_unused_images_and_missing_references_are_marked(make_panel, qtbot):
    panel = make_panel(body="![](assets/a.png)\n![](assets/ghost.png)", assets=[asset("a.png"), asset("b.png")])
    assert row_of(panel, "asset", "a.png").data(USED_ROLE) is True
    unused = row_of(panel, "asset", "b.png")
    assert unused.data(USED_ROLE) is False
    assert unused.font().italic()
    assert "unused" in unused.text()
    assert row_of(panel, "missing", "ghost.png").text() == "Missing: ghost.png"
    panel._document.text_document.setPlainText("![](assets/b.png)")
    qtbot.waitUntil(lambda: row_of(panel, "missing", "ghost.png") is None)
    assert row_of(panel, "asset", "b.png").data(USED_ROLE) is True
    assert row_of(panel, "asset", "a.png").data(USED_ROLE) is False


def test_double_click_jumps_to_the_first_use(make_panel, qtbot):
    body = "Intro\n\n![x](assets/a.png) and ![y](assets/a.png)"
    panel = make_panel(body=body, assets=[asset("a.png")])
    item = row_of(panel, "asset", "a.png")
    with qtbot.waitSignal(panel.jump_to_offset) as blocker:
        panel.list.itemDoubleClicked.emit(item)
    assert blocker.args == [body.index("![x]")]


def test_insert_at_caret_emits_the_reference_with_alt_text(make_panel, qtbot):
    panel = make_panel(assets=[asset("my photo.png", alt="A [boat]")])
    panel.select("my photo.png")
    with qtbot.waitSignal(panel.insert_requested) as blocker:
        panel.insert_action.trigger()
    assert blocker.args == ["![A \\[boat\\]](assets/my%20photo.png)"]


def test_move_down_and_up_reorder_the_document(make_panel):
    panel = make_panel(assets=[asset("a.png"), asset("b.png"), asset("c.png")])
    panel.select("a.png")
    assert not panel.up_action.isEnabled()
    panel.down_action.trigger()
    assert [a.name for a in panel._document.assets] == ["b.png", "a.png", "c.png"]
    assert panel.selected_name() == "a.png"
    panel.up_action.trigger()
    assert [a.name for a in panel._document.assets] == ["a.png", "b.png", "c.png"]


def test_replace_file_keeps_the_words_and_follows_a_new_extension(make_panel, qtbot, tmp_path, monkeypatch):
    panel = make_panel(body="![](assets/a.png)", assets=[asset("a.png", caption="Boat", credit="photo by X")])
    new_file = write(tmp_path, "other.jpg", picture("JPEG", (80, 60)))
    monkeypatch.setattr(panel_dialogs, "choose_image_files", lambda parent, multiple: [new_file])
    panel.select("a.png")
    with qtbot.waitSignal(panel.import_finished):
        panel.replace_action.trigger()
    document = panel._document
    replaced = document.asset("a.jpg")
    assert replaced is not None
    assert (replaced.caption, replaced.credit, replaced.width) == ("Boat", "photo by X", 80)
    assert document.text_document.toPlainText() == "![](assets/a.jpg)"
    document.undo_stack.undo()
    assert [a.name for a in document.assets] == ["a.png"]
    assert document.text_document.toPlainText() == "![](assets/a.png)"


def test_add_images_button_imports_the_chosen_files(make_panel, qtbot, tmp_path, monkeypatch):
    panel = make_panel()
    chosen = [write(tmp_path, "x.png", picture())]
    monkeypatch.setattr(panel_dialogs, "choose_image_files", lambda parent, multiple: chosen)
    with qtbot.waitSignal(panel.import_finished):
        panel.buttons["Add Images…"].click()
    assert [a.name for a in panel._document.assets] == ["x.png"]


def test_dropping_image_files_on_the_list_imports_them(make_panel, qtbot, tmp_path):
    panel = make_panel()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(write(tmp_path, "drop.png", picture()))),
                  QUrl.fromLocalFile(str(write(tmp_path, "notes.txt", b"hello")))])
    event = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(panel.import_finished):
        panel.list.dropEvent(event)
    assert [a.name for a in panel._document.assets] == ["drop.png"]


def test_set_document_shows_the_other_documents_images(make_panel):
    panel = make_panel(assets=[asset("a.png")])
    panel.set_document(ArticleDocument(Article(assets=[asset("z.png")])))
    assert [panel.list.item(r).data(NAME_ROLE) for r in range(panel.list.count())] == ["z.png"]


def test_ctrl_z_in_a_details_field_is_left_to_the_shared_undo(make_panel, qtbot):
    panel = make_panel(assets=[asset("a.png", credit="X")])
    panel.select("a.png")
    for edit in panel.details.edits():
        event = QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        QApplication.sendEvent(edit, event)
        assert not event.isAccepted()
    qtbot.keyClicks(panel.details.credit_edit, "Y")
    qtbot.keyClick(panel.details.credit_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel._document.asset("a.png").credit == "X"
    assert panel.details.credit_edit.text() == "X"


# --- many photos -----------------------------------------------------------------------------


def photos(count: int) -> list[ImageAsset]:
    return [ImageAsset.from_bytes(f"photo-{i:02d}.jpg", picture("JPEG", (600, 400), (i * 20, 90, 200 - i * 10)),
                                  width=600, height=400) for i in range(count)]


def test_many_photos_show_placeholders_at_once_then_their_thumbnails(make_panel, qtbot):
    many = photos(10)
    panel = make_panel(body="".join(f"![x](assets/{a.name})\n" for a in many), assets=many)
    # Thumbnails reach the list only through the event loop, so right after opening every row is a placeholder.
    assert panel.list.count() == 10
    assert not any(panel.has_thumbnail(a.name) for a in many)
    assert all(not panel.list.item(row).icon().isNull() for row in range(10))
    qtbot.waitUntil(lambda: all(panel.has_thumbnail(a.name) for a in many))


def test_unchanged_rows_keep_their_thumbnails_when_the_marks_are_refreshed(make_panel, qtbot):
    many = photos(3)
    panel = make_panel(body=f"![x](assets/{many[0].name})\n", assets=many)
    qtbot.waitUntil(lambda: all(panel.has_thumbnail(a.name) for a in many))
    panel._document.text_document.setPlainText(f"![x](assets/{many[1].name})\n")
    panel.refresh_marks()
    assert row_of(panel, "asset", many[0].name).data(USED_ROLE) is False
    assert row_of(panel, "asset", many[1].name).data(USED_ROLE) is True
    assert "unused" in row_of(panel, "asset", many[0].name).text()
    assert all(panel.has_thumbnail(a.name) for a in many)


def test_another_document_drops_the_old_thumbnail_queue(make_panel, qtbot):
    panel = make_panel(assets=photos(8))
    other = ArticleDocument(Article(assets=[asset("new.png")]))
    panel.set_document(other)
    qtbot.waitUntil(lambda: panel.has_thumbnail("new.png"))


def test_thumbnails_can_be_kept_in_a_folder(qtbot, tmp_path):
    folder = tmp_path / "thumbs"
    document = ArticleDocument(Article(assets=photos(2)))
    panel = ImagesPanel(document, Preferences(), thumbnail_folder=folder)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: all(panel.has_thumbnail(a.name) for a in document.assets))
    panel.shutdown()
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{a.sha256}-128.png" for a in document.assets)


@pytest.fixture
def windows_deleted():
    """Windows made by the test are deleted when it ends (web views before their profiles)."""
    from tests.ui.window_helpers import delete_windows

    yield
    delete_windows()


@pytest.mark.qt_log_ignore(*HEADLESS_NOISE)
def test_opening_a_bundle_in_the_window_reads_no_picture_on_the_ui_thread(qtbot, tmp_path, monkeypatch,
                                                                          windows_deleted):
    from PIL import ImageFile

    from editor.core.bundle import save_bundle
    from editor.core.model import AssetData
    from tests.ui.window_helpers import Answers, make_settings, make_window, patch_dialogs

    many = photos(8)
    path = tmp_path / "photos.textbundle"
    save_bundle(Article(body="".join(f"![x](assets/{a.name})\n" for a in many), assets=many), path)
    patch_dialogs(monkeypatch, Answers())
    window = make_window(qtbot, make_settings(tmp_path))
    on_ui_thread: list[str] = []

    def spy(name, real):
        def wrapper(self, *args, **kwargs):
            if threading.current_thread() is threading.main_thread():
                on_ui_thread.append(name)
            return real(self, *args, **kwargs)
        return wrapper

    monkeypatch.setattr(AssetData, "read_bytes", spy("read", AssetData.read_bytes))
    monkeypatch.setattr(ImageFile.ImageFile, "load", spy("decode", ImageFile.ImageFile.load))
    assert window.open_path(path)
    assert window.text_pane.editor.toPlainText().startswith("![x](assets/photo-00.jpg)")
    assert window.images_panel.list.count() == 8
    assert on_ui_thread == []
    qtbot.waitUntil(lambda: all(window.images_panel.has_thumbnail(a.name) for a in many), timeout=20_000)
