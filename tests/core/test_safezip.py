"""Hostile archives are refused from the central directory, one category at a time."""

from __future__ import annotations

import stat
import zipfile
import zlib
from pathlib import Path

import pytest

from editor.core import safezip
from editor.core.errors import BundleError, EditorError, UnsafeArchiveError
from editor.core.safezip import SafeZip, ZipAssetData
from tests.core.zipcraft import END, Member, build, central_record, deflate, deflated, local_header


def _write(tmp_path: Path, data: bytes, name: str = "x.textpack") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _ok(name: bytes = b"text.md", data: bytes = b"hello") -> Member:
    return Member(name, data)


def test_a_plain_archive_is_read(tmp_path: Path) -> None:
    path = _write(tmp_path, build([_ok(), deflated(b"assets/a b.png", b"x" * 100)]))
    with SafeZip(path) as archive:
        assert archive.names() == ["text.md", "assets/a b.png"]
        assert archive.read("text.md", 100) == b"hello"
        assert archive.read("assets/a b.png", 1000) == b"x" * 100


BAD_NAMES = {
    "parent": (b"../evil.txt", "outside"),
    "parent-inside": (b"assets/../../evil.txt", "outside"),
    "absolute": (b"/etc/evil", "absolute path"),
    "drive-letter": (b"C:/evil.txt", "drive letter"),
    "backslash": (b"..\\..\\evil.txt", "backslash"),
    "nul-byte": (b"text.md\x00.png", "NUL byte"),
    "empty": (b"", "empty name"),
}


@pytest.mark.parametrize(("name", "phrase"), BAD_NAMES.values(), ids=BAD_NAMES.keys())
def test_unsafe_entry_names_are_refused(tmp_path: Path, name: bytes, phrase: str) -> None:
    path = _write(tmp_path, build([_ok(), Member(name, b"bad")]))
    with pytest.raises(UnsafeArchiveError, match=phrase):
        SafeZip(path)


def test_symlink_entries_are_refused(tmp_path: Path) -> None:
    link = Member(b"assets/link.png", b"/etc/passwd", attr=(stat.S_IFLNK | 0o777) << 16)
    with pytest.raises(UnsafeArchiveError, match=r"link\.png.*symbolic link"):
        SafeZip(_write(tmp_path, build([_ok(), link])))


def test_encrypted_entries_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UnsafeArchiveError, match=r"secret\.png.*encrypted"):
        SafeZip(_write(tmp_path, build([_ok(), Member(b"secret.png", b"\x00" * 24, flags=0x1)])))


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA, 99], ids=["bzip2", "lzma", "aes"])
def test_compression_methods_other_than_stored_and_deflate_are_refused(tmp_path: Path, method: int) -> None:
    with pytest.raises(UnsafeArchiveError, match=r"odd\.png.*compression method"):
        SafeZip(_write(tmp_path, build([_ok(), Member(b"odd.png", b"abc", method=method)])))


@pytest.mark.parametrize("second", [b"assets/a.png", b"assets/A.PNG"], ids=["exact", "letter-case"])
def test_duplicate_names_are_refused(tmp_path: Path, second: bytes) -> None:
    members = [_ok(), Member(b"assets/a.png", b"one"), Member(second, b"two")]
    with pytest.raises(UnsafeArchiveError, match=r"twice"):
        SafeZip(_write(tmp_path, build(members)))


def test_central_and_local_names_must_match(tmp_path: Path) -> None:
    sneaky = Member(b"assets/a.png", b"data", local_name=b"../../evil")
    with pytest.raises(UnsafeArchiveError, match=r"different name in its local header"):
        SafeZip(_write(tmp_path, build([_ok(), sneaky])))


def test_overlapping_entries_are_refused(tmp_path: Path) -> None:
    # The inner entry's local header and data sit inside the outer entry's data: both names are honest.
    inner = Member(b"inner.png", b"z" * 50)
    outer = Member(b"outer.png", local_header(inner) + b"tail")
    inner_offset = len(local_header(outer)) - len(outer.data)
    data = build([outer], extra_records=[(inner, inner_offset)])
    with pytest.raises(UnsafeArchiveError, match=r"overlap"):
        SafeZip(_write(tmp_path, data))


def test_two_records_for_one_local_header_are_refused(tmp_path: Path) -> None:
    shared = Member(b"a.png", b"payload")
    data = build([shared], extra_records=[(shared, 0)])
    with pytest.raises(UnsafeArchiveError):
        SafeZip(_write(tmp_path, data))


def test_too_many_entries_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safezip, "MAX_ENTRIES", 5)
    members = [Member(f"assets/{i}.png".encode(), b"") for i in range(6)]
    with pytest.raises(UnsafeArchiveError, match=r"6 entries"):
        SafeZip(_write(tmp_path, build(members)))


def test_total_uncompressed_size_is_limited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safezip, "MAX_TOTAL_SIZE", 1000)
    members = [Member(b"assets/a.png", b"a" * 600), Member(b"assets/b.png", b"b" * 600)]
    with pytest.raises(UnsafeArchiveError, match=r"b\.png"):
        SafeZip(_write(tmp_path, build(members)))


def test_a_suspicious_compression_ratio_is_refused(tmp_path: Path) -> None:
    bomb = b"\x00" * (4 * 1024 * 1024)
    member = deflated(b"assets/bomb.png", bomb)
    with pytest.raises(UnsafeArchiveError, match=r"bomb\.png.*compressed suspiciously well"):
        SafeZip(_write(tmp_path, build([_ok(), member])))


def test_a_well_compressed_small_entry_is_fine(tmp_path: Path) -> None:
    text = b"\x00" * 100_000  # ratio far above the limit, but too small to matter
    path = _write(tmp_path, build([deflated(b"text.md", text)]))
    with SafeZip(path) as archive:
        assert archive.read("text.md", len(text)) == text


def test_reading_stops_at_the_declared_size(tmp_path: Path) -> None:
    real = b"0123456789" * 100
    declared = real[:10]
    lying = Member(b"text.md", deflate(real), size=len(declared), method=8)
    lying.crc = zlib.crc32(declared)
    with SafeZip(_write(tmp_path, build([lying]))) as archive:
        assert archive.read("text.md", 10_000) == declared


def test_a_member_over_the_callers_limit_is_refused(tmp_path: Path) -> None:
    with SafeZip(_write(tmp_path, build([_ok(data=b"x" * 50)]))) as archive, pytest.raises(BundleError, match=r"large"):
        archive.read("text.md", 10)


def test_a_corrupt_member_is_reported(tmp_path: Path) -> None:
    bad = Member(b"text.md", b"hello", crc=12345)
    with SafeZip(_write(tmp_path, build([bad]))) as archive, pytest.raises(BundleError, match=r"damaged"):
        archive.read("text.md", 100)


def test_nested_zips_are_only_bytes(tmp_path: Path) -> None:
    inner = build([Member(b"../../evil", b"x")])
    with SafeZip(_write(tmp_path, build([_ok(), Member(b"assets/inner.zip", inner)]))) as archive:
        assert archive.read("assets/inner.zip", 10_000) == inner


@pytest.mark.parametrize(
    "data",
    [b"", b"not a zip at all", build([_ok(), _ok(b"assets/a.png", b"x" * 300)])[:200]],
    ids=["empty", "not-a-zip", "truncated"],
)
def test_broken_files_are_reported_in_one_sentence(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(BundleError, match=r"x\.textpack.*not a readable zip"):
        SafeZip(_write(tmp_path, data))


def test_entry_data_running_past_the_directory_is_refused(tmp_path: Path) -> None:
    blob = local_header(Member(b"assets/a.png", b"x" * 40))
    record = central_record(Member(b"assets/a.png", b"x" * 4000), 0)  # claims far more data than is there
    data = blob + record + END.pack(b"PK\x05\x06", 0, 0, 1, 1, len(record), len(blob), 0)
    with pytest.raises(BundleError, match=r"a\.png"):
        SafeZip(_write(tmp_path, data))


def test_zip_asset_data_reads_the_member_on_demand(tmp_path: Path) -> None:
    path = _write(tmp_path, build([_ok(b"n/assets/p.png", b"pixels")]))
    data = ZipAssetData(path, "n/assets/p.png", 100)
    assert data.read_bytes() == b"pixels"
    path.unlink()
    with pytest.raises(EditorError, match=r"p\.png"):
        data.read_bytes()
