"""Markdown file import with front matter and local pictures, and the round trip bundle → markdown → import."""

from __future__ import annotations

import pytest

from editor.core.errors import EditorError
from editor.core.export.markdown import export, markdown_name
from editor.core.importers.markdown import import_markdown_file
from editor.core.model import ImageAsset, Status
from tests.core.frontmatter_samples import picture, realistic_article, words


def test_round_trip_keeps_text_metadata_and_words(tmp_path):
    article = realistic_article()
    export(article, tmp_path / "export")
    result = import_markdown_file(tmp_path / "export" / markdown_name(article))
    assert result.notes == []
    back = result.article
    assert back.body == article.body
    assert back.metadata == article.metadata
    assert words(back) == words(article)
    assert [(a.name, a.width, a.height) for a in back.assets] == [(a.name, a.width, a.height) for a in article.assets]


def test_jekyll_post_with_local_pictures(tmp_path):
    posts = tmp_path / "_posts"
    posts.mkdir()
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "Cover Photo.PNG").write_bytes(picture("PNG", "green"))
    post = posts / "2024-01-16-welcome.md"
    post.write_text(
        "---\nlayout: post\ntitle: Welcome\ndate: 2024-01-16 09:30:00 +0100\ncategories: [news, site]\n"
        "tags: one two\npublished: false\npermalink: /welcome/\n---\n\n"
        "Intro.\n\n![A \\[cover\\]](../img/Cover%20Photo.PNG \"t\")\n\n![gone](../img/none.jpg)\n",
        encoding="utf-8",
    )
    result = import_markdown_file(post)
    article = result.article
    meta = article.metadata
    assert (meta.title, meta.date, meta.section, meta.tags) == ("Welcome", "2024-01-16T09:30:00+01:00", "news",
                                                               ["one", "two"])
    assert meta.status is Status.DRAFT
    assert meta.custom == {"layout": "post", "permalink": "/welcome/", "categories": "news, site"}
    assert [a.name for a in article.assets] == ["cover-photo.png"]
    assert article.assets[0].alt == "A [cover]"
    assert '![A \\[cover\\]](assets/cover-photo.png "t")' in article.body
    assert "![gone](../img/none.jpg)" in article.body
    assert len(result.notes) == 1 and "none.jpg" in result.notes[0]


def test_featured_image_points_at_the_imported_asset(tmp_path):
    (tmp_path / "p.jpg").write_bytes(picture("JPEG", "red"))
    (tmp_path / "a.md").write_text("---\ntitle: T\nimage: /assets/p.jpg\n---\n![x](p.jpg)\n")
    assert import_markdown_file(tmp_path / "a.md").article.metadata.featured_image == "p.jpg"


def test_featured_image_not_brought_in_is_dropped_with_a_note(tmp_path):
    (tmp_path / "a.md").write_text("---\ntitle: T\nimages: [cover.jpg]\n---\nText\n")
    result = import_markdown_file(tmp_path / "a.md")
    assert result.article.metadata.featured_image == ""
    assert "cover.jpg" in result.notes[0]


def test_file_without_front_matter_is_just_text(tmp_path):
    (tmp_path / "a.md").write_text("# Title\n\nText\n")
    result = import_markdown_file(tmp_path / "a.md")
    assert result.article.body == "# Title\n\nText\n" and result.notes == []


@pytest.mark.parametrize("where", ["a.md", "sub/a.md"])
def test_links_to_pictures_outside_the_folder_are_not_followed(tmp_path, where):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(picture("PNG", "red"))
    inside = tmp_path / "doc"
    (inside / "sub").mkdir(parents=True)
    (inside / "secret.png").symlink_to(outside / "secret.png")
    text = inside / where
    text.write_text("![x](secret.png)\n" if where == "a.md" else "![x](../secret.png)\n")
    result = import_markdown_file(text)
    assert result.article.assets == []
    assert "link" in result.notes[0]


def test_non_picture_files_are_never_taken_in(tmp_path):
    (tmp_path / "passwd.png").write_text("root:x:0:0\n")
    (tmp_path / "a.md").write_text("![x](passwd.png) ![y](.)\n")
    result = import_markdown_file(tmp_path / "a.md")
    assert result.article.assets == [] and len(result.notes) == 2


def test_remote_images_stay_links_with_a_note(tmp_path):
    (tmp_path / "a.md").write_text("![x](https://example.org/x.jpg)\n")
    result = import_markdown_file(tmp_path / "a.md")
    assert result.article.body == "![x](https://example.org/x.jpg)\n"
    assert "not a local file" in result.notes[0]


@pytest.mark.parametrize("content", [b"---\ntitle: [\n---\n", b"bin\0ary", b"+++\ntitle = \n+++\n"])
def test_bad_input_is_refused_in_one_sentence(tmp_path, content):
    (tmp_path / "a.md").write_bytes(content)
    with pytest.raises(EditorError) as caught:
        import_markdown_file(tmp_path / "a.md")
    assert "\n" not in str(caught.value) and str(caught.value).endswith(".")


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(EditorError, match="could not be read"):
        import_markdown_file(tmp_path / "none.md")


def _with_unused_picture():
    article = realistic_article()
    spare = ImageAsset.from_bytes(
        "spare-shot.png", picture("PNG", "yellow", (40, 30)), alt="An empty hall", caption="The hall, later",
        credit="photo by Ann Öberg", source_url="https://example.org/hall", licence="CC0", width=40, height=30,
    )
    article.assets.insert(1, spare)
    return article


def test_round_trip_keeps_pictures_the_text_does_not_show(tmp_path):
    article = _with_unused_picture()
    export(article, tmp_path / "export")
    result = import_markdown_file(tmp_path / "export" / markdown_name(article))
    assert result.notes == []
    back = result.article
    assert [a.name for a in back.assets] == ["putin-meets-choe.jpg", "spare-shot.png", "flag.png"]
    assert words(back) == words(article)
    assert back.body == article.body
    assert "spare-shot.png" not in back.used_asset_names()


def test_a_listed_picture_that_is_missing_gets_a_note(tmp_path):
    article = _with_unused_picture()
    export(article, tmp_path / "export")
    (tmp_path / "export" / "images" / "spare-shot.png").unlink()
    result = import_markdown_file(tmp_path / "export" / markdown_name(article))
    assert [a.name for a in result.article.assets] == ["putin-meets-choe.jpg", "flag.png"]
    assert len(result.notes) == 1 and "spare-shot.png" in result.notes[0]


def test_the_same_picture_listed_twice_is_brought_in_once_with_a_note(tmp_path):
    data = picture("PNG", "green")
    (tmp_path / "a.png").write_bytes(data)
    (tmp_path / "b.png").write_bytes(data)
    (tmp_path / "a.md").write_text(
        "---\ntitle: T\nresources:\n- src: a.png\n  title: First\n- src: b.png\n  title: Second\n---\nText\n",
        encoding="utf-8",
    )
    result = import_markdown_file(tmp_path / "a.md")
    assert [(a.name, a.caption) for a in result.article.assets] == [("a.png", "First")]
    assert len(result.notes) == 1 and "b.png" in result.notes[0]


@pytest.mark.parametrize("listed", ["/ABS/outside.png", "../outside.png", "sub/../../outside.png",
                                    "file:///ABS/outside.png", "C:/outside.png"])
def test_a_listed_picture_outside_the_folder_is_left_out_with_a_note(tmp_path, listed):
    (tmp_path / "outside.png").write_bytes(picture("PNG", "red"))
    folder = tmp_path / "post"
    (folder / "sub").mkdir(parents=True)
    listed = listed.replace("/ABS", str(tmp_path))
    (folder / "post.md").write_text(f"---\ntitle: T\nresources:\n- src: {listed}\n  title: Unseen\n---\nText.\n",
                                    encoding="utf-8")
    result = import_markdown_file(folder / "post.md")
    assert result.article.assets == []
    assert len(result.notes) == 1 and "not inside the file's folder" in result.notes[0]
