"""Recorded SHA-256 of bundle files, trusted while the file is unchanged, so a save need not re-read every image.

A record pairs a hash with the file's stamp (device, inode, size, modification time) taken when the hash became
known: when the bundle was opened (from info.json, see trust_on_open) or when the file was written by a save.
While the stamp still matches, the bytes are those the hash was taken of; once anything differs, the bytes are
read and hashed again. This is the same evidence the outside-change guard (bundle_fingerprint) relies on.

In a TextPack the stamp is the archive's, and info.json's hash of a member is trusted on open when the member
is no newer than info.json by the archive's own dates (a save writes info.json last; a member changed by another
program afterwards carries a later date).

What this cannot see: another program that changes a picture and then rewrites info.json without updating our
hash, or that keeps the old dates. The stale hash is then written back instead of the save being refused.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from editor.core.model import AssetData
from editor.core.safezip import ZipAssetData

Stamp = tuple[int, int, int, int]  # device, inode, size, mtime_ns

_HEX = re.compile(r"[0-9a-f]{64}")


def stamp_of(info: os.stat_result) -> Stamp:
    """The stamp of a file from its stat result."""
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def file_stamp(path: Path) -> Stamp | None:
    """The stamp of a file (links not followed); None when it cannot be read."""
    try:
        return stamp_of(os.lstat(path))
    except OSError:
        return None


def is_sha256(text: str) -> bool:
    """Whether a string looks like a hex SHA-256 as this program writes it."""
    return bool(_HEX.fullmatch(text))


def trust_on_open(file: Stamp, info_json: Stamp | None) -> bool:
    """Whether info.json's hash of a folder bundle's file may be trusted: the file is no newer than info.json.

    A save writes or links every image first and info.json last, so an image changed by another program
    afterwards is newer than info.json. Equal times count as older: two writes within one clock tick cannot
    be told apart, and a person does not edit an image in the tick after a save.
    """
    return info_json is not None and file[3] <= info_json[3]


class FileAssetData(AssetData):
    """Bytes in a plain file, with the SHA-256 they had while the file had `stamp`."""

    def __init__(self, path: Path, sha256: str = "", stamp: Stamp | None = None) -> None:
        super().__init__(Path(path))
        self._sha256 = sha256 if is_sha256(sha256) else ""
        self._stamp = stamp

    def known_sha256(self) -> str:
        """The recorded hash when the file has not changed since it was recorded; else ""."""
        path = self.path
        if not self._sha256 or self._stamp is None or path is None:
            return ""
        return self._sha256 if file_stamp(path) == self._stamp else ""


class RecordedZipData(ZipAssetData):
    """A zip member whose SHA-256 was recorded while the archive file had `stamp`."""

    def __init__(self, archive: Path, member: str, limit: int, sha256: str = "", stamp: Stamp | None = None) -> None:
        super().__init__(archive, member, limit)
        self._sha256 = sha256 if is_sha256(sha256) else ""
        self._stamp = stamp

    def known_sha256(self) -> str:
        """The recorded hash when the archive has not changed since it was recorded; else ""."""
        if not self._sha256 or self._stamp is None:
            return ""
        return self._sha256 if file_stamp(self._archive) == self._stamp else ""


def known_sha256(data: AssetData) -> str:
    """The SHA-256 of an asset's bytes when a valid record makes reading them unnecessary; else ""."""
    if isinstance(data, FileAssetData | RecordedZipData):
        return data.known_sha256()
    return ""
