"""Backups of the previous version: taken before each save, opened like any TextPack, the newest few kept."""

from __future__ import annotations

import errno
import os
import zipfile
from pathlib import Path

import pytest

from editor.core import backup as backup_module
from editor.core.backup import BackupError, backup_folder, keep_backup, list_backups
from editor.core.bundle import open_bundle, save_bundle
from editor.core.errors import EditorError
from tests.core.bundle_samples import clone, sample_article


@pytest.mark.parametrize("form", [".textbundle", ".textpack"])
def test_the_previous_version_opens_from_its_backup(tmp_path: Path, form: str) -> None:
    bundle = tmp_path / "docs" / f"Story{form}"
    bundle.parent.mkdir()
    first = sample_article()
    fingerprint = save_bundle(clone(first), bundle)
    if form == ".textbundle":
        (bundle / "notes.txt").write_text("another app's file")
    root = tmp_path / "backups"
    made = keep_backup(bundle, root)
    assert made is not None and made.suffix == ".textpack"
    assert made.parent == backup_folder(bundle, root)
    assert made.parent.name.startswith(f"Story{form}-") and len(made.parent.name) == len(f"Story{form}-") + 8
    second = clone(first)
    second.body = "Rewritten."
    save_bundle(second, bundle, expected_fingerprint=fingerprint, force=True)
    restored = open_bundle(made)
    assert restored.article == first
    assert [a.data.read_bytes() for a in restored.article.assets] == [
        a.data.read_bytes() for a in sample_article().assets
    ]
    if form == ".textbundle":
        with zipfile.ZipFile(made) as archive:
            assert "Story.textbundle/notes.txt" in archive.namelist()


def test_nothing_on_disk_yet(tmp_path: Path) -> None:
    assert keep_backup(tmp_path / "New.textbundle", tmp_path / "b") is None
    assert list_backups(tmp_path / "New.textbundle", tmp_path / "b") == []
    assert not (tmp_path / "b").exists()


def test_only_the_newest_are_kept(tmp_path: Path) -> None:
    bundle = tmp_path / "Story.textpack"
    made = []
    for n in range(5):
        bundle.write_bytes(f"version {n}".encode())
        made.append(keep_backup(bundle, tmp_path / "b", keep=3))
    found = list_backups(bundle, tmp_path / "b")
    assert found == made[:1:-1]
    assert [p.read_bytes() for p in found] == [b"version 4", b"version 3", b"version 2"]


def test_same_name_in_two_folders_stays_apart(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for folder in ("a", "b"):
        (tmp_path / folder / "Story.textpack").write_bytes(folder.encode())
        keep_backup(tmp_path / folder / "Story.textpack", tmp_path / "backups")
    first = list_backups(tmp_path / "a" / "Story.textpack", tmp_path / "backups")
    second = list_backups(tmp_path / "b" / "Story.textpack", tmp_path / "backups")
    assert [p.read_bytes() for p in first] == [b"a"] and [p.read_bytes() for p in second] == [b"b"]


def test_links_inside_a_folder_bundle_are_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    bundle = tmp_path / "Story.textbundle"
    save_bundle(clone(sample_article()), bundle)
    os.symlink(secret, bundle / "leak.txt")
    made = keep_backup(bundle, tmp_path / "b")
    assert made is not None and b"private" not in made.read_bytes()


def test_a_full_disk_is_one_sentence_and_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = tmp_path / "Story.textpack"
    bundle.write_bytes(b"old")

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup_module.shutil, "copyfileobj", full)
    with pytest.raises(BackupError) as caught:
        keep_backup(bundle, tmp_path / "b")
    assert str(caught.value) == (
        "The previous version of “Story.textpack” could not be backed up because the disk is full."
    )
    assert isinstance(caught.value, EditorError)
    assert [p for p in (tmp_path / "b").rglob("*") if p.is_file()] == [] and bundle.read_bytes() == b"old"


def test_an_unwritable_backup_folder(tmp_path: Path) -> None:
    bundle = tmp_path / "Story.textpack"
    bundle.write_bytes(b"old")
    blocker = tmp_path / "b"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(BackupError, match=r"^The previous version of “Story\.textpack” could not be backed up"):
        keep_backup(bundle, blocker)
    assert bundle.read_bytes() == b"old"


def test_keep_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        keep_backup(tmp_path / "x.textpack", tmp_path, keep=0)


def test_a_file_dated_before_1980_does_not_stop_the_backup(tmp_path: Path) -> None:
    bundle = tmp_path / "Story.textbundle"
    save_bundle(clone(sample_article()), bundle)
    os.utime(bundle / "text.md", (0, 0))
    made = keep_backup(bundle, tmp_path / "b")
    assert made is not None and open_bundle(made).article == sample_article()
