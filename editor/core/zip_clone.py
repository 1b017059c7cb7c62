"""Saving a TextPack on a file system with shared extents (Btrfs, XFS): the new pack starts as a clone of the
old one, whose blocks it shares instead of copying them, and only what follows the unchanged pictures at its
front is written anew.

The clone is the save's temporary file, renamed over the old pack like any save, so a crash still leaves the
old pack or the new one whole. Where the file system cannot clone (ext4, tmpfs, FAT, other systems), nothing
here applies and the pack is rewritten as before. Entries are kept only from the pack's first byte on, back to
back, so nothing that lay between or after them (removed pictures, bytes another program left) is carried over.
"""

from __future__ import annotations

import os
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from editor.core.safezip import SafeZip

FICLONE = 0x40049409  # Linux: make a file share all of another file's blocks (ioctl_ficlone(2))
_DATA_DESCRIPTOR = 0x08  # sizes follow the data instead of sitting in the header: the end cannot be checked
_UTF8_NAME = 0x800


def clone_into(source: IO[bytes], dest: IO[bytes]) -> bool:
    """Make the empty file `dest` share all of `source`'s blocks; False (and `dest` empty) where it cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import fcntl

    dest.flush()
    try:
        fcntl.ioctl(dest.fileno(), FICLONE, source.fileno())
        cloned = os.fstat(dest.fileno()).st_size == os.fstat(source.fileno()).st_size
    except OSError:  # EOPNOTSUPP, EXDEV, EINVAL…: no shared extents here; ENOSPC, EDQUOT: no room for it
        cloned = False
    if not cloned:
        # A clone that stopped part-way (a full disk, a quota) may have left some of the old bytes behind.
        dest.seek(0)
        dest.truncate(0)
    return cloned


def can_clone(folder: Path) -> bool:
    """Whether files in `folder` can share blocks, so that a TextPack saved there is cloned (a probe file)."""
    probe = folder / ".clone-probe"
    copy = folder / ".clone-probe-copy"
    try:
        probe.write_bytes(b"probe")
        with open(probe, "rb") as source, open(copy, "w+b") as dest:
            return clone_into(source, dest)
    except OSError:
        return False
    finally:
        probe.unlink(missing_ok=True)
        copy.unlink(missing_ok=True)


def _rewritten_alike(old: SafeZip, info: zipfile.ZipInfo) -> bool:
    """Whether the directory record zipfile writes anew for this entry agrees with the entry's own header.

    zipfile writes a name as ASCII, or else as UTF-8 with the UTF-8 flag; a name another program stored in
    another encoding (the old DOS code page, or UTF-8 only in an extra field) would no longer match.
    """
    stored, flags = old.stored_name(info.filename)
    name = info.filename
    written = name.encode("ascii") if name.isascii() else name.encode("utf-8")
    return (stored == written and flags == info.flag_bits and not flags & _DATA_DESCRIPTOR
            and (name.isascii() or bool(flags & _UTF8_NAME)))


def reusable_front(old: SafeZip, kept_as_is: Callable[[str], bool]) -> tuple[list[str], int]:
    """The entries at the front of `old`, back to back from its first byte, that the new pack keeps byte for
    byte under the same name, and the offset where the last of them ends."""
    infos = sorted((old.info(name) for name in old.names()), key=lambda info: info.header_offset)
    names: list[str] = []
    end = 0
    for info in infos:
        if info.header_offset != end or not kept_as_is(info.filename) or not _rewritten_alike(old, info):
            break
        offset, length = old.data_span(info.filename)
        names.append(info.filename)
        end = offset + length
    return names, end


def keep_front(archive: zipfile.ZipFile, names: list[str], end: int) -> None:
    """Cut an archive opened for appending back to its entries `names`, which end at byte `end`.

    zipfile has no call for dropping entries; its own state is set as its append mode leaves it after reading
    the directory, with the directory start moved to `end`, where the next entry is written.
    """
    handle = archive.fp
    if handle is None or archive.mode != "a":
        raise ValueError("keep_front needs an archive opened for appending.")
    kept = [archive.getinfo(name) for name in names]
    with archive._lock:
        archive.filelist = kept
        archive.NameToInfo = {info.filename: info for info in kept}
        archive.start_dir = end
        archive._didModify = True  # the directory is written again on close, listing only what is kept
        archive.comment = b""  # as a pack written whole has none: nothing of the old end record is kept
        handle.seek(end)
        handle.truncate(end)
