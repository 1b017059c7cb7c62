"""Hugo page bundle import, and the round trip bundle → hugo → import."""

from __future__ import annotations

import pytest

from editor.core.errors import EditorError
from editor.core.export.hugo import export
from editor.core.importers.hugo import import_page_bundle, shortcode_params
from editor.core.model import Status
from tests.core.frontmatter_samples import picture, realistic_article, words


def test_round_trip_gives_back_the_same_article(tmp_path):
    article = realistic_article()
    export(article, tmp_path / "story")
    result = import_page_bundle(tmp_path / "story")
    assert result.notes == []
    back = result.article
    assert back.body == article.body
    assert back.metadata == article.metadata
    assert words(back) == words(article)
    assert back.assets == article.assets  # names, hashes, sizes and words alike


def test_round_trip_of_a_published_article_without_dates_or_words(tmp_path):
    article = realistic_article()
    article.metadata.status = Status.PUBLISHED
    article.metadata.date = article.metadata.updated = ""
    for asset in article.assets:
        asset.alt = asset.caption = asset.credit = asset.source_url = asset.licence = ""
    export(article, tmp_path / "story")
    back = import_page_bundle(tmp_path / "story").article
    assert (back.body, back.metadata, words(back)) == (article.body, article.metadata, words(article))


def test_foreign_bundle_with_figures_and_subfolder_pictures(tmp_path):
    folder = tmp_path / "post"
    (folder / "img").mkdir(parents=True)
    (folder / "img" / "a.png").write_bytes(picture("PNG", "red"))
    (folder / "b.jpg").write_bytes(picture("JPEG", "blue"))
    (folder / "unused.gif").write_bytes(picture("GIF", "white"))
    (folder / "notes.txt").write_text("not a picture")
    (folder / "index.md").write_text(
        "+++\ntitle = \"Hello\"\ndraft = false\n"
        "[[resources]]\nsrc = \"b.jpg\"\ntitle = \"From resources\"\n[resources.params]\ncredit = \"Res credit\"\n"
        "+++\n"
        '{{< figure src="img/a.png" alt="An \\"a\\"" caption="Cap &amp; *more*" attr="Someone" >}}\n\n'
        "![b](b.jpg) and ![gone](missing.jpg) and ![web](https://example.org/x.jpg)\n",
        encoding="utf-8",
    )
    result = import_page_bundle(folder)
    article = result.article
    assert article.metadata.title == "Hello" and article.metadata.status is Status.PUBLISHED
    assert [a.name for a in article.assets] == ["b.jpg", "a.png", "unused.gif"]
    b, a, _ = article.assets
    assert (b.caption, b.credit) == ("From resources", "Res credit")
    assert (a.alt, a.caption, a.credit) == ('An "a"', "Cap & *more*", "Someone")
    assert article.body.startswith('![An "a"](assets/a.png)\n\n![b](assets/b.jpg) and ![gone](missing.jpg)')
    assert len(result.notes) == 1 and "missing.jpg" in result.notes[0]


def test_a_file_that_is_not_a_picture_is_left_out_with_a_note(tmp_path):
    folder = tmp_path / "post"
    folder.mkdir()
    (folder / "fake.jpg").write_text("#!/bin/sh\n")
    (folder / "index.md").write_text("---\ntitle: T\n---\n![x](fake.jpg)\n")
    result = import_page_bundle(folder)
    assert result.article.assets == []
    assert result.article.body == "![x](fake.jpg)\n"
    assert len(result.notes) == 1 and "fake.jpg" in result.notes[0]


def test_link_out_of_the_bundle_is_not_followed(tmp_path):
    outside = tmp_path / "secret.png"
    outside.write_bytes(picture("PNG", "red"))
    folder = tmp_path / "post"
    folder.mkdir()
    (folder / "pic.png").symlink_to(outside)
    (folder / "index.md").write_text("---\ntitle: T\n---\n![x](pic.png)\n")
    result = import_page_bundle(folder)
    assert result.article.assets == []
    assert "link" in result.notes[0]


def test_folder_without_index_is_refused(tmp_path):
    with pytest.raises(EditorError, match=r"no index\.md"):
        import_page_bundle(tmp_path)


def test_bad_front_matter_is_refused_in_one_sentence(tmp_path):
    (tmp_path / "index.md").write_text("---\ntitle: [\n---\nBody\n")
    with pytest.raises(EditorError, match=r"^The YAML front matter cannot be read"):
        import_page_bundle(tmp_path)


def test_shortcode_params_read_quoted_raw_and_bare_values():
    assert shortcode_params('src="a b.jpg" alt="say \\"hi\\"" caption=`raw "x"` width=300') == {
        "src": "a b.jpg", "alt": 'say "hi"', "caption": 'raw "x"', "width": "300",
    }
