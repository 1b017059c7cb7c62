"""Saving after a text edit trusts recorded image hashes while the files are unchanged, and only then."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from editor.core import bundle_read
from editor.core.bundle import BundleError, open_bundle, save_bundle
from editor.core.bundle_hashes import FileAssetData, RecordedZipData, file_stamp, known_sha256, trust_on_open
from editor.core.model import AssetData, ImageAsset, sha256_hex
from editor.core.safezip import ZipAssetData
from tests.core.bundle_samples import png, sample_article

FORMS = ["Story.textbundle", "Story.textpack"]


def refuse_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every read of an image's bytes fail the test."""
    def refuse(self: AssetData) -> bytes:
        raise AssertionError(f"{self!r} was read")

    monkeypatch.setattr(AssetData, "read_bytes", refuse)
    monkeypatch.setattr(ZipAssetData, "read_bytes", refuse)


def image_bytes(path: Path) -> dict[str, bytes]:
    opened = open_bundle(path)
    return {a.name: a.data.read_bytes() for a in opened.article.assets}


@pytest.mark.parametrize("name", FORMS)
def test_a_save_after_a_text_edit_reads_no_image(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    path = tmp_path / name
    fingerprint = save_bundle(sample_article(), path)
    before = image_bytes(path)
    opened = open_bundle(path)
    article = opened.article
    fingerprint = opened.fingerprint
    refuse_reading(monkeypatch)
    for round_ in range(2):
        article.body += f"\nOne more line {round_}.\n"
        fingerprint = save_bundle(article, path, expected_fingerprint=fingerprint)
    monkeypatch.undo()
    again = open_bundle(path)
    assert again.article.body == article.body
    assert image_bytes(path) == before
    assert [a.sha256 for a in again.article.assets] == [sha256_hex(before[a.name]) for a in again.article.assets]
    if name.endswith(".textpack"):
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None


def test_folder_images_keep_their_files_across_saves(tmp_path: Path) -> None:
    path = tmp_path / "Story.textbundle"
    save_bundle(sample_article(), path)
    inode = (path / "assets" / "crowd outside.png").stat().st_ino
    opened = open_bundle(path)
    fingerprint = opened.fingerprint
    for _ in range(2):
        opened.article.body += "\nMore.\n"
        fingerprint = save_bundle(opened.article, path, expected_fingerprint=fingerprint)
    assert (path / "assets" / "crowd outside.png").stat().st_ino == inode


def test_an_image_changed_after_the_save_is_hashed_again_and_refused(tmp_path: Path) -> None:
    path = tmp_path / "Story.textbundle"
    save_bundle(sample_article(), path)
    image = path / "assets" / "crowd outside.png"
    image.write_bytes(png(5, 5, (1, 2, 3)))  # another program, leaving info.json as it was
    later = (path / "info.json").stat().st_mtime_ns + 5_000_000_000
    os.utime(image, ns=(later, later))
    opened = open_bundle(path)
    assert known_sha256(opened.article.asset("crowd outside.png").data) == ""
    with pytest.raises(BundleError, match=r"crowd outside\.png"):
        save_bundle(opened.article, path, expected_fingerprint=opened.fingerprint)


def test_an_image_replaced_while_the_bundle_is_open_is_hashed_again(tmp_path: Path) -> None:
    path = tmp_path / "Story.textbundle"
    save_bundle(sample_article(), path)
    opened = open_bundle(path)
    fingerprint = save_bundle(opened.article, path, expected_fingerprint=opened.fingerprint)
    assert known_sha256(opened.article.asset("crowd outside.png").data)
    (path / "assets" / "crowd outside.png").write_bytes(png(7, 7, (9, 9, 9)))
    assert known_sha256(opened.article.asset("crowd outside.png").data) == ""
    with pytest.raises(BundleError, match="no longer matches"):
        save_bundle(opened.article, path, expected_fingerprint=fingerprint, force=True)


def repack(source: Path, dest: Path, changed: str, data: bytes, when: tuple[int, ...]) -> None:
    """Copy a pack as another program would, putting new bytes (dated `when`) in one member."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(dest, "w") as new:
        for info in old.infolist():
            if info.filename.endswith(changed):
                new.writestr(zipfile.ZipInfo(info.filename, date_time=when), data)
            else:
                new.writestr(zipfile.ZipInfo(info.filename, date_time=info.date_time), old.read(info))


def info_date(path: Path) -> tuple[int, ...]:
    with zipfile.ZipFile(path) as archive:
        return next(i.date_time for i in archive.infolist() if i.filename.endswith("/info.json"))


def test_a_pack_image_changed_after_info_json_is_hashed_and_refused(tmp_path: Path) -> None:
    path = tmp_path / "Story.textpack"
    save_bundle(sample_article(), path)
    tampered = tmp_path / "tampered.textpack"
    later = (info_date(path)[0] + 1, *info_date(path)[1:])
    repack(path, tampered, "crowd outside.png", png(4, 4, (0, 0, 0)), later)
    opened = open_bundle(tampered)
    assert known_sha256(opened.article.asset("crowd outside.png").data) == ""
    assert known_sha256(opened.article.asset("putin-meets-choe.png").data)
    with pytest.raises(BundleError, match=r"crowd outside\.png"):
        save_bundle(opened.article, tampered, expected_fingerprint=opened.fingerprint)


def test_the_first_save_after_opening_a_pack_reads_no_image(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "Story.textpack"
    save_bundle(sample_article(), path)
    before = image_bytes(path)
    opened = open_bundle(path)
    refuse_reading(monkeypatch)
    opened.article.body += "\nEdited.\n"
    save_bundle(opened.article, path, expected_fingerprint=opened.fingerprint)
    monkeypatch.undo()
    assert image_bytes(path) == before


def test_a_pack_replaced_after_opening_is_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "Story.textpack"
    save_bundle(sample_article(), path)
    opened = open_bundle(path)
    repack(path, tmp_path / "other.textpack", "crowd outside.png", png(4, 4, (0, 0, 0)), info_date(path))
    os.replace(tmp_path / "other.textpack", path)
    assert all(known_sha256(a.data) == "" for a in opened.article.assets)


def test_images_from_one_pack_are_copied_into_another(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = tmp_path / "a.textpack"
    save_bundle(sample_article(), first)
    opened = open_bundle(first)
    save_bundle(opened.article, first, expected_fingerprint=opened.fingerprint)
    refuse_reading(monkeypatch)
    save_bundle(opened.article, tmp_path / "b.textpack")
    monkeypatch.undo()
    assert image_bytes(tmp_path / "b.textpack") == image_bytes(first)


def test_private_files_survive_repeated_pack_saves(tmp_path: Path) -> None:
    path = tmp_path / "Story.textpack"
    article = sample_article()
    article.private_files["org.article-editor/versions/v1.json"] = AssetData(b'{"text": "old words"}' * 50)
    fingerprint = save_bundle(article, path)
    for _ in range(2):
        article.body += "\nAgain.\n"
        fingerprint = save_bundle(article, path, expected_fingerprint=fingerprint)
    again = open_bundle(path).article
    assert again.private_files["org.article-editor/versions/v1.json"].read_bytes() == b'{"text": "old words"}' * 50


def test_new_images_are_hashed_and_written(tmp_path: Path) -> None:
    path = tmp_path / "Story.textbundle"
    article = sample_article()
    fingerprint = save_bundle(article, path)
    article.assets.append(ImageAsset.from_bytes("new.png", png(6, 6, (5, 5, 5))))
    save_bundle(article, path, expected_fingerprint=fingerprint)
    assert (path / "assets" / "new.png").read_bytes() == png(6, 6, (5, 5, 5))
    assert known_sha256(article.asset("new.png").data) == sha256_hex(png(6, 6, (5, 5, 5)))


def test_records_hold_only_real_hashes_and_stamps(tmp_path: Path) -> None:
    file = tmp_path / "a.png"
    file.write_bytes(png())
    digest = sha256_hex(png())
    assert known_sha256(FileAssetData(file, digest, file_stamp(file))) == digest
    assert known_sha256(FileAssetData(file, "not a hash", file_stamp(file))) == ""
    assert known_sha256(FileAssetData(file, digest, None)) == ""
    assert known_sha256(FileAssetData(tmp_path / "gone.png", digest, file_stamp(file))) == ""
    assert known_sha256(AssetData(file)) == ""
    assert known_sha256(RecordedZipData(tmp_path / "none.zip", "m", 10, digest, file_stamp(file))) == ""


def test_a_file_newer_than_info_json_is_not_trusted_on_open() -> None:
    info = (1, 2, 100, 5_000)
    assert trust_on_open((1, 3, 10, 5_000), info)
    assert trust_on_open((1, 3, 10, 4_000), info)
    assert not trust_on_open((1, 3, 10, 5_001), info)
    assert not trust_on_open((1, 3, 10, 1), None)


def test_new_pictures_in_a_folder_are_hashed_by_the_first_save_not_by_opening(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "Story.textbundle"
    save_bundle(sample_article(), path)
    (path / "assets" / "dropped in.png").write_bytes(png(4, 3))

    def refuse(*_args: object) -> str:
        raise AssertionError("a picture was hashed while opening")

    monkeypatch.setattr(bundle_read, "_hash_stream", refuse)
    opened = open_bundle(path)
    monkeypatch.undo()
    dropped = opened.article.asset("dropped in.png")
    assert (dropped.sha256, dropped.width, dropped.height) == ("", 4, 3)
    save_bundle(opened.article, path, expected_fingerprint=opened.fingerprint)
    assert dropped.sha256 == sha256_hex(png(4, 3))
    assert open_bundle(path).article.asset("dropped in.png").sha256 == sha256_hex(png(4, 3))
