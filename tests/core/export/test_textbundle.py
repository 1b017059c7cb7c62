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
