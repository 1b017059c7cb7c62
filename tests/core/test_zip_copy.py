"""Entries are copied between archives as stored: same compressed bytes, same CRC, readable by any zip reader."""

from __future__ import annotations

import errno
import io
import os
import zipfile
from pathlib import Path

import pytest

from editor.core import zip_copy
from editor.core.errors import BundleError
from editor.core.safezip import SafeZip
from editor.core.zip_copy import archive_sources, copy_entry

TEXT = ("Words that compress well. " * 400).encode()
PICTURE = os.urandom(300_000)


def source_pack(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes/text.md", TEXT, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("assets/photo.jpg", PICTURE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("assets/café ünïcode.png", b"tiny", compress_type=zipfile.ZIP_STORED)
    return path


def copy_all(source: Path, dest: Path, prefix: str = "copy/") -> None:
    with SafeZip(source) as old, open(dest, "wb") as handle, zipfile.ZipFile(handle, "w") as new:
        new.writestr("first.txt", b"written before")
        for name in old.names():
            copy_entry(old, name, new, prefix + name)
        new.writestr("last.txt", b"written after", compress_type=zipfile.ZIP_DEFLATED)


def test_copied_entries_keep_their_bytes_crc_and_compression(tmp_path: Path) -> None:
    source = source_pack(tmp_path / "a.zip")
    copy_all(source, tmp_path / "b.zip")
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(tmp_path / "b.zip") as new:
        assert new.testzip() is None
        for info in old.infolist():
            copied = new.getinfo("copy/" + info.filename)
            assert (copied.CRC, copied.compress_size, copied.file_size, copied.compress_type) == (
                info.CRC, info.compress_size, info.file_size, info.compress_type)
            assert new.read(copied) == old.read(info)
        assert new.read("first.txt") == b"written before"
        assert new.read("last.txt") == b"written after"
    deflated = zipfile.ZipFile(tmp_path / "b.zip").getinfo("copy/notes/text.md")
    assert deflated.compress_size < len(TEXT) // 10  # still compressed: nothing was inflated on the way


def test_the_copy_passes_the_strict_reader(tmp_path: Path) -> None:
    copy_all(source_pack(tmp_path / "a.zip"), tmp_path / "b.zip")
    with SafeZip(tmp_path / "b.zip") as checked:
        assert checked.read("copy/assets/photo.jpg", 10**6) == PICTURE
        assert checked.read("copy/assets/café ünïcode.png", 100) == b"tiny"


def test_without_kernel_copy_the_bytes_are_copied_by_hand(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def refuse(*args: object) -> int:
        calls.append(args)
        raise OSError(errno.EXDEV, "cross-device")

    monkeypatch.setattr(os, "copy_file_range", refuse, raising=False)
    copy_all(source_pack(tmp_path / "a.zip"), tmp_path / "b.zip")
    assert calls
    with zipfile.ZipFile(tmp_path / "b.zip") as new:
        assert new.testzip() is None
        assert new.read("copy/assets/photo.jpg") == PICTURE


def test_a_short_kernel_copy_is_finished_by_hand(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = getattr(os, "copy_file_range", None)
    if real is None:
        pytest.skip("no kernel copy on this system")

    def stingy(src: int, dst: int, count: int, offset_src: int, offset_dst: int) -> int:
        return real(src, dst, min(count, 1000), offset_src, offset_dst) if count > 200_000 else 0

    monkeypatch.setattr(os, "copy_file_range", stingy)
    copy_all(source_pack(tmp_path / "a.zip"), tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "b.zip") as new:
        assert new.testzip() is None


def test_copying_needs_an_archive_being_written(tmp_path: Path) -> None:
    source = source_pack(tmp_path / "a.zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as new:
        new.writestr("x", b"x")
    with (SafeZip(source) as old, zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as reading,
          pytest.raises(ValueError, match="writing")):
        copy_entry(old, "assets/photo.jpg", reading, "y")


def test_sources_are_opened_once_and_unreadable_ones_give_none(tmp_path: Path) -> None:
    source = source_pack(tmp_path / "a.zip")
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not a zip at all")
    with archive_sources() as sources:
        first = sources.get(source)
        assert first is not None and sources.get(source) is first
        assert sources.get(tmp_path / "broken.zip") is None
        assert sources.get(tmp_path / "missing.zip") is None
    with pytest.raises(BundleError):
        first.read("assets/photo.jpg", 10**6)  # closed when the save ends


def test_the_chunk_loop_copies_large_entries_exactly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zip_copy, "_CHUNK", 4096)
    monkeypatch.delattr(os, "copy_file_range", raising=False)
    copy_all(source_pack(tmp_path / "a.zip"), tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "b.zip") as new:
        assert new.read("copy/assets/photo.jpg") == PICTURE
