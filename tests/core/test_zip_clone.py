"""Saving a TextPack by cloning the old one: the unchanged pictures at its front stay where they are, the rest is
written anew, and the result opens like any pack; file systems that cannot clone get the whole rewrite."""

from __future__ import annotations

import errno
import os
import shutil
import sys
import zipfile
from pathlib import Path
from typing import IO

import pytest

from editor.core import bundle_write
from editor.core.bundle import open_bundle, save_bundle
from editor.core.errors import BundleError
from editor.core.model import Article, ImageAsset, Metadata
from editor.core.safezip import SafeZip
from editor.core.zip_clone import can_clone, clone_into, keep_front

PHOTOS = {f"photo-{n}.jpg": b"\xff\xd8\xff\xe0" + os.urandom(40_000) for n in range(4)}


def _article() -> Article:
    assets = [ImageAsset.from_bytes(name, data, alt=f"Photo {name}") for name, data in PHOTOS.items()]
    body = "# Trip\n\n" + "".join(f"![{name}](assets/{name})\n\n" for name in PHOTOS)
    return Article(body=body, metadata=Metadata(title="Trip"), assets=assets)


@pytest.fixture
def copying_clone(monkeypatch):
    """Stands in for a file system with shared extents: the "clone" is a plain copy, the rest is the real save."""
    calls: list[bool] = []

    def fake(source: IO[bytes], dest: IO[bytes]) -> bool:
        source.seek(0)
        shutil.copyfileobj(source, dest)
        dest.flush()
        calls.append(True)
        return True

    monkeypatch.setattr(bundle_write, "clone_into", fake)
    return calls


def _back_to_back(path: Path) -> bool:
    """Whether every byte of the pack belongs to an entry or the directory: nothing old is left in between."""
    with SafeZip(path) as archive:
        end = 0
        for info in sorted((archive.info(n) for n in archive.names()), key=lambda info: info.header_offset):
            if info.header_offset != end:
                return False
            offset, length = archive.data_span(info.filename)
            end = offset + length
    with zipfile.ZipFile(path) as plain:
        return plain.start_dir == end


def _save_edit_and_check(pack: Path, line: str) -> None:
    """Save the article, add a line, save again over it; the pack then opens with the line and every photo."""
    fingerprint = save_bundle(_article(), pack)
    opened = open_bundle(pack)
    opened.article.body += line
    save_bundle(opened.article, pack, expected_fingerprint=fingerprint)
    again = open_bundle(pack).article
    assert again.body.endswith(line)
    assert {asset.name: asset.data.read_bytes() for asset in again.assets} == PHOTOS


def _offsets(path: Path) -> dict[str, int]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename.rsplit("/", 1)[-1]: info.header_offset for info in archive.infolist()}


def test_a_text_edit_keeps_the_pictures_where_they_were_and_the_pack_opens_the_same(tmp_path, copying_clone):
    pack = tmp_path / "Trip.textpack"
    fingerprint = save_bundle(_article(), pack)
    before = _offsets(pack)
    opened = open_bundle(pack)
    opened.article.body += "One more line.\n"
    save_bundle(opened.article, pack, expected_fingerprint=fingerprint)
    assert copying_clone == [True]
    after = _offsets(pack)
    assert {name: after[name] for name in PHOTOS} == {name: before[name] for name in PHOTOS}
    assert list(after)[-2:] == ["text.md", "info.json"]
    assert _back_to_back(pack)  # the old text and its record are gone, not left behind unlisted
    again = open_bundle(pack).article
    assert again.body.endswith("One more line.\n")
    assert {asset.name: asset.data.read_bytes() for asset in again.assets} == PHOTOS
    with zipfile.ZipFile(pack) as archive:
        assert archive.testzip() is None
        assert len(archive.namelist()) == len(set(archive.namelist())) == len(PHOTOS) + 2


def test_a_removed_picture_leaves_nothing_of_itself_in_the_new_pack(tmp_path, copying_clone):
    pack = tmp_path / "Trip.textpack"
    fingerprint = save_bundle(_article(), pack)
    opened = open_bundle(pack)
    gone = "photo-1.jpg"
    opened.article.assets = [asset for asset in opened.article.assets if asset.name != gone]
    opened.article.body = opened.article.body.replace(f"![{gone}](assets/{gone})\n\n", "")
    save_bundle(opened.article, pack, expected_fingerprint=fingerprint)
    raw = pack.read_bytes()
    assert PHOTOS[gone][4:2000] not in raw
    assert _back_to_back(pack)
    again = open_bundle(pack).article
    assert sorted(asset.name for asset in again.assets) == sorted(set(PHOTOS) - {gone})
    assert all(asset.data.read_bytes() == PHOTOS[asset.name] for asset in again.assets)


def test_bytes_another_program_left_between_entries_are_not_carried_over(tmp_path, copying_clone):
    pack = tmp_path / "Trip.textpack"
    root = "Trip.textbundle/"
    with zipfile.ZipFile(pack, "w") as archive:
        archive.writestr(root + "assets/photo-0.jpg", PHOTOS["photo-0.jpg"])
        assert archive.fp is not None
        archive.fp.write(b"SECRET LEFT BY ANOTHER PROGRAM")
        archive.start_dir = archive.fp.tell()
        archive.writestr(root + "text.md", "![a](assets/photo-0.jpg)\n")
        archive.writestr(root + "info.json", '{"version": 2}')
    try:
        opened = open_bundle(pack)
    except BundleError:
        pytest.skip("the reader refuses a pack with a gap, so it is never cloned")
    opened.article.body += "More.\n"
    save_bundle(opened.article, pack, expected_fingerprint=opened.fingerprint)
    assert b"SECRET LEFT BY ANOTHER PROGRAM" not in pack.read_bytes()
    assert open_bundle(pack).article.body.endswith("More.\n")


def test_a_failure_after_cloning_leaves_the_old_pack_as_it_was(tmp_path, copying_clone):
    pack = tmp_path / "Trip.textpack"
    fingerprint = save_bundle(_article(), pack)
    old_bytes = pack.read_bytes()
    opened = open_bundle(pack)
    broken = ImageAsset.from_bytes("new.jpg", b"\xff\xd8\xff\xe0" + os.urandom(1000), alt="New")
    broken.sha256 = "0" * 64  # the bytes no longer match the picture that was added: the save must stop
    opened.article.assets.append(broken)
    with pytest.raises(BundleError):
        save_bundle(opened.article, pack, expected_fingerprint=fingerprint)
    assert copying_clone == [True]
    assert pack.read_bytes() == old_bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Trip.textpack"]


def test_where_the_file_system_cannot_clone_the_pack_is_rewritten_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(bundle_write, "clone_into", lambda source, dest: False)
    _save_edit_and_check(tmp_path / "Trip.textpack", "Again.\n")


def test_clone_into_shares_the_whole_file_or_leaves_the_copy_empty(tmp_path):
    source = tmp_path / "source.bin"
    source.write_bytes(os.urandom(200_000))
    with open(source, "rb") as src, open(tmp_path / "dest.bin", "w+b") as dest:
        cloned = clone_into(src, dest)
    expected = source.read_bytes() if cloned else b""
    assert (tmp_path / "dest.bin").read_bytes() == expected


def test_keep_front_keeps_only_the_front_entries_and_no_old_comment(tmp_path):
    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("assets/a.jpg", b"A" * 500)
        archive.writestr("text.md", b"old text")  # stored, so its bytes would show if left behind
        archive.comment = b"left by another program"
    with zipfile.ZipFile(path) as archive:
        end = archive.getinfo("text.md").header_offset
    with open(path, "r+b") as handle, zipfile.ZipFile(handle, "a") as archive:
        keep_front(archive, ["assets/a.jpg"], end)
        archive.writestr("text.md", b"new text")
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["assets/a.jpg", "text.md"]
        assert archive.read("text.md") == b"new text" and archive.read("assets/a.jpg") == b"A" * 500
        assert archive.comment == b"" and archive.testzip() is None
    assert b"old text" not in path.read_bytes() and b"another program" not in path.read_bytes()


def test_keep_front_needs_an_archive_opened_for_appending(tmp_path):
    with zipfile.ZipFile(tmp_path / "a.zip", "w") as archive, pytest.raises(ValueError):
        keep_front(archive, [], 0)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the clone is Linux's ioctl")
@pytest.mark.parametrize("fails", [True, False])
def test_a_clone_that_stops_part_way_leaves_the_copy_empty(tmp_path, monkeypatch, fails):
    import fcntl

    source = tmp_path / "source.bin"
    source.write_bytes(os.urandom(100_000))

    def partial(fd: int, request: int, source_fd: int) -> int:
        os.write(fd, os.pread(source_fd, 75_000, 0))  # a disk that filled up three quarters of the way
        if fails:
            raise OSError(errno.ENOSPC, "No space left on device")
        return 0

    monkeypatch.setattr(fcntl, "ioctl", partial)
    with open(source, "rb") as src, open(tmp_path / "dest.bin", "w+b") as dest:
        assert clone_into(src, dest) is False
    assert (tmp_path / "dest.bin").read_bytes() == b""


def test_an_entry_named_in_another_encoding_is_not_kept_and_the_pack_still_opens(tmp_path, copying_clone):
    pack = tmp_path / "Trip.textpack"
    root = "Trip.textbundle/"
    with zipfile.ZipFile(pack, "w") as archive:
        archive.writestr(root + "Xber-notes.txt", b"notes from another app")  # an extra file, at the front
        archive.writestr(root + "assets/photo-0.jpg", PHOTOS["photo-0.jpg"])
        archive.writestr(root + "text.md", "![a](assets/photo-0.jpg)\n")
    # As zip tools that write the old DOS code page store "Über": 0x9A, and no UTF-8 flag.
    pack.write_bytes(pack.read_bytes().replace(b"Xber-notes", b"\x9aber-notes"))
    opened = open_bundle(pack)
    opened.article.body += "Edited.\n"
    save_bundle(opened.article, pack, expected_fingerprint=opened.fingerprint)
    again = open_bundle(pack)
    assert again.article.body.endswith("Edited.\n")
    with zipfile.ZipFile(pack) as archive:
        assert archive.testzip() is None
        assert archive.read(root + "Über-notes.txt") == b"notes from another app"


def test_the_clone_probe_leaves_nothing_behind_and_a_missing_folder_cannot_clone(tmp_path):
    assert can_clone(tmp_path) in (True, False)
    assert list(tmp_path.iterdir()) == []
    assert can_clone(tmp_path / "not-there") is False


def test_on_a_file_system_with_shared_extents_the_real_clone_is_used(tmp_path):
    if not can_clone(tmp_path):
        pytest.skip("this file system has no shared extents (only Btrfs, XFS and the like have them)")
    _save_edit_and_check(tmp_path / "Trip.textpack", "Cloned.\n")
