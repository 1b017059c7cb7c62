"""Markdown export: <slug>.md with YAML front matter and the pictures in images/ beside it."""

from __future__ import annotations

import zipfile

import pytest

from editor.core.export import OutputExistsError, export_article
from editor.core.export.markdown import export, markdown_name
from editor.core.frontmatter import split_front_matter
from editor.core.importers import import_source
from editor.core.model import Article, ImageAsset
from tests.core.frontmatter_samples import CAPTION, CREDIT, picture, realistic_article, words


def test_folder_holds_the_text_and_an_images_folder(tmp_path):
    article = realistic_article()
    out = tmp_path / "export"
    assert export(article, out) == []
    slug = article.metadata.effective_slug
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == sorted([
        f"{slug}.md", "images", "images/flag.png", "images/putin-meets-choe.jpg",
    ])
    for asset in article.assets:
        assert (out / "images" / asset.name).read_bytes() == asset.data.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export"]


def test_front_matter_uses_hugo_keys_with_paths_into_images(tmp_path):
    article = realistic_article()
    export(article, tmp_path / "export")
    text = (tmp_path / "export" / markdown_name(article)).read_text(encoding="utf-8")
    data, body, kind = split_front_matter(text)
    assert kind == "yaml"
    assert data["title"] == article.metadata.title
    assert data["images"] == ["images/putin-meets-choe.jpg"]
    first = data["resources"][0]
    assert first["src"] == "images/putin-meets-choe.jpg"
    assert first["title"] == CAPTION
    assert first["params"]["credit"] == CREDIT
    assert first["params"]["alt"] == article.assets[0].alt
    assert "![Two men shake hands](images/putin-meets-choe.jpg)" in body
    assert "A flag ![flag inline](images/flag.png) in a sentence." in body
    assert "```\n![not a figure](assets/flag.png)\n```" in body  # code is left as written
    assert "{{<" not in body


def test_zip_out_and_untitled_article(tmp_path):
    article = Article(body="Just text.\n")
    export(article, tmp_path / "out.zip")
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        assert archive.namelist() == ["article.md"]
        assert archive.read("article.md").decode("utf-8").endswith("---\n\nJust text.\n")


def test_existing_out_is_replaced_not_mixed(tmp_path):
    out = tmp_path / "export"
    (out / "images").mkdir(parents=True)
    (out / "images" / "old.jpg").write_bytes(b"old")
    export(realistic_article(), out)
    assert not (out / "images" / "old.jpg").exists()


def test_unsafe_name_is_left_out_with_a_note(tmp_path):
    article = Article(body="x", assets=[ImageAsset.from_bytes("a/../../b.jpg", b"x")])
    assert len(export(article, tmp_path / "export")) == 1
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["article.md", "export"]


def _article_with_unused_picture() -> Article:
    article = realistic_article()
    article.assets.append(ImageAsset.from_bytes(
        "spare.png", picture("PNG", "yellow", (40, 30)), alt="An empty hall", caption="The hall, later",
        credit="photo by Ann Öberg", width=40, height=30,
    ))
    return article


def test_out_ending_in_md_is_the_file_with_its_pictures_folder_beside_it(tmp_path):
    article = _article_with_unused_picture()
    result = export_article(article, "markdown", tmp_path / "x.md")
    assert result.notes == []
    assert (tmp_path / "x.md").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.md", "x_files"]
    assert sorted(p.name for p in (tmp_path / "x_files").iterdir()) == ["flag.png", "putin-meets-choe.jpg", "spare.png"]
    data, body, _ = split_front_matter((tmp_path / "x.md").read_text(encoding="utf-8"))
    assert [entry["src"] for entry in data["resources"]] == [
        "x_files/putin-meets-choe.jpg", "x_files/flag.png", "x_files/spare.png"]
    assert "![Two men shake hands](x_files/putin-meets-choe.jpg)" in body
    back = import_source(tmp_path / "x.md")
    assert back.notes == []
    assert back.article.body == article.body and back.article.metadata == article.metadata
    assert words(back.article) == words(article)


def test_md_out_with_spaces_in_its_name_still_links_its_pictures(tmp_path):
    article = realistic_article()
    export_article(article, "markdown", tmp_path / "My post.md")
    assert (tmp_path / "My post_files" / "flag.png").is_file()
    assert "(My%20post_files/putin-meets-choe.jpg)" in (tmp_path / "My post.md").read_text(encoding="utf-8")
    back = import_source(tmp_path / "My post.md")
    assert back.notes == [] and words(back.article) == words(article)


def test_md_out_without_pictures_makes_no_folder(tmp_path):
    export_article(Article(body="Just text.\n"), "markdown", tmp_path / "x.md")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.md"]
    assert (tmp_path / "x.md").read_text(encoding="utf-8").endswith("---\n\nJust text.\n")


def test_an_existing_pictures_folder_is_refused_without_force_and_replaced_with_it(tmp_path):
    (tmp_path / "x_files").mkdir()
    (tmp_path / "x_files" / "old.jpg").write_bytes(b"old")
    with pytest.raises(OutputExistsError):
        export_article(realistic_article(), "markdown", tmp_path / "x.md")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x_files"]
    export_article(realistic_article(), "markdown", tmp_path / "x.md", force=True)
    assert sorted(p.name for p in (tmp_path / "x_files").iterdir()) == ["flag.png", "putin-meets-choe.jpg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.md", "x_files"]


def test_the_exported_folder_itself_can_be_imported(tmp_path):
    article = _article_with_unused_picture()
    export_article(article, "markdown", tmp_path / "export")
    back = import_source(tmp_path / "export")
    assert back.notes == [] and back.article.body == article.body and words(back.article) == words(article)


@pytest.mark.parametrize("name", ["Part #2.md", "odd [1]?.md", "100%*.md"])
def test_md_out_whose_name_links_read_specially_still_comes_back_whole(tmp_path, name):
    article = realistic_article()
    export_article(article, "markdown", tmp_path / name)
    back = import_source(tmp_path / name)
    assert back.notes == []
    assert words(back.article) == words(article)
    assert back.article.body == article.body
