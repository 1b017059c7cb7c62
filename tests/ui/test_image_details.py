"""The details of one image: showing without pushing, editing as undo steps, sizes, the alt-text hint."""

import io

from PIL import Image

from editor.core.model import Article, AssetData, ImageAsset
from editor.ui.document import ArticleDocument
from editor.ui.image_details import ImageDetails, describe_file, format_bytes
from editor.ui.undo_keys import UndoKeyFilter


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48)).save(out, "JPEG")
    return out.getvalue()


def make(qtbot, asset: ImageAsset) -> tuple[ImageDetails, ArticleDocument]:
    document = ArticleDocument(Article(assets=[asset]))
    details = ImageDetails(document, UndoKeyFilter(lambda: document.undo_stack))
    qtbot.addWidget(details)
    return details, document


def test_format_bytes():
    assert format_bytes(800) == "800 bytes"
    assert format_bytes(250 * 1024) == "250 KB"
    assert format_bytes(3 * 1024 * 1024 + 400 * 1024) == "3.4 MB"


def test_describe_file_reads_the_size_when_the_asset_does_not_know_it(tmp_path):
    path = tmp_path / "p.jpg"
    data = jpeg()
    path.write_bytes(data)
    text = describe_file(ImageAsset(name="p.jpg", data=AssetData(path)))
    assert text.startswith("64 × 48 pixels")
    assert describe_file(ImageAsset(name="x.jpg", data=AssetData(tmp_path / "gone.jpg"))) == (
        "The image file cannot be read.")


def test_nothing_selected_disables_the_fields(qtbot):
    details, _document = make(qtbot, ImageAsset.from_bytes("a.jpg", jpeg()))
    assert not details.alt_edit.isEnabled()
    assert details.name_label.text() == "No image selected."


def test_showing_an_asset_pushes_nothing_and_each_field_edit_is_undoable(qtbot):
    asset = ImageAsset.from_bytes("a.jpg", jpeg(), credit="photo by TASS", width=64, height=48)
    details, document = make(qtbot, asset)
    details.show_asset(asset)
    assert details.credit_edit.text() == "photo by TASS"
    assert document.undo_stack.count() == 0
    for edit, field in ((details.alt_edit, "alt"), (details.source_edit, "source_url"),
                        (details.licence_edit, "licence")):
        qtbot.keyClicks(edit, "abc")
        assert getattr(document.asset("a.jpg"), field) == "abc"
    assert document.undo_stack.count() == 3  # typing merged into one step per field


def test_alt_hint_follows_the_alt_text(qtbot):
    asset = ImageAsset.from_bytes("a.jpg", jpeg())
    details, document = make(qtbot, asset)
    details.show_asset(asset)
    assert not details.alt_hint.isHidden()
    qtbot.keyClicks(details.alt_edit, "  ")
    assert not details.alt_hint.isHidden()
    qtbot.keyClicks(details.alt_edit, "x")
    assert details.alt_hint.isHidden()
    document.undo_stack.undo()
    details.show_asset(document.asset("a.jpg"))
    assert not details.alt_hint.isHidden()
