"""Thumbnails of the images, made on worker threads and kept by content hash."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtGui import QIcon, QPixmap

from editor.core.errors import EditorError
from editor.core.images import make_thumbnail
from editor.core.model import AssetData, ImageAsset


def asset_key(asset: ImageAsset) -> str:
    """The cache key of an image: its content hash, or where its bytes live when the hash is unknown."""
    return asset.sha256 or f"{asset.name}@{id(asset.data)}"


class _Relay(QObject):
    """Carries a finished thumbnail from a worker thread to the UI thread."""

    done = Signal(str, object)  # key, PNG bytes (empty when the picture could not be read)


def _thumbnail_job(relay: _Relay, key: str, data: AssetData, size: int) -> None:
    try:
        png = make_thumbnail(data.read_bytes(), size)
    except (EditorError, ValueError, OSError, MemoryError):
        png = b""
    # The cache may have been torn down while this ran.
    if shiboken6.isValid(relay):
        relay.done.emit(key, png)


class ThumbnailCache(QObject):
    """Hands out thumbnail icons; a missing one is made in the background and announced by `ready`."""

    ready = Signal(str)  # key of an icon that can now be fetched

    def __init__(self, size: int = 128, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._size = size
        self._icons: dict[str, QIcon] = {}
        self._failed: set[str] = set()
        self._pending: set[str] = set()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)

    def icon(self, asset: ImageAsset) -> QIcon | None:
        """The icon if it is ready; otherwise None, and it is being made."""
        key = asset_key(asset)
        if key in self._icons:
            return self._icons[key]
        if key not in self._pending and key not in self._failed:
            self._pending.add(key)
            relay, data, size = self._relay, asset.data, self._size
            self._pool.start(lambda: _thumbnail_job(relay, key, data, size))
        return None

    def failed(self, asset: ImageAsset) -> bool:
        """Whether the picture could not be read to make a thumbnail."""
        return asset_key(asset) in self._failed

    def wait(self, msecs: int = -1) -> bool:
        """Wait for the running jobs (used when closing)."""
        self._pool.clear()
        return self._pool.waitForDone(msecs)

    def _on_done(self, key: str, png: bytes) -> None:
        self._pending.discard(key)
        pixmap = QPixmap()
        if not png or not pixmap.loadFromData(png, "PNG"):
            self._failed.add(key)
        else:
            self._icons[key] = QIcon(pixmap)
        self.ready.emit(key)
