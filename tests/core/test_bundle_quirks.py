"""Reading what other apps really write: nested or flat TextPacks, junk files, odd names, missing pieces."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from editor import APP_ID
from editor.core.bundle import UnsafeArchiveError, open_bundle, save_bundle
from editor.core.model import Status
from tests.core.bundle_samples import png, sample_article
from tests.core.zipcraft import Member, build

INFO = b'{"version": 2, "type": "net.daringfireball.markdown", "transient": false,}'


def _pack(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize("prefix", ["", "Trip.textbundle/", "renamed/"], ids=["flat", "nested", "nested-other-name"])
def test_flat_and_nested_textpacks_read_the_same(tmp_path: Path, prefix: str) -> None:
    path = _pack(tmp_path / "Trip.textpack", {
        f"{prefix}info.json": INFO,
        f"{prefix}text.md": b"Hello\n\n![a](assets/a.png)\n",
        f"{prefix}assets/a.png": png(3, 4),
        "__MACOSX/._text.md": b"junk",
        f"__MACOSX/{prefix}assets/._a.png": b"junk",
        f"{prefix}._text.md": b"junk",
        f"{prefix}.DS_Store": b"junk",
    })
    opened = open_bundle(path)
    assert opened.article.body == "Hello\n\n![a](assets/a.png)\n"
    assert [(a.name, a.caption, a.width, a.height) for a in opened.article.assets] == [("a.png", "", 3, 4)]
    assert opened.article.assets[0].data.read_bytes() == png(3, 4)
    assert opened.warnings == []


def test_text_markdown_is_read_and_text_md_written(tmp_path: Path) -> None:
    path = _pack(tmp_path / "x.textpack", {"info.json": INFO, "text.markdown": b"From another app\n"})
    opened = open_bundle(path)
    assert opened.article.body == "From another app\n"
    save_bundle(opened.article, path, expected_fingerprint=opened.fingerprint)
    with zipfile.ZipFile(path) as archive:
        assert "x.textbundle/text.md" in archive.namelist()
    assert open_bundle(path).article.body == "From another app\n"


def test_info_json_with_trailing_commas_is_read(tmp_path: Path) -> None:
    info = b'{"version": 2, "com.other": {"list": [1, 2,], "s": "a,}",},}'
    opened = open_bundle(_pack(tmp_path / "x.textpack", {"info.json": info, "text.md": b"t"}))
    assert opened.article.foreign_info == {"com.other": {"list": [1, 2], "s": "a,}"}}
    assert opened.warnings == []


def test_missing_info_json_is_a_warning(tmp_path: Path) -> None:
    opened = open_bundle(_pack(tmp_path / "x.textpack", {"text.md": b"Only text"}))
    assert opened.article.body == "Only text"
    assert any("no info.json" in w for w in opened.warnings)


def test_unreadable_info_json_is_a_warning(tmp_path: Path) -> None:
    opened = open_bundle(_pack(tmp_path / "x.textpack", {"info.json": b"{nope", "text.md": b"t"}))
    assert opened.article.body == "t"
    assert any("unreadable" in w for w in opened.warnings)


def test_missing_text_file_is_a_warning(tmp_path: Path) -> None:
    opened = open_bundle(_pack(tmp_path / "x.textpack", {"info.json": INFO}))
    assert opened.article.body == ""
    assert any("no text file" in w for w in opened.warnings)


def test_asset_names_with_spaces_in_every_spelling(tmp_path: Path) -> None:
    body = "![a](assets/my%20photo.png)\n\n![b](<assets/my photo.png>)\n"
    opened = open_bundle(_pack(tmp_path / "x.textpack", {
        "info.json": INFO, "text.md": body.encode(), "assets/my photo.png": png(),
    }))
    assert [a.name for a in opened.article.assets] == ["my photo.png"]
    assert opened.article.used_asset_names() == {"my photo.png"}
    assert opened.warnings == []


def test_an_image_referenced_but_missing_is_a_warning(tmp_path: Path) -> None:
    opened = open_bundle(_pack(tmp_path / "x.textpack", {"info.json": INFO, "text.md": b"![](assets/gone.png)\n"}))
    assert opened.article.assets == []
    assert any("gone.png" in w for w in opened.warnings)


def test_an_image_listed_in_our_info_but_missing_is_dropped_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "x.textbundle"
    save_bundle(sample_article(), path)
    (path / "assets" / "crowd outside.png").unlink()
    opened = open_bundle(path)
    assert [a.name for a in opened.article.assets] == ["putin-meets-choe.png"]
    assert any("crowd outside.png" in w and "missing" in w for w in opened.warnings)


def test_unknown_images_become_assets_with_empty_captions(tmp_path: Path) -> None:
    path = tmp_path / "x.textbundle"
    save_bundle(sample_article(), path)
    (path / "assets" / "dropped in.png").write_bytes(png(4, 3))
    (path / "assets" / "notes.txt").write_bytes(b"not a picture")
    opened = open_bundle(path)
    extra = [(a.name, a.caption, a.width, a.height) for a in opened.article.assets[2:]]
    assert extra == [("dropped in.png", "", 4, 3), ("notes.txt", "", 0, 0)]
    assert opened.article.assets[0].caption.startswith("Vladimir Putin")


def test_a_nested_zip_is_kept_as_an_asset_and_never_opened(tmp_path: Path) -> None:
    inner = build([Member(b"../../evil", b"x")])
    opened = open_bundle(_pack(tmp_path / "x.textpack", {"text.md": b"t", "assets/inner.zip": inner}))
    assert opened.article.assets[0].data.read_bytes() == inner


def test_a_hostile_textpack_is_refused_naming_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "x.textpack"
    path.write_bytes(build([Member(b"text.md", b"t"), Member(b"../../.bashrc", b"evil")]))
    with pytest.raises(UnsafeArchiveError, match=r"\.\./\.\./\.bashrc"):
        open_bundle(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.textpack"]


def test_folder_assets_that_are_links_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "x.textbundle"
    save_bundle(sample_article(), path)
    (tmp_path / "outside.png").write_bytes(png())
    os.symlink(tmp_path / "outside.png", path / "assets" / "link.png")
    os.mkfifo(path / "assets" / "pipe.png")
    opened = open_bundle(path)
    assert [a.name for a in opened.article.assets] == ["putin-meets-choe.png", "crowd outside.png"]
    assert any("link.png" in w for w in opened.warnings)


def test_a_text_file_that_is_a_link_is_not_followed(tmp_path: Path) -> None:
    path = tmp_path / "x.textbundle"
    (path / "assets").mkdir(parents=True)
    (tmp_path / "private.txt").write_text("secret")
    os.symlink(tmp_path / "private.txt", path / "text.md")
    opened = open_bundle(path)
    assert "secret" not in opened.article.body
    assert any("text.md" in w for w in opened.warnings)


def test_a_newer_format_version_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "x.textbundle"
    save_bundle(sample_article(), path)
    info = json.loads((path / "info.json").read_text("utf-8"))
    info[APP_ID]["formatVersion"] = 99
    info[APP_ID]["metadata"]["status"] = "embargoed"
    info[APP_ID]["newThing"] = {"x": 1}
    (path / "info.json").write_text(json.dumps(info), "utf-8")
    opened = open_bundle(path)
    assert opened.article.metadata.title == "Talks in Moscow"
    assert opened.article.metadata.status is Status.DRAFT
    assert any("newer version" in w for w in opened.warnings)
    assert any("embargoed" in w for w in opened.warnings)


def test_data_without_a_format_version_is_read_as_version_one(tmp_path: Path) -> None:
    path = tmp_path / "x.textbundle"
    save_bundle(sample_article(), path)
    info = json.loads((path / "info.json").read_text("utf-8"))
    del info[APP_ID]["formatVersion"]
    (path / "info.json").write_text(json.dumps(info), "utf-8")
    opened = open_bundle(path)
    assert opened.article == sample_article()
    assert opened.warnings == []


def test_wrongly_typed_fields_fall_back_to_defaults(tmp_path: Path) -> None:
    ours = {"formatVersion": 1, "metadata": {"title": 5, "tags": "x", "authors": ["A"]},
            "assets": [{"name": "a.png", "width": "wide", "caption": ["no"]}, "junk", {"name": 3}]}
    info = json.dumps({"version": 2, APP_ID: ours}).encode()
    opened = open_bundle(_pack(tmp_path / "x.textpack", {"info.json": info, "text.md": b"t", "assets/a.png": png()}))
    assert opened.article.metadata.title == ""
    assert opened.article.metadata.tags == []
    assert opened.article.metadata.authors == ["A"]
    assert [(a.name, a.width, a.caption) for a in opened.article.assets] == [("a.png", 0, "")]


def test_a_text_file_with_a_bom_or_old_encoding_is_read(tmp_path: Path) -> None:
    opened = open_bundle(_pack(tmp_path / "a.textpack", {"text.md": "\ufeffCaf\u00e9".encode()}))
    assert opened.article.body == "Caf\u00e9"
    opened = open_bundle(_pack(tmp_path / "b.textpack", {"text.md": "Caf\u00e9".encode("cp1252")}))
    assert opened.article.body == "Caf\u00e9"
    assert any("UTF-8" in w for w in opened.warnings)


def test_oversized_folder_images_are_left_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from editor.core import bundle_read

    path = tmp_path / "x.textbundle"
    save_bundle(sample_article(), path)
    monkeypatch.setattr(bundle_read, "MAX_ASSET_SIZE", 100)
    (path / "assets" / "huge.png").write_bytes(b"x" * 101)
    opened = open_bundle(path)
    assert "huge.png" not in [a.name for a in opened.article.assets]
    assert any("huge.png" in w for w in opened.warnings)
