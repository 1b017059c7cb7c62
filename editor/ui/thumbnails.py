"""Thumbnails of the images, made on worker threads and kept by content hash (in memory, optionally on disk).

Nothing here decodes a picture on the UI thread: a worker reads the bytes, scales them down (libjpeg decodes
large JPEGs at reduced size) and turns the result into a QImage; the UI thread only wraps it in an icon.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap

from editor.core.atomic import atomic_write_bytes
from editor.core.bundle_hashes import is_sha256
from editor.core.errors import EditorError
from editor.core.images import make_thumbnail
from editor.core.model import AssetData, ImageAsset

MAX_ICONS = 2000  # icons kept in memory; the oldest go first beyond this
MAX_DISK_FILES = 5000  # thumbnails kept in a disk cache (about 30 KB each); the least recently used go first
_MAX_CACHED_FILE = 4 * 1024 * 1024
_PNG_START = b"\x89PNG\r\n\x1a\n"
_PNG_END = b"IEND\xaeB`\x82"
_CACHE_NAME = re.compile(r"[0-9a-f]{64}-[0-9]+\.png")


def asset_key(asset: ImageAsset) -> str:
    """The cache key of an image: its content hash, or where its bytes live when the hash is unknown."""
    return asset.sha256 or f"{asset.name}@{id(asset.data)}"


def disk_name(sha256: str, size: int) -> str | None:
    """The file name of a thumbnail in a disk cache: by content hash and size; None without a usable hash."""
    return f"{sha256}-{size}.png" if is_sha256(sha256) else None


class _Relay(QObject):
    """Carries a finished thumbnail from a worker thread to the UI thread."""

    done = Signal(str, object)  # key, QImage (null when the picture could not be read)


def _cached_png(path: Path | None) -> bytes:
    """A thumbnail from the disk cache, or b"" when there is none or it is not a whole PNG file."""
    if path is None:
        return b""
    try:
        with open(path, "rb") as handle:
            png = handle.read(_MAX_CACHED_FILE + 1)
    except OSError:
        return b""
    if len(png) > _MAX_CACHED_FILE or not png.startswith(_PNG_START) or not png.endswith(_PNG_END):
        return b""
    with contextlib.suppress(OSError):
        os.utime(path)  # marks it as recently used, so pruning keeps it
    return png


def prune_disk_cache(folder: Path, keep: int = MAX_DISK_FILES) -> int:
    """Delete the least recently used thumbnails beyond `keep` from a disk cache; return how many went.

    Only files named like this cache's own (hash-size.png) are ever touched.
    """
    found = []
    with contextlib.suppress(OSError), os.scandir(folder) as listing:
        for entry in listing:
            if _CACHE_NAME.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    found.append((entry.stat(follow_symlinks=False).st_mtime_ns, entry.path))
    found.sort()
    removed = 0
    for _mtime, path in found[: max(0, len(found) - keep)]:
        with contextlib.suppress(OSError):
            os.unlink(path)
            removed += 1
    return removed


def make_thumbnail_image(data: AssetData, size: int, cache_file: Path | None = None) -> QImage:
    """A thumbnail as a QImage (null when the picture cannot be read), from the disk cache when it is there.

    Safe on a worker thread. A new thumbnail is written to `cache_file` atomically; a cache that cannot be
    written is only a missed shortcut.
    """
    image = QImage()
    png = _cached_png(cache_file)
    if png and image.loadFromData(png, "PNG"):
        return image
    try:
        png = make_thumbnail(data.read_bytes(), size)
    except (EditorError, ValueError, OSError, MemoryError):
        return QImage()
    if not image.loadFromData(png, "PNG"):
        return QImage()
    if cache_file is not None:
        with contextlib.suppress(EditorError, OSError):
            atomic_write_bytes(cache_file, png)
    return image


def _thumbnail_job(relay: _Relay, key: str, data: AssetData, size: int, cache_file: Path | None) -> None:
    image = make_thumbnail_image(data, size, cache_file)
    # The cache may have been torn down while this ran.
    if shiboken6.isValid(relay):
        relay.done.emit(key, image)


class ThumbnailCache(QObject):
    """Hands out thumbnail icons; a missing one is made in the background and announced by `ready`.

    With `disk_folder`, thumbnails of pictures with a known hash are also kept there as PNG files named
    by hash and size, so reopening a bundle shows them without decoding the pictures again.
    """

    ready = Signal(str)  # key of an icon that can now be fetched

    def __init__(self, size: int = 128, parent: QObject | None = None, disk_folder: Path | None = None) -> None:
        super().__init__(parent)
        self._size = size
        self._disk_folder = Path(disk_folder) if disk_folder is not None else None
        self._folder_made = False
        self._icons: dict[str, QIcon] = {}
        self._failed: set[str] = set()
        self._pending: set[str] = set()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)
        if self._disk_folder is not None:
            folder = self._disk_folder
            self._pool.start(lambda: prune_disk_cache(folder))

    @property
    def size(self) -> int:
        """The longest side of the thumbnails in pixels."""
        return self._size

    def icon(self, asset: ImageAsset) -> QIcon | None:
        """The icon if it is ready; otherwise None, and it is being made."""
        key = asset_key(asset)
        if key in self._icons:
            return self._icons[key]
        if key not in self._pending and key not in self._failed:
            self._pending.add(key)
            relay, data, size, file = self._relay, asset.data, self._size, self._cache_file(asset)
            self._pool.start(lambda: _thumbnail_job(relay, key, data, size, file))
        return None

    def failed(self, asset: ImageAsset) -> bool:
        """Whether the picture could not be read to make a thumbnail."""
        return asset_key(asset) in self._failed

    def pending_count(self) -> int:
        """Thumbnails asked for and not made yet."""
        return len(self._pending)

    def cancel_pending(self) -> None:
        """Drop the thumbnails not started yet (another document is shown); they are made again when asked."""
        self._pool.clear()
        self._pending.clear()

    def wait(self, msecs: int = -1) -> bool:
        """Wait for the running jobs (used when closing)."""
        self._pool.clear()
        return self._pool.waitForDone(msecs)

    def _cache_file(self, asset: ImageAsset) -> Path | None:
        if self._disk_folder is None:
            return None
        name = disk_name(asset.sha256, self._size)
        if name is None:
            return None
        if not self._folder_made:
            self._folder_made = True
            with contextlib.suppress(OSError):
                self._disk_folder.mkdir(parents=True, exist_ok=True)
        return self._disk_folder / name

    def _on_done(self, key: str, image: QImage) -> None:
        self._pending.discard(key)
        if image.isNull():
            self._failed.add(key)
        else:
            if len(self._icons) >= MAX_ICONS:
                del self._icons[next(iter(self._icons))]
            self._icons[key] = QIcon(QPixmap.fromImage(image))
        self.ready.emit(key)
