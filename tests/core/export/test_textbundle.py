"""TextBundle and TextPack export: the native bundle, read back exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.core.bundle import open_bundle
from editor.core.export import export_article
from editor.core.export.textbundle import export_copy
from editor.core.model import Article
from tests.core.bundle_samples import clone, sample_article


def assert_same_article(got: Article, expected: Article) -> None:
    """Text, metadata, other apps' data and every image's words and bytes are equal."""
    assert got.body == expected.body
    assert got.metadata == expected.metadata
    assert got.foreign_info == expected.foreign_info
    assert got.assets == expected.assets
    for mine, theirs in zip(got.assets, expected.assets, strict=True):
        assert mine.data.read_bytes() == theirs.data.read_bytes()


@pytest.mark.parametrize("name", ["story.textpack", "story.textbundle"])
def test_export_reads_back_as_the_same_article(tmp_path: Path, name: str) -> None:
    article = sample_article()
    export_article(article, "textpack" if name.endswith("pack") else "textbundle", tmp_path / name)
    opened = open_bundle(tmp_path / name)
    assert opened.warnings == []
    assert_same_article(opened.article, sample_article())


def test_the_textpack_is_a_zip_and_the_textbundle_a_folder(tmp_path: Path) -> None:
    export_article(sample_article(), "textpack", tmp_path / "a.textpack")
    export_article(sample_article(), "textbundle", tmp_path / "a.textbundle")
    assert (tmp_path / "a.textpack").read_bytes()[:4] == b"PK\x03\x04"
    assert sorted(p.name for p in (tmp_path / "a.textbundle").iterdir()) == ["assets", "info.json", "text.md"]


def test_export_leaves_the_exported_article_pointing_at_its_own_images(tmp_path: Path) -> None:
    source = tmp_path / "source.textbundle"
    export_article(sample_article(), "textbundle", source)
    article = open_bundle(source).article
    before = [repr(asset.data) for asset in article.assets]
    export_article(article, "textpack", tmp_path / "copy.textpack")
    assert [repr(asset.data) for asset in article.assets] == before
    assert all(str(source) in text for text in before)


def test_clean_variant_is_a_complete_bundle_too(tmp_path: Path) -> None:
    export_article(sample_article(), "textpack", tmp_path / "clean.textpack", clean=True)
    assert_same_article(open_bundle(tmp_path / "clean.textpack").article, sample_article())


def test_export_copy_shares_bytes_but_not_fields() -> None:
    article = sample_article()
    copy = export_copy(article)
    copy.assets[0].caption = "changed"
    copy.metadata.tags.append("changed")
    assert article.assets[0].caption != "changed"
    assert "changed" not in article.metadata.tags
    assert copy.assets[0].data is article.assets[0].data
    assert clone(article).body == copy.body


def reviewed_sample() -> Article:
    """The sample story under review: a comment, a status history, and a saved version."""
    from datetime import UTC, datetime

    from editor.core.model import Comment, Status, StatusChange
    from editor.core.versions import save_version

    article = sample_article()
    article.comments = [Comment(id="c1", author="Bo", text="SECRET-REMARK about the source", quote="Moscow")]
    article.status_history = [StatusChange(Status.IN_REVIEW, "Ann", "2026-11-26T09:00:00+00:00")]
    save_version(article, "SECRET-VERSION as sent", "Ann", datetime(2026, 11, 26, tzinfo=UTC))
    return article


def bundle_names(path: Path) -> list[str]:
    if path.is_dir():
        return sorted(p.relative_to(path).as_posix() for p in path.rglob("*"))
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return sorted(archive.namelist())


@pytest.mark.parametrize("name", ["story.textpack", "story.textbundle"])
def test_full_export_carries_the_review_data(tmp_path: Path, name: str) -> None:
    from editor.core.versions import list_versions

    fmt = "textpack" if name.endswith("pack") else "textbundle"
    export_article(reviewed_sample(), fmt, tmp_path / name)
    opened = open_bundle(tmp_path / name).article
    assert [v.name for v in list_versions(opened)] == ["SECRET-VERSION as sent"]
    assert any("org.article-editor/versions/" in n for n in bundle_names(tmp_path / name))


@pytest.mark.parametrize("name", ["story.textpack", "story.textbundle"])
def test_clean_export_leaves_comments_history_and_versions_out(tmp_path: Path, name: str) -> None:
    from editor.core.versions import keep_objects

    article = reviewed_sample()
    gone = article.assets.pop()
    keep_objects(article.private_files, article.assets, {gone.sha256: gone.data})
    assert article.private_files.keys() > set()
    fmt = "textpack" if name.endswith("pack") else "textbundle"
    export_article(article, fmt, tmp_path / name, clean=True)
    names = bundle_names(tmp_path / name)
    assert not any("org.article-editor" in n for n in names)
    opened = open_bundle(tmp_path / name).article
    assert opened.comments == [] and opened.status_history == [] and opened.private_files == {}
    assert opened.body == article.body
    everything = b"".join((tmp_path / name / n).read_bytes() for n in names if (tmp_path / name / n).is_file()) \
        if (tmp_path / name).is_dir() else (tmp_path / name).read_bytes()
    assert b"SECRET" not in everything
    assert len(article.private_files) == 2  # the caller's article keeps its review data


@pytest.mark.parametrize(("fmt", "name"), [("hugo", "site"), ("jekyll", "blog"), ("markdown", "md"),
                                           ("html", "page.html")])
def test_other_formats_never_carry_review_data(tmp_path: Path, fmt: str, name: str) -> None:
    export_article(reviewed_sample(), fmt, tmp_path / name)
    out = tmp_path / name
    files = [p for p in out.rglob("*") if p.is_file()] if out.is_dir() else [out]
    assert files
    for file in files:
        assert b"SECRET" not in file.read_bytes(), file
        assert "org.article-editor" not in file.as_posix()
