"""HTML export: a valid HTML5 page in the preview's look, self-contained or with its images beside it."""

from __future__ import annotations

import base64
import zipfile
from pathlib import Path
from urllib.parse import unquote
from xml.etree.ElementTree import Element

import pytest

from editor.core.export import export_article
from editor.core.export.common import data_uri
from editor.core.export.html import embed_images, single_page
from editor.core.model import Article, Metadata
from editor.core.render import load_stylesheet, render_document
from tests.core.export.printed_sample import (
    ALT,
    BODY_SENTENCE,
    CAPTION,
    CREDIT,
    SECOND_ALT,
    SECOND_CAPTION,
    SECOND_CREDIT,
    TITLE,
    realistic_article,
)

html5lib = pytest.importorskip("html5lib", reason="the HTML5 checks need html5lib (the 'test' extra)")


def parse_html5(data: bytes) -> Element:
    """The page as a browser builds it; fails on any parse error the HTML5 specification names."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(data)


def text_of(element: Element) -> str:
    """All text inside an element, spaces squeezed."""
    return " ".join("".join(element.itertext()).split())


def check_page(root: Element) -> list[Element]:
    """The checks every exported page passes; returns its figures."""
    assert root.find("head/meta[@charset='utf-8']") is not None
    assert text_of(root.find("head/title")) == TITLE
    assert root.find(".//h1").text == TITLE
    assert load_stylesheet().strip().splitlines()[0] in root.find("head/style").text
    assert BODY_SENTENCE in text_of(root.find("body"))
    figures = root.findall(".//figure")
    assert [f.find("img").get("alt") for f in figures] == [ALT, SECOND_ALT]
    captions = [f"{CAPTION} {CREDIT}", f"{SECOND_CAPTION} {SECOND_CREDIT}"]
    assert [text_of(f.find("figcaption")) for f in figures] == captions
    assert [f.find("figcaption/span[@class='credit']").text for f in figures] == [CREDIT, SECOND_CREDIT]
    return figures


def test_single_file_is_valid_html5_with_every_image_inside(tmp_path: Path) -> None:
    article = realistic_article()
    export_article(article, "html", tmp_path / "story.html")
    figures = check_page(parse_html5((tmp_path / "story.html").read_bytes()))
    for figure, asset in zip(figures, article.assets, strict=True):
        src = figure.find("img").get("src")
        head, _, payload = src.partition(",")
        assert head in {"data:image/jpeg;base64", "data:image/png;base64"}
        assert base64.b64decode(payload) == asset.data.read_bytes()


@pytest.mark.parametrize("name", ["web", "web.zip"])
def test_folder_or_zip_holds_index_html_and_the_images_it_points_at(tmp_path: Path, name: str) -> None:
    article = realistic_article()
    export_article(article, "html", tmp_path / name)
    if name.endswith(".zip"):
        with zipfile.ZipFile(tmp_path / name) as archive:
            files = {info.filename: archive.read(info) for info in archive.infolist()}
    else:
        files = {p.relative_to(tmp_path / name).as_posix(): p.read_bytes() for p in (tmp_path / name).rglob("*")
                 if p.is_file()}
    assert sorted(files) == ["images/crane at dawn.jpg", "images/dockers.png", "index.html"]
    figures = check_page(parse_html5(files["index.html"]))
    for figure, asset in zip(figures, article.assets, strict=True):
        src = figure.find("img").get("src")
        assert src.startswith("images/")
        assert files[unquote(src)] == asset.data.read_bytes()


def test_the_page_loads_nothing_from_elsewhere(tmp_path: Path) -> None:
    article = realistic_article()
    article.body += "\n![remote](https://example.com/tracker.gif)\n"
    export_article(article, "html", tmp_path / "story.html")
    root = parse_html5((tmp_path / "story.html").read_bytes())
    policy = root.find("head/meta[@http-equiv='Content-Security-Policy']").get("content")
    assert "default-src 'none'" in policy
    assert all(not img.get("src", "").startswith("http") for img in root.iter("img"))
    assert root.find("head/link") is None and root.find(".//script") is None


def test_a_missing_image_is_noted_and_shown_as_a_gap(tmp_path: Path) -> None:
    article = realistic_article()
    article.body += "\n![lost](assets/lost.jpg)\n"
    result = export_article(article, "html", tmp_path / "web")
    assert any("lost.jpg" in note for note in result.notes)
    assert "image missing: lost.jpg" in (tmp_path / "web" / "index.html").read_text()


def test_only_images_the_text_shows_are_copied(tmp_path: Path) -> None:
    article = realistic_article()
    article.body = article.body.replace("![dockers](assets/dockers.png)", "")
    export_article(article, "html", tmp_path / "web")
    assert sorted(p.name for p in (tmp_path / "web" / "images").iterdir()) == ["crane at dawn.jpg"]


def test_a_page_without_images_has_no_images_folder(tmp_path: Path) -> None:
    article = Article(body="Just <words> & text.\n", metadata=Metadata(title="Plain"))
    export_article(article, "html", tmp_path / "web")
    assert sorted(p.name for p in (tmp_path / "web").iterdir()) == ["index.html"]
    parse_html5((tmp_path / "web" / "index.html").read_bytes())


def test_embed_images_swaps_asset_addresses_for_the_bytes() -> None:
    article = realistic_article()
    page = embed_images(render_document(article), article)
    assert "assets/" not in page
    assert page.count("data:image/") == 2
    assert single_page(article) == render_document(article, asset_url=lambda name: data_uri(article.asset(name)))
