"""Choosing an export format and placing its output: OUT checks, replacing, leaving nothing behind, progress."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

import editor.core.export.jekyll as jekyll_module
from editor.core.errors import EditorError
from editor.core.export import (
    FORMATS,
    OutputExistsError,
    default_output_name,
    export_article,
    format_module,
)
from editor.core.export.common import place
from editor.core.model import Article, AssetData, ImageAsset, Metadata
from tests.core.bundle_samples import png, sample_article

# Formats whose output needs no outside program, with an OUT name each.
LOCAL_OUTPUTS = [
    ("textbundle", "story.textbundle"), ("textpack", "story.textpack"), ("jekyll", "site"),
    ("jekyll", "site.zip"), ("html", "story.html"), ("html", "web"), ("html", "web.zip"),
]


def everything_under(folder: Path) -> set[str]:
    """Every path below a folder, hidden ones included, relative to it."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def test_formats_are_listed_in_menu_order_and_each_has_a_module() -> None:
    assert list(FORMATS) == ["textbundle", "textpack", "hugo", "jekyll", "markdown", "html", "pdf", "docx", "odt",
                             "epub"]
    for fmt in FORMATS:
        assert callable(format_module(fmt).export)


def test_unknown_format_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    with pytest.raises(EditorError, match="“rtf” is not an export format"):
        export_article(sample_article(), "rtf", tmp_path / "story.rtf")
    assert everything_under(tmp_path) == set()


def test_missing_parent_folder_is_refused_in_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(EditorError, match="does not exist") as caught:
        export_article(sample_article(), "html", tmp_path / "nowhere" / "story.html")
    assert str(caught.value).count(".") <= 2 and "\n" not in str(caught.value)
    assert everything_under(tmp_path) == set()


@pytest.mark.parametrize(("fmt", "name"), [("textpack", "story.zip"), ("pdf", "story.html"), ("docx", "story.odt")])
def test_a_single_file_format_needs_its_own_suffix(tmp_path: Path, fmt: str, name: str) -> None:
    with pytest.raises(EditorError, match="should end in"):
        export_article(sample_article(), fmt, tmp_path / name)
    assert everything_under(tmp_path) == set()


@pytest.mark.parametrize(("fmt", "name"), LOCAL_OUTPUTS)
def test_an_existing_output_is_kept_unless_force_is_given(tmp_path: Path, fmt: str, name: str) -> None:
    out = tmp_path / name
    out.write_bytes(b"precious")
    with pytest.raises(OutputExistsError, match="already exists") as caught:
        export_article(sample_article(), fmt, out)
    assert caught.value.path == out
    assert out.read_bytes() == b"precious"
    assert everything_under(tmp_path) == {name}


@pytest.mark.parametrize(("fmt", "name"), LOCAL_OUTPUTS)
def test_force_replaces_an_existing_output_of_either_kind(tmp_path: Path, fmt: str, name: str) -> None:
    out = tmp_path / name
    out.mkdir()
    (out / "stale.txt").write_text("from an older export")
    result = export_article(sample_article(), fmt, out, force=True)
    assert result.output == out
    assert not (out / "stale.txt").exists()
    assert everything_under(tmp_path) - {name} == {p for p in everything_under(tmp_path) if p.startswith(name + "/")}


@pytest.mark.parametrize(("fmt", "name"), LOCAL_OUTPUTS)
def test_nothing_is_written_outside_out(tmp_path: Path, fmt: str, name: str) -> None:
    export_article(sample_article(), fmt, tmp_path / name)
    top_level = {path.split("/")[0] for path in everything_under(tmp_path)}
    assert top_level == {name}


@pytest.mark.parametrize("fmt", ["jekyll", "html"])
def test_an_image_name_that_climbs_out_never_leaves_out(tmp_path: Path, fmt: str) -> None:
    site = tmp_path / "site"
    site.mkdir()
    article = Article(body="![x](assets/../../evil.png)\n\n<img src=\"assets/../../evil.png\">\n",
                      metadata=Metadata(title="Trap"), assets=[ImageAsset.from_bytes("../../evil.png", png())])
    with contextlib.suppress(EditorError):
        export_article(article, fmt, site / "out")
    assert {p for p in everything_under(tmp_path) if not p.startswith("site/out")} == {"site"}


def test_a_featured_image_whose_name_climbs_out_is_refused_and_nothing_is_left(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    article = Article(body="Text.\n", metadata=Metadata(title="Trap", featured_image="../../evil.png"),
                      assets=[ImageAsset.from_bytes("../../evil.png", png())])
    with pytest.raises(EditorError, match="cannot be used as a file name"):
        export_article(article, "jekyll", site / "out")
    assert everything_under(tmp_path) == {"site"}


def test_a_hand_typed_slug_cannot_lead_the_post_out_of_the_site(tmp_path: Path) -> None:
    article = sample_article()
    article.metadata.slug = "../../../outside"
    export_article(article, "jekyll", tmp_path / "site")
    assert {path.split("/")[0] for path in everything_under(tmp_path)} == {"site"}
    assert [p.name for p in (tmp_path / "site" / "_posts").iterdir()] == ["2024-01-16-outside.md"]


@pytest.mark.parametrize(("fmt", "name"), LOCAL_OUTPUTS)
def test_a_failing_export_leaves_nothing_behind(tmp_path: Path, fmt: str, name: str) -> None:
    article = sample_article()
    # The second picture's file vanished: the export fails half-way through the images.
    article.assets[1].data = AssetData(tmp_path / "gone.png")
    with pytest.raises(EditorError):
        export_article(article, fmt, tmp_path / name)
    assert everything_under(tmp_path) == set()


@pytest.mark.parametrize(("fmt", "name"), LOCAL_OUTPUTS)
def test_a_failing_forced_export_keeps_the_old_output(tmp_path: Path, fmt: str, name: str) -> None:
    out = tmp_path / name
    out.write_bytes(b"old export")
    article = sample_article()
    article.assets[1].data = AssetData(tmp_path / "gone.png")
    with pytest.raises(EditorError):
        export_article(article, fmt, out, force=True)
    assert out.read_bytes() == b"old export"
    assert everything_under(tmp_path) == {name}


def test_an_unexpected_os_error_in_a_format_becomes_one_sentence(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def half_write(article: Article, out: Path, **_options: object) -> list[str]:
        out.mkdir()
        (out / "part.md").write_text("half")
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(jekyll_module, "export", half_write)
    with pytest.raises(EditorError, match="no permission") as caught:
        export_article(sample_article(), "jekyll", tmp_path / "site")
    assert "site" in str(caught.value)
    assert everything_under(tmp_path) == set()


def test_a_format_that_writes_nothing_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jekyll_module, "export", lambda article, out, **options: [])
    with pytest.raises(EditorError, match="produced nothing"):
        export_article(sample_article(), "jekyll", tmp_path / "site")
    assert everything_under(tmp_path) == set()


@pytest.mark.parametrize(("fmt", "name"), LOCAL_OUTPUTS)
def test_progress_is_reported_and_ends_complete(tmp_path: Path, fmt: str, name: str) -> None:
    calls: list[tuple[int, int]] = []
    export_article(sample_article(), fmt, tmp_path / name, progress=lambda done, total: calls.append((done, total)))
    assert calls, "no progress was reported"
    assert all(0 <= done <= total for done, total in calls)
    assert calls[-1][0] == calls[-1][1] > 0


def test_notes_of_the_format_are_returned(tmp_path: Path) -> None:
    article = sample_article()
    article.body += "\n![gone](assets/not-there.png)\n"
    result = export_article(article, "html", tmp_path / "story.html")
    assert any("not-there.png" in note for note in result.notes)


def test_default_output_names_follow_the_slug_and_format() -> None:
    article = sample_article()
    assert default_output_name(article, "textpack") == "talks-in-moscow.textpack"
    assert default_output_name(article, "hugo") == "talks-in-moscow"
    assert default_output_name(article, "html") == "talks-in-moscow.html"
    assert default_output_name(article, "epub") == "talks-in-moscow.epub"
    assert default_output_name(Article(), "pdf") == "article.pdf"
    assert len({default_output_name(article, fmt) for fmt in FORMATS}) == len(FORMATS)
    with pytest.raises(EditorError):
        default_output_name(article, "rtf")


def test_place_swaps_a_file_for_a_folder(tmp_path: Path) -> None:
    built = tmp_path / "built"
    built.mkdir()
    (built / "index.html").write_text("new")
    out = tmp_path / "out"
    out.write_text("old file")
    place(built, out)
    assert (out / "index.html").read_text() == "new"
    assert sorted(os.listdir(tmp_path)) == ["out"]
