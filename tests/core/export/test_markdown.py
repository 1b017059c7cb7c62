"""Markdown export: <slug>.md with YAML front matter and the pictures in images/ beside it."""

from __future__ import annotations

import zipfile

from editor.core.export.markdown import export, markdown_name
from editor.core.frontmatter import split_front_matter
from editor.core.model import Article, ImageAsset
from tests.core.frontmatter_samples import CAPTION, CREDIT, realistic_article


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
