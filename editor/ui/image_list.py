"""The list of images in the panel: thumbnails, drag to reorder, drop files to import."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QWidget

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp"}
NAME_ROLE = Qt.ItemDataRole.UserRole
KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # "asset" or "missing"
USED_ROLE = Qt.ItemDataRole.UserRole + 2  # bool, for assets
KEY_ROLE = Qt.ItemDataRole.UserRole + 3  # thumbnail cache key
HAS_ICON_ROLE = Qt.ItemDataRole.UserRole + 4  # bool: the thumbnail is shown


def local_image_paths(mime: QMimeData) -> list[Path]:
    """The local image files carried by a drag."""
    if not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [p for p in paths if p.suffix.lower() in IMAGE_SUFFIXES]


class ImageList(QListWidget):
    """Shows one row per image; reordering by drag is reported, not done, so the document decides."""

    files_dropped = Signal(list)  # list[Path]
    move_requested = Signal(str, int)  # asset name, new index

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListWidget.ViewMode.ListMode)
        self.setIconSize(QSize(64, 64))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def asset_count(self) -> int:
        """Rows that are images (the "missing" rows come after them)."""
        return sum(1 for row in range(self.count()) if self.item(row).data(KIND_ROLE) == "asset")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.source() is not self and local_image_paths(event.mimeData()):
            event.acceptProposedAction()
            return
        super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.source() is not self and local_image_paths(event.mimeData()):
            event.acceptProposedAction()
            return
        super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        if event.source() is self:
            self._drop_moved(event)
            return
        paths = local_image_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)
        else:
            event.ignore()

    def target_row(self, event: QDropEvent) -> int:
        """Where a row dropped at this point should go, counting rows before the move."""
        index = self.indexAt(event.position().toPoint())
        count = self.asset_count()
        if not index.isValid() or index.row() >= count:
            return count
        below = self.dropIndicatorPosition() == QAbstractItemView.DropIndicatorPosition.BelowItem
        return index.row() + (1 if below else 0)

    def _drop_moved(self, event: QDropEvent) -> None:
        item = self.currentItem()
        # The widget must not move its own rows: the document is changed and the list rebuilt from it.
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        if item is None or item.data(KIND_ROLE) != "asset":
            return
        current, target = self.row(item), self.target_row(event)
        index = target - 1 if target > current else target
        if index != current:
            self.move_requested.emit(item.data(NAME_ROLE), index)
