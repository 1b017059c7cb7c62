"""The image list: which drags it takes, and how a dragged row becomes a move request."""

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QListWidgetItem

from editor.ui.image_list import KIND_ROLE, NAME_ROLE, ImageList, local_image_paths


def test_local_image_paths_keeps_local_images_only(tmp_path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "a.JPG")), QUrl.fromLocalFile(str(tmp_path / "b.txt")),
                  QUrl("https://example.org/c.png")])
    assert local_image_paths(mime) == [Path(tmp_path / "a.JPG")]
    assert local_image_paths(QMimeData()) == []


def test_asset_count_leaves_out_missing_rows(qtbot):
    view = ImageList()
    qtbot.addWidget(view)
    for kind, name in (("asset", "a.png"), ("asset", "b.png"), ("missing", "c.png")):
        item = QListWidgetItem(name)
        item.setData(KIND_ROLE, kind)
        item.setData(NAME_ROLE, name)
        view.addItem(item)
    assert view.asset_count() == 2


def test_dropping_a_dragged_row_on_another_row_requests_a_move_and_moves_nothing(qtbot):
    view = ImageList()
    qtbot.addWidget(view)
    view.resize(300, 400)
    for name in ("a.png", "b.png", "c.png"):
        item = QListWidgetItem(name)
        item.setData(KIND_ROLE, "asset")
        item.setData(NAME_ROLE, name)
        view.addItem(item)
    view.doItemsLayout()
    view.setCurrentRow(0)
    moves: list[tuple[str, int]] = []
    view.move_requested.connect(lambda name, index: moves.append((name, index)))
    where = QPointF(view.visualItemRect(view.item(2)).center())
    event = QDropEvent(where, Qt.DropAction.MoveAction, QMimeData(), Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    view._drop_moved(event)
    assert moves == [("a.png", 1)]
    assert event.dropAction() == Qt.DropAction.IgnoreAction
    assert [view.item(r).text() for r in range(3)] == ["a.png", "b.png", "c.png"]
