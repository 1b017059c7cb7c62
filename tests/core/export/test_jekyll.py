"""Jekyll export: a post in _posts with front matter, its images in assets, figures that keep captions and credits."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml

from editor.core.export import export_article
from editor.core.export.jekyll import escape_liquid, retarget
from editor.core.model import Article, Metadata, Status
from tests.core.bundle_samples import sample_article
from tests.core.export.printed_sample import ALT, CAPTION, CREDIT, SECOND_ALT, realistic_article

_LIQUID_URL = re.compile(r"\{\{ '([^']*)' \| relative_url \}\}")
_RAW = re.compile(r"\{% raw %\}(.*?)\{% endraw %\}")


def split_post(path: Path) -> tuple[dict, str]:
    """The front matter and body of a post file."""
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf"), "Jekyll posts must not start with a byte order mark"
    _, front, body = data.decode("utf-8").split("---\n", 2)
    assert body.startswith("\n")
    return yaml.safe_load(front), body[1:]


def only_post(site: Path) -> Path:
    """The single post in a site folder."""
    posts = list((site / "_posts").iterdir())
    assert len(posts) == 1
    return posts[0]


def test_post_is_named_by_date_and_slug_with_its_images_in_assets(tmp_path: Path) -> None:
    article = realistic_article()
    export_article(article, "jekyll", tmp_path / "site")
    assert only_post(tmp_path / "site").name == "2024-03-05-harbour-cranes-return-to-leith.md"
    images = tmp_path / "site" / "assets" / "images" / "harbour-cranes-return-to-leith"
    assert sorted(p.name for p in images.iterdir()) == ["crane at dawn.jpg", "dockers.png"]
    assert (images / "dockers.png").read_bytes() == article.asset("dockers.png").data.read_bytes()


def test_front_matter_maps_the_metadata_to_jekyll_keys(tmp_path: Path) -> None:
    export_article(realistic_article(), "jekyll", tmp_path / "site")
    front, _ = split_post(only_post(tmp_path / "site"))
    assert front["layout"] == "post"
    assert front["title"] == "Harbour cranes return to Leith"
    assert str(front["date"]) == "2024-03-05"
    assert front["author"] == ["Morag Lindsay", "Ian Crew"]
    assert front["categories"] == ["Edinburgh"]
    assert front["tags"] == ["harbour", "heritage"]
    assert front["description"] == "Four years of restoration end on the quay"
    assert front["excerpt"] == "The cranes are back."
    assert front["image"] == "/assets/images/harbour-cranes-return-to-leith/crane%20at%20dawn.jpg"
    assert front["published"] is False


def test_only_a_published_article_is_published_and_others_get_a_note(tmp_path: Path) -> None:
    article = realistic_article()
    article.metadata.status = Status.PUBLISHED
    result = export_article(article, "jekyll", tmp_path / "live")
    assert split_post(only_post(tmp_path / "live"))[0]["published"] is True
    assert not any("published: false" in note for note in result.notes)
    draft = export_article(realistic_article(), "jekyll", tmp_path / "draft")
    assert any("published: false" in note for note in draft.notes)


def test_figures_keep_alt_caption_and_credit_and_point_at_the_copied_images(tmp_path: Path) -> None:
    site = tmp_path / "site"
    export_article(realistic_article(), "jekyll", site)
    _, body = split_post(only_post(site))
    figures = re.findall(r"<figure>.*?</figure>", body, re.DOTALL)
    assert len(figures) == 2
    first = figures[0]
    assert f'alt="{ALT}"' in first
    assert f'<figcaption>{CAPTION} <span class="credit">{CREDIT}</span></figcaption>' in first
    assert f'alt="{SECOND_ALT}"' in figures[1]
    # kramdown only passes a block of HTML through when blank lines set it apart.
    for figure in figures:
        assert f"\n\n{figure}\n\n" in body
    for url in _LIQUID_URL.findall(body):
        assert (site / unquote(url).lstrip("/")).is_file()
    assert len(_LIQUID_URL.findall(body)) == 2


def test_inline_images_keep_markdown_with_a_site_address(tmp_path: Path) -> None:
    article = sample_article()
    article.body = 'An icon ![tiny (logo)](assets/putin-meets-choe.png "Title") in a line.\n'
    export_article(article, "jekyll", tmp_path / "site")
    _, body = split_post(only_post(tmp_path / "site"))
    assert body == ("An icon ![tiny (logo)]({{ '/assets/images/talks-in-moscow/putin-meets-choe.png' | relative_url }}"
                    ' "Title") in a line.\n')


def test_liquid_in_the_text_is_shown_not_run(tmp_path: Path) -> None:
    article = Article(body="Write {{ page.title }} or {% include x.html %} or {%raw%} as you like.\n",
                      metadata=Metadata(title="Templates", date="2024-02-01"))
    export_article(article, "jekyll", tmp_path / "site")
    _, body = split_post(only_post(tmp_path / "site"))
    assert "{{ page" not in body and "{% include" not in body
    assert _RAW.sub(r"\1", body) == article.body


@pytest.mark.parametrize("text", ["{{", "{%", "{{{%%}}", "a { b } {{ c", "{% endraw %}"])
def test_escape_liquid_gives_the_text_back_once_raw_tags_are_read(text: str) -> None:
    escaped = escape_liquid(text)
    outside_raw = _RAW.sub("", escaped)
    assert "{{" not in outside_raw and "{%" not in outside_raw
    assert _RAW.sub(r"\1", escaped) == text


def test_retarget_keeps_alt_and_title() -> None:
    assert retarget("![a \\] b](assets/x.jpg 'T')", "a \\] b", "/u") == "![a \\] b](/u 'T')"
    assert retarget("![a](<assets/x y.jpg>)", "a", "/u") == "![a](/u)"


def test_an_article_without_date_is_dated_today_and_says_so(tmp_path: Path) -> None:
    article = Article(body="Hello.\n", metadata=Metadata(title="Undated"))
    result = export_article(article, "jekyll", tmp_path / "site")
    today = date.today().isoformat()
    post = only_post(tmp_path / "site")
    assert post.name == f"{today}-undated.md"
    assert str(split_post(post)[0]["date"]) == today
    assert any("dated today" in note for note in result.notes)


def test_a_date_that_is_not_a_date_is_not_given_to_jekyll(tmp_path: Path) -> None:
    article = Article(body="Hello.\n", metadata=Metadata(title="Odd", date="next Tuesday"))
    result = export_article(article, "jekyll", tmp_path / "site")
    assert str(split_post(only_post(tmp_path / "site"))[0]["date"]) == date.today().isoformat()
    assert any("next Tuesday" in note for note in result.notes)


def test_zip_output_holds_the_same_site(tmp_path: Path) -> None:
    export_article(realistic_article(), "jekyll", tmp_path / "folder")
    export_article(realistic_article(), "jekyll", tmp_path / "site.zip")
    with zipfile.ZipFile(tmp_path / "site.zip") as archive:
        names = sorted(archive.namelist())
        post = archive.read("_posts/2024-03-05-harbour-cranes-return-to-leith.md")
    assert names == sorted(p.relative_to(tmp_path / "folder").as_posix()
                           for p in (tmp_path / "folder").rglob("*") if p.is_file())
    assert post.decode("utf-8").split("---\n", 2)[1] == only_post(tmp_path / "folder").read_text().split("---\n", 2)[1]


def test_a_missing_image_and_an_unused_one_are_handled(tmp_path: Path) -> None:
    article = realistic_article()
    article.body = article.body.replace("assets/dockers.png", "assets/lost.png")
    result = export_article(article, "jekyll", tmp_path / "site")
    assert any("lost.png" in note for note in result.notes)
    images = tmp_path / "site" / "assets" / "images" / "harbour-cranes-return-to-leith"
    assert sorted(p.name for p in images.iterdir()) == ["crane at dawn.jpg"]


def test_a_featured_image_that_is_not_there_is_left_out_and_noted(tmp_path: Path) -> None:
    article = realistic_article()
    article.metadata.featured_image = "elsewhere.jpg"
    result = export_article(article, "jekyll", tmp_path / "site")
    assert "image" not in split_post(only_post(tmp_path / "site"))[0]
    assert any("elsewhere.jpg" in note for note in result.notes)


class _Figures(HTMLParser):
    """The figures, title and text of a page Jekyll built."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.figures: list[dict] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        if tag == "figure":
            self.figures.append({"img": None, "caption": ""})
        elif tag == "img" and "figure" in self.stack:
            self.figures[-1]["img"] = dict(attrs)

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data):
        self.text += data
        if "figcaption" in self.stack:
            self.figures[-1]["caption"] += data


def test_a_stock_jekyll_site_builds_the_post_with_figures_and_liquid_shown(tmp_path: Path) -> None:
    """The exported post, copied into a plain Jekyll site, builds; figures keep captions; Liquid stays text."""
    if shutil.which("jekyll") is None:
        pytest.skip("the jekyll program is not installed (Debian package 'jekyll'), so the real build cannot run")
    article = realistic_article()
    article.metadata.status = Status.PUBLISHED
    article.body += "\n\nTemplates write {{ page.title }} and {% include x.html %}.\n"
    site = tmp_path / "site"
    site.mkdir()
    config = 'title: Test\nbaseurl: "/blog"\npermalink: /:title/\ndefaults:\n  - values:\n      layout: default\n'
    (site / "_config.yml").write_text(config, encoding="utf-8")
    (site / "_layouts").mkdir()
    (site / "_layouts" / "default.html").write_text(
        "<!DOCTYPE html><html><body><h1>{{ page.title }}</h1>{{ content }}</body></html>\n", encoding="utf-8")
    export_article(article, "jekyll", tmp_path / "out")
    shutil.copytree(tmp_path / "out", site, dirs_exist_ok=True)
    command = ["jekyll", "build", "--quiet", "-s", str(site), "-d", str(tmp_path / "public")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=site, env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    pages = list((tmp_path / "public").rglob("index.html"))
    assert len(pages) == 1
    page = _Figures()
    page.feed(pages[0].read_text(encoding="utf-8"))
    assert len(page.figures) == 2
    first = page.figures[0]
    assert first["img"]["alt"] == ALT
    assert " ".join(first["caption"].split()) == f"{CAPTION} {CREDIT}"
    assert first["img"]["src"].startswith("/blog/assets/images/")
    assert (tmp_path / "public" / unquote(first["img"]["src"]).removeprefix("/blog/")).is_file()
    assert "{{ page.title }}" in page.text and "{% include x.html %}" in page.text
