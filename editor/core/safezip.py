"""Reading zip archives from strangers: every entry is checked from the central directory before any data is read."""

from __future__ import annotations

import itertools
import re
import stat
import struct
import zipfile
import zlib
from pathlib import Path
from typing import IO, Any

from editor.core.errors import BundleError, EditorError, UnsafeArchiveError
from editor.core.model import AssetData

MAX_ENTRIES = 10_000
MAX_TOTAL_SIZE = 2 * 1024**3  # uncompressed bytes in the whole archive
MAX_RATIO = 200  # uncompressed : compressed, for entries bigger than RATIO_FLOOR
RATIO_FLOOR = 1024**2
ALLOWED_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)

# What zipfile raises on damaged data: bad headers, bad CRCs, broken deflate streams, short files, flag bits
# it does not support (which a damaged header can claim).
ZIP_READ_ERRORS = (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error, struct.error, NotImplementedError)
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CHUNK = 1024 * 1024


def _raw_name(info: zipfile.ZipInfo) -> bytes:
    # zipfile decoded the central-directory name as UTF-8 (flag 0x800) or CP437; both encodings round-trip.
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    try:
        return info.orig_filename.encode(encoding)
    except UnicodeEncodeError:
        return info.orig_filename.encode("utf-8", "surrogateescape")


def shown_name(name: str) -> str:
    """An entry name as a one-line message can show it: control characters (newlines, NUL…) as escapes."""
    return _CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), name) or "(empty)"


def check_entry_name(name: str) -> str | None:
    """Why an entry name is unsafe, as a short phrase, or None when it is fine."""
    if not name:
        return "has an empty name"
    if "\x00" in name:
        return "has a NUL byte in its name"
    if "\\" in name:
        return "has a backslash in its name"
    if name.startswith("/"):
        return "has an absolute path"
    if _DRIVE.match(name):
        return "names a drive letter"
    if ".." in name.split("/"):
        return "points outside the archive with “..”"
    return None


def _check_infos(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ENTRIES:
        raise UnsafeArchiveError(f"The archive has {len(infos)} entries, more than the limit of {MAX_ENTRIES}.")
    seen: dict[str, str] = {}
    total = 0
    for info in infos:
        name = info.orig_filename
        shown = shown_name(name)
        problem = check_entry_name(name)
        if problem:
            raise UnsafeArchiveError(f"The archive entry “{shown}” {problem}.")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise UnsafeArchiveError(f"The archive entry “{shown}” is a symbolic link.")
        if info.flag_bits & 0x1:
            raise UnsafeArchiveError(f"The archive entry “{shown}” is encrypted.")
        if info.compress_type not in ALLOWED_METHODS:
            raise UnsafeArchiveError(
                f"The archive entry “{shown}” uses compression method {info.compress_type}, which is not supported."
            )
        folded = name.casefold()
        if folded in seen:
            raise UnsafeArchiveError(f"The archive holds “{shown}” twice (as “{seen[folded]}” too).")
        seen[folded] = shown
        total += info.file_size
        if total > MAX_TOTAL_SIZE:
            raise UnsafeArchiveError(f"The archive expands to more than {MAX_TOTAL_SIZE // 1024**3} GiB at “{shown}”.")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UnsafeArchiveError(f"The archive entry “{shown}” is compressed suspiciously well (a zip bomb).")


def _check_layout(handle: IO[bytes], infos: list[zipfile.ZipInfo], data_end: int) -> None:
    """Compare every local header with the central directory and refuse entries whose bytes overlap."""
    spans = []
    for info in infos:
        shown = shown_name(info.orig_filename)
        handle.seek(info.header_offset)
        header = handle.read(_LOCAL_HEADER.size)
        if len(header) < _LOCAL_HEADER.size or header[:4] != _LOCAL_SIGNATURE:
            raise BundleError(f"The archive is damaged: the entry “{shown}” has no local header.")
        fields = _LOCAL_HEADER.unpack(header)
        name_len, extra_len = fields[-2], fields[-1]
        local_name = handle.read(name_len)
        if local_name != _raw_name(info):
            raise UnsafeArchiveError(f"The archive entry “{shown}” has a different name in its local header.")
        start = info.header_offset
        end = start + _LOCAL_HEADER.size + name_len + extra_len + info.compress_size
        if end > data_end:
            raise BundleError(f"The archive is truncated: the entry “{shown}” ends past its data.")
        spans.append((start, end, shown))
    spans.sort()
    for (_, prev_end, prev_name), (start, _, name) in itertools.pairwise(spans):
        if start < prev_end:
            raise UnsafeArchiveError(f"The archive entries “{prev_name}” and “{name}” overlap (a zip bomb).")


class SafeZip:
    """A zip archive whose entries passed every safety check; members are read with their declared size enforced."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, struct.error, NotImplementedError):
            raise BundleError(f"“{self.path.name}” is not a readable zip archive (it may be truncated).") from None
        except OSError as exc:
            raise BundleError(f"“{self.path.name}” cannot be opened ({exc.strerror or exc}).") from None
        try:
            infos = self._zip.infolist()
            _check_infos(infos)
            assert self._zip.fp is not None
            _check_layout(self._zip.fp, infos, self._zip.start_dir)
        except BaseException:
            self._zip.close()
            raise
        self._infos = {info.filename: info for info in infos}

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the archive file."""
        self._zip.close()

    def names(self) -> list[str]:
        """Entry names in archive order."""
        return list(self._infos)

    def size(self, name: str) -> int:
        """Declared uncompressed size of an entry."""
        return self._infos[name].file_size

    def open(self, name: str) -> IO[bytes]:
        """A stream over one member (the caller bounds what it reads)."""
        return self._zip.open(self._infos[name])

    def read(self, name: str, limit: int) -> bytes:
        """The bytes of one member; refuse a member over `limit` and stop at its declared size."""
        return read_member(self._zip, self._infos[name], limit)

    def info(self, name: str) -> zipfile.ZipInfo:
        """The checked central-directory record of an entry."""
        return self._infos[name]

    def raw_file(self) -> IO[bytes]:
        """The open archive file itself (the very file whose entries were checked), for copying stored bytes."""
        assert self._zip.fp is not None
        return self._zip.fp

    def _local_header(self, info: zipfile.ZipInfo) -> tuple[Any, ...]:
        assert self._zip.fp is not None
        self._zip.fp.seek(info.header_offset)
        header = self._zip.fp.read(_LOCAL_HEADER.size)
        if len(header) < _LOCAL_HEADER.size or header[:4] != _LOCAL_SIGNATURE:
            raise BundleError(f"The archive is damaged: the entry “{shown_name(info.filename)}” has no local header.")
        return _LOCAL_HEADER.unpack(header)

    def data_span(self, name: str) -> tuple[int, int]:
        """(offset, length) of an entry's stored bytes, compressed as they are, in the archive file."""
        info = self._infos[name]
        fields = self._local_header(info)
        return info.header_offset + _LOCAL_HEADER.size + fields[-2] + fields[-1], info.compress_size

    def stored_name(self, name: str) -> tuple[bytes, int]:
        """An entry's name as its bytes were stored (the same in both headers), and its local header's flags."""
        info = self._infos[name]
        return _raw_name(info), self._local_header(info)[3]


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """Read one member without ever holding more than its declared size (and never more than `limit`)."""
    if info.file_size > limit:
        raise BundleError(f"The archive entry “{shown_name(info.filename)}” is too large ({info.file_size} bytes).")
    parts = []
    got = 0
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(min(_CHUNK, info.file_size - got + 1))
                if not chunk:
                    break
                got += len(chunk)
                if got > info.file_size:
                    shown = shown_name(info.filename)
                    raise UnsafeArchiveError(f"The archive entry “{shown}” holds more than its declared size.")
                parts.append(chunk)
    except ZIP_READ_ERRORS as exc:
        raise BundleError(f"The archive entry “{shown_name(info.filename)}” is damaged ({exc}).") from None
    if got != info.file_size:
        raise BundleError(f"The archive entry “{shown_name(info.filename)}” is shorter than declared.")
    return b"".join(parts)


class ZipAssetData(AssetData):
    """Asset bytes kept inside a zip archive and read only when needed, with the declared size enforced."""

    def __init__(self, archive: Path, member: str, limit: int) -> None:
        super().__init__(Path(archive), member)
        self._archive = Path(archive)
        self._name = member
        self._limit = limit

    def read_bytes(self) -> bytes:
        """The member's bytes; raise EditorError if the archive or the member is gone or damaged."""
        try:
            with zipfile.ZipFile(self._archive) as archive:
                info = archive.getinfo(self._name)
                if info.flag_bits & 0x1 or info.compress_type not in ALLOWED_METHODS:
                    shown = shown_name(self._name)
                    raise UnsafeArchiveError(f"The archive entry “{shown}” can no longer be read safely.")
                return read_member(archive, info, self._limit)
        except (KeyError, *ZIP_READ_ERRORS) as exc:
            shown = shown_name(self._name)
            raise EditorError(f"The image file behind “{shown}” can no longer be read: {exc}.") from None
