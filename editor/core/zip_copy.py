"""Copying entries from a checked archive into one being written, as stored bytes: nothing is decompressed,
recompressed or decoded, so saving a TextPack costs about as much as copying its unchanged pictures.

Python's zipfile has no public call for this; the entry is appended the way ZipFile.mkdir appends a folder
entry (local header written at the end of the data, record added to the central directory), with the
compressed size, CRC-32 and method taken from the source's checked central directory.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

from editor.core.errors import BundleError
from editor.core.safezip import SafeZip

_CHUNK = 8 * 1024 * 1024


def _copy_bytes(source: IO[bytes], offset: int, length: int, dest: IO[bytes]) -> None:
    """Copy `length` bytes from `offset` in `source` to the end of `dest`, inside the kernel where it can."""
    dest.flush()
    start = dest.tell()
    done = 0
    kernel = getattr(os, "copy_file_range", None)
    if kernel is not None:
        try:
            while done < length:
                count = kernel(source.fileno(), dest.fileno(), length - done, offset + done, start + done)
                if count <= 0:
                    break
                done += count
        except OSError:
            pass  # another file system or an old kernel: the plain loop below goes on from `done`
    source.seek(offset + done)
    dest.seek(start + done)
    while done < length:
        chunk = source.read(min(_CHUNK, length - done))
        if not chunk:
            raise BundleError("An archive entry ends early; the archive is truncated.")
        dest.write(chunk)
        done += len(chunk)
    dest.seek(start + length)


def copy_entry(source: SafeZip, member: str, archive: zipfile.ZipFile, name: str) -> None:
    """Append `member` of `source` to `archive` under `name`, byte for byte as stored (compressed or not)."""
    old = source.info(member)
    offset, length = source.data_span(member)
    entry = zipfile.ZipInfo(name, date_time=old.date_time)
    entry.compress_type = old.compress_type
    entry.CRC = old.CRC
    entry.compress_size = old.compress_size
    entry.file_size = old.file_size
    entry.external_attr = 0o600 << 16  # as ZipFile.writestr gives its entries
    handle = archive.fp
    if handle is None or archive.mode not in ("w", "a") or getattr(archive, "_writing", False):
        raise ValueError("copy_entry needs an archive open for writing with no entry being written.")
    zip64 = max(entry.file_size, entry.compress_size) > zipfile.ZIP64_LIMIT
    # The same steps as ZipFile.mkdir, which has no sibling for copying stored bytes.
    with archive._lock:
        handle.seek(archive.start_dir)
        entry.header_offset = handle.tell()
        archive._writecheck(entry)
        archive._didModify = True
        handle.write(entry.FileHeader(zip64))
        # A failed read or write is an OSError or BundleError; the caller's atomic file is then discarded.
        _copy_bytes(source.raw_file(), offset, length, handle)
        archive.filelist.append(entry)
        archive.NameToInfo[entry.filename] = entry
        archive.start_dir = handle.tell()


class ArchiveSources:
    """The archives a save copies entries from, each opened (and checked) once and closed at the end."""

    def __init__(self, stack: ExitStack) -> None:
        self._stack = stack
        self._open: dict[Path, SafeZip | None] = {}

    def get(self, path: Path) -> SafeZip | None:
        """The checked archive at `path`; None when it cannot be opened (the caller then reads the bytes)."""
        path = Path(path)
        if path not in self._open:
            try:
                self._open[path] = self._stack.enter_context(SafeZip(path))
            except BundleError:
                self._open[path] = None
        return self._open[path]


@contextmanager
def archive_sources() -> Iterator[ArchiveSources]:
    """Archives to copy from during one save; all are closed when the save ends."""
    with ExitStack() as stack:
        yield ArchiveSources(stack)
