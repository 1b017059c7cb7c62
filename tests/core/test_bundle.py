"""Saving and opening bundles: round trips, captions in text.md, conflicts, failed saves and interrupted swaps."""

from __future__ import annotations

import errno
import json
import os
import zipfile
from pathlib import Path

import pytest

from editor import APP_ID
from editor.core import bundle_write
from editor.core.bundle import (
    BundleError,
    ConflictError,
    bundle_fingerprint,
    bundle_kind,
    open_bundle,
    save_bundle,
)
from editor.core.model import Article, ImageAsset
from tests.core.bundle_samples import clone, png, sample_article

FORMS = ["Story.textbundle", "Story.textpack"]


def _hidden_leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("name", FORMS)
def test_round_trip_gives_back_the_same_article(tmp_path: Path, name: str) -> None:
    article = sample_article()
    fingerprint = save_bundle(clone(article), tmp_path / name)
    opened = open_bundle(tmp_path / name)
    assert opened.article == article
    assert opened.warnings == []
    assert opened.kind == bundle_kind(tmp_path / name)
    assert opened.fingerprint == fingerprint == bundle_fingerprint(tmp_path / name)
    assert [a.data.read_bytes() for a in opened.article.assets] == [a.data.read_bytes() for a in article.assets]


@pytest.mark.parametrize("name", FORMS)
def test_saving_again_over_the_opened_bundle_keeps_everything(tmp_path: Path, name: str) -> None:
    article = sample_article()
    save_bundle(clone(article), tmp_path / name)
    opened = open_bundle(tmp_path / name)
    opened.article.body += "\nOne more line.\n"
    save_bundle(opened.article, tmp_path / name, expected_fingerprint=opened.fingerprint)
    again = open_bundle(tmp_path / name)
    article.body += "\nOne more line.\n"
    assert again.article == article
    assert _hidden_leftovers(tmp_path) == []


def test_folder_layout_and_info_json(tmp_path: Path) -> None:
    save_bundle(sample_article(), tmp_path / "Story.textbundle")
    root = tmp_path / "Story.textbundle"
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == [
        "assets", "assets/crowd outside.png", "assets/putin-meets-choe.png", "info.json", "text.md",
    ]
    info = json.loads((root / "info.json").read_text("utf-8"))
    assert info["version"] == 2
    assert info["type"] == "net.daringfireball.markdown"
    assert info["transient"] is False
    assert info["creatorIdentifier"] == APP_ID
    assert info["com.example.other"] == {"theme": "dark", "n": [1, 2.5, None, True]}
    ours = info[APP_ID]
    assert ours["formatVersion"] == 2
    assert ours["metadata"]["status"] == "in-review"
    assert [a["name"] for a in ours["assets"]] == ["putin-meets-choe.png", "crowd outside.png"]


def test_textpack_holds_the_bundle_folder(tmp_path: Path) -> None:
    save_bundle(sample_article(), tmp_path / "Story.textpack")
    with zipfile.ZipFile(tmp_path / "Story.textpack") as archive:
        assert sorted(archive.namelist()) == [
            "Story.textbundle/assets/crowd outside.png", "Story.textbundle/assets/putin-meets-choe.png",
            "Story.textbundle/info.json", "Story.textbundle/text.md",
        ]


def test_text_md_shows_each_caption_under_its_image(tmp_path: Path) -> None:
    save_bundle(sample_article(), tmp_path / "Story.textbundle")
    text = (tmp_path / "Story.textbundle" / "text.md").read_text("utf-8")
    assert (
        "![Two men shake hands](assets/putin-meets-choe.png)\n\n"
        "*Vladimir Putin meets Choe Son\\-hui in Moscow on Jan\\. 16, 2024* — photo by TASS Russian News Agency\n\n"
    ) in text
    # Text right under an image is kept apart from the caption by a blank line.
    assert "![Crowd](assets/crowd%20outside.png)\n\n*A \\*crowd\\* \\[outside\\]*\n\nText right under" in text


def test_a_caption_like_line_in_the_body_survives(tmp_path: Path) -> None:
    article = sample_article()
    caption = "*Vladimir Putin meets Choe Son\\-hui in Moscow on Jan\\. 16, 2024* — photo by TASS Russian News Agency"
    article.body = f"![Two men shake hands](assets/putin-meets-choe.png)\n\n{caption}\n"
    save_bundle(clone(article), tmp_path / "Story.textbundle")
    assert open_bundle(tmp_path / "Story.textbundle").article.body == article.body


def test_text_edited_elsewhere_loses_only_matching_caption_lines(tmp_path: Path) -> None:
    article = sample_article()
    save_bundle(clone(article), tmp_path / "Story.textbundle")
    text_md = tmp_path / "Story.textbundle" / "text.md"
    text_md.write_text(text_md.read_text("utf-8") + "Added in another app.\n", "utf-8")
    opened = open_bundle(tmp_path / "Story.textbundle")
    expected = article.body.replace("\nText right under", "\n\nText right under") + "Added in another app.\n"
    assert opened.article.body == expected
    assert any("edited in another app" in w for w in opened.warnings)


def test_a_caption_changed_elsewhere_is_reported_and_kept_in_the_text(tmp_path: Path) -> None:
    save_bundle(sample_article(), tmp_path / "Story.textbundle")
    text_md = tmp_path / "Story.textbundle" / "text.md"
    text_md.write_text(text_md.read_text("utf-8").replace("*Vladimir Putin", "*President Putin"), "utf-8")
    opened = open_bundle(tmp_path / "Story.textbundle")
    assert "*President Putin" in opened.article.body
    assert any("putin-meets-choe.png" in w and "changed in another app" in w for w in opened.warnings)


@pytest.mark.parametrize("name", FORMS)
def test_a_bundle_changed_on_disk_is_not_overwritten_unless_forced(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    first = save_bundle(sample_article(), path)
    other = sample_article()
    other.body = "Someone else's version."
    save_bundle(other, path, expected_fingerprint=first)
    mine = sample_article()
    mine.body = "My version."
    with pytest.raises(ConflictError, match="changed by another program"):
        save_bundle(clone(mine), path, expected_fingerprint=first)
    assert open_bundle(path).article.body == "Someone else's version."
    save_bundle(clone(mine), path, expected_fingerprint=first, force=True)
    assert open_bundle(path).article.body == "My version."


@pytest.mark.parametrize("name", FORMS)
def test_saving_to_a_new_place_refuses_to_replace_an_existing_bundle(tmp_path: Path, name: str) -> None:
    save_bundle(sample_article(), tmp_path / name)
    with pytest.raises(ConflictError, match="already exists"):
        save_bundle(Article(body="new"), tmp_path / name)
    save_bundle(Article(body="new"), tmp_path / name, force=True)
    assert open_bundle(tmp_path / name).article == Article(body="new")


def test_a_deleted_bundle_is_a_conflict(tmp_path: Path) -> None:
    path = tmp_path / "Story.textpack"
    fingerprint = save_bundle(sample_article(), path)
    path.unlink()
    with pytest.raises(ConflictError, match="moved or deleted"):
        save_bundle(sample_article(), path, expected_fingerprint=fingerprint)


def _disk_full(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def _no_permission(*args: object, **kwargs: object) -> None:
    raise PermissionError(errno.EACCES, "Permission denied")


FAULTS = [
    ("Story.textbundle", "os.replace", _disk_full, "disk is full"),
    ("Story.textpack", "os.replace", _disk_full, "disk is full"),
    ("Story.textbundle", "os.fsync", _disk_full, "disk is full"),
    ("Story.textpack", "os.fsync", _disk_full, "disk is full"),
    ("Story.textbundle", "editor.core.bundle_write.exchange_paths", _no_permission, "no permission"),
    ("Story.textbundle", "os.mkdir", _no_permission, "no permission"),
    ("Story.textpack", "tempfile.mkstemp", _no_permission, "no permission"),
]


@pytest.mark.parametrize(("name", "target", "fault", "message"), FAULTS)
def test_a_failed_save_leaves_the_old_bundle_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, target: str, fault: object, message: str
) -> None:
    path = tmp_path / name
    old = sample_article()
    fingerprint = save_bundle(clone(old), path)
    new = sample_article()
    new.body = "Never saved."
    new.assets.append(ImageAsset.from_bytes("extra.png", png(4, 4)))
    with monkeypatch.context() as patch:
        patch.setattr(target, fault)
        with pytest.raises(BundleError, match=message) as caught:
            save_bundle(new, path, expected_fingerprint=fingerprint)
    assert f"“{path}”" in str(caught.value)
    opened = open_bundle(path)
    assert opened.article == old
    assert opened.fingerprint == fingerprint
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_a_failed_move_without_atomic_exchange_puts_the_old_folder_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "Story.textbundle"
    old = sample_article()
    fingerprint = save_bundle(clone(old), path)
    real_rename = os.rename
    calls = []

    def second_rename_fails(src: object, dst: object) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(errno.EIO, "I/O error")
        real_rename(src, dst)

    monkeypatch.setattr(bundle_write, "exchange_paths", lambda first, second: False)
    monkeypatch.setattr("os.rename", second_rename_fails)
    with pytest.raises(BundleError, match="could not be written"):
        save_bundle(Article(body="lost"), path, expected_fingerprint=fingerprint)
    monkeypatch.undo()
    assert open_bundle(path).article == old
    assert [p.name for p in tmp_path.iterdir()] == ["Story.textbundle"]


@pytest.mark.parametrize("name", FORMS)
def test_a_failed_save_cleans_up_and_keeps_the_old_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         name: str) -> None:
    path = tmp_path / name
    old = sample_article()
    fingerprint = save_bundle(clone(old), path)
    monkeypatch.setattr("os.fsync", _disk_full)
    with pytest.raises(BundleError, match="disk is full"):
        save_bundle(Article(body="lost"), path, expected_fingerprint=fingerprint)
    monkeypatch.undo()
    assert open_bundle(path).article == old
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_saving_without_an_atomic_exchange_still_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bundle_write, "exchange_paths", lambda first, second: False)
    path = tmp_path / "Story.textbundle"
    fingerprint = save_bundle(sample_article(), path)
    article = sample_article()
    article.metadata.title = "Second"
    save_bundle(clone(article), path, expected_fingerprint=fingerprint)
    assert open_bundle(path).article == article
    assert [p.name for p in tmp_path.iterdir()] == ["Story.textbundle"]


def _interrupted_swap(tmp_path: Path, with_new: bool) -> tuple[Path, Article, Article]:
    path = tmp_path / "Story.textbundle"
    old, new = sample_article(), sample_article()
    new.body = "The new version."
    save_bundle(clone(old), path)
    save_bundle(clone(new), tmp_path / "new.textbundle")
    os.rename(path, tmp_path / ".Story.textbundle.old-ab12")
    if with_new:
        os.rename(tmp_path / "new.textbundle", tmp_path / ".Story.textbundle.tmp-ab12")
    return path, old, new


def test_open_completes_a_swap_interrupted_after_the_old_bundle_moved_aside(tmp_path: Path) -> None:
    path, _, new = _interrupted_swap(tmp_path, with_new=True)
    opened = open_bundle(path)
    assert opened.article == new
    assert any("interrupted" in w for w in opened.warnings)
    save_bundle(opened.article, path, expected_fingerprint=opened.fingerprint)
    assert _hidden_leftovers(tmp_path) == []


def test_open_puts_the_old_bundle_back_when_the_new_one_is_gone(tmp_path: Path) -> None:
    path, old, _ = _interrupted_swap(tmp_path, with_new=False)
    opened = open_bundle(path)
    assert opened.article == old
    assert any("previous version" in w for w in opened.warnings)


def test_unchanged_images_are_shared_with_the_old_folder_not_copied(tmp_path: Path) -> None:
    path = tmp_path / "Story.textbundle"
    save_bundle(sample_article(), path)
    before = (path / "assets" / "crowd outside.png").stat().st_ino
    opened = open_bundle(path)
    save_bundle(opened.article, path, expected_fingerprint=opened.fingerprint)
    assert (path / "assets" / "crowd outside.png").stat().st_ino == before


def test_after_saving_the_images_come_from_the_saved_bundle(tmp_path: Path) -> None:
    save_bundle(sample_article(), tmp_path / "a.textpack")
    opened = open_bundle(tmp_path / "a.textpack")
    save_bundle(opened.article, tmp_path / "b.textbundle")
    (tmp_path / "a.textpack").unlink()
    assert opened.article.assets[0].data.read_bytes() == png(3, 2)


@pytest.mark.parametrize(
    "names", [["a/b.png"], ["..", "x.png"], ["Photo.png", "photo.PNG"], [""]], ids=["slash", "dots", "case", "empty"]
)
def test_unusable_image_names_are_refused_before_anything_is_written(tmp_path: Path, names: list[str]) -> None:
    article = Article(assets=[ImageAsset.from_bytes(n, png()) for n in names])
    with pytest.raises(BundleError, match="name"):
        save_bundle(article, tmp_path / "x.textbundle")
    assert list(tmp_path.iterdir()) == []


def test_an_image_whose_bytes_changed_is_refused(tmp_path: Path) -> None:
    asset = ImageAsset.from_bytes("a.png", png())
    asset.sha256 = "0" * 64
    with pytest.raises(BundleError, match=r"a\.png"):
        save_bundle(Article(assets=[asset]), tmp_path / "x.textpack")
    assert list(tmp_path.iterdir()) == []


def test_fingerprint_and_kind(tmp_path: Path) -> None:
    assert bundle_fingerprint(tmp_path / "none.textbundle") is None
    assert bundle_kind(Path("a.TEXTPACK")) == "zip"
    assert bundle_kind(Path("a.textbundle")) == "folder"
    assert bundle_kind(Path("a")) == "folder"


def test_opening_a_missing_bundle_says_so(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="does not exist"):
        open_bundle(tmp_path / "none.textbundle")


def test_other_apps_files_survive_a_save_over_the_folder(tmp_path: Path) -> None:
    path = tmp_path / "Story.textbundle"
    save_bundle(sample_article(), path)
    (path / "extra.json").write_text("{}")
    (path / "notes").mkdir()
    (path / "notes" / "n.txt").write_text("kept")
    opened = open_bundle(path)
    save_bundle(opened.article, path, expected_fingerprint=opened.fingerprint)
    assert (path / "extra.json").read_text() == "{}"
    assert (path / "notes" / "n.txt").read_text() == "kept"
    assert open_bundle(path).article == sample_article()


def test_other_apps_files_survive_a_save_over_the_textpack(tmp_path: Path) -> None:
    path = tmp_path / "Story.textpack"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("text.markdown", "Body\n")
        archive.writestr("other/state.plist", "<plist/>")
        archive.writestr("__MACOSX/._text.markdown", "junk")
    opened = open_bundle(path)
    save_bundle(opened.article, path, expected_fingerprint=opened.fingerprint)
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == [
            "Story.textbundle/info.json", "Story.textbundle/other/state.plist", "Story.textbundle/text.md",
        ]
        assert archive.read("Story.textbundle/other/state.plist") == b"<plist/>"


def test_other_apps_info_keys_survive_our_save(tmp_path: Path) -> None:
    path = tmp_path / "Story.textbundle"
    (path / "assets").mkdir(parents=True)
    (path / "text.md").write_text("Hi\n")
    other = {"net.shinyfrog.bear": {"tags": ["a"]}, "sourceURL": "https://example.com/x"}
    (path / "info.json").write_text(json.dumps({"version": 2, "creatorIdentifier": "net.shinyfrog.bear", **other}))
    opened = open_bundle(path)
    assert opened.article.foreign_info == other
    assert opened.article.metadata.source_url == "https://example.com/x"
    save_bundle(opened.article, path, expected_fingerprint=opened.fingerprint)
    written = json.loads((path / "info.json").read_text())
    assert {k: written[k] for k in other} == other
    assert written["creatorIdentifier"] == APP_ID


def test_forcing_a_folder_bundle_over_a_plain_file_replaces_it(tmp_path: Path) -> None:
    path = tmp_path / "Story.textbundle"
    path.write_text("not a bundle")
    save_bundle(Article(body="x"), path, force=True)
    assert open_bundle(path).article == Article(body="x")
    assert [p.name for p in tmp_path.iterdir()] == ["Story.textbundle"]


def test_the_folder_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "Story.textbundle"
    fingerprint = save_bundle(sample_article(), path)
    path.chmod(0o750)
    fingerprint = bundle_fingerprint(path) or fingerprint
    save_bundle(sample_article(), path, expected_fingerprint=fingerprint)
    assert path.stat().st_mode & 0o777 == 0o750
