"""Importing a saved web page or CMS export: the article's text, its metadata and its local pictures."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

import editor.core.importers.html as html_importer
from editor.core.errors import EditorError
from editor.core.export import export_article
from editor.core.importers import import_source
from editor.core.importers.html import decode_html, import_html_file
from editor.core.model import Status
from tests.core.bundle_samples import png
from tests.core.export.printed_sample import ALT, CAPTION, CREDIT, SECOND_ALT, SECOND_CREDIT, realistic_article

SAVED_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Cranes are back | The Leith Gazette</title>
<meta property="og:title" content="Cranes are back">
<meta name="description" content="The old harbour cranes stand again.">
<meta name="author" content="Morag Lindsay, Ian Crew">
<meta property="article:published_time" content="2024-03-05T09:30:00+00:00">
<meta property="article:modified_time" content="2024-03-06T10:00:00+00:00">
<meta property="article:section" content="Edinburgh">
<meta property="article:tag" content="harbour">
<meta property="article:tag" content="heritage">
<link rel="canonical" href="https://gazette.example/2024/cranes">
<script>trackEverything()</script>
</head>
<body>
<header class="site"><a href="/">The Leith Gazette</a><nav><a href="/news">News</a></nav></header>
<aside>Most read: <a href="/x">Something else</a></aside>
<article>
<h1>Harbour cranes return to Leith</h1>
<p class="dek">Four years of restoration end on the quay</p>
<p>The last crane was lifted back onto the quay on <strong>Tuesday</strong>.</p>
<figure>
<img src="Cranes_files/crane%20dawn.png" alt="A red crane against the sky">
<figcaption>A crane at dawn <span class="credit">Photo by Morag Lindsay</span></figcaption>
</figure>
<p>Share</p>
<p>Dockers watched from the quay <img src="https://cdn.example/pic.jpg" alt="a remote picture">.</p>
<p><img src="missing.png" alt="gone"></p>
<p><img src="../secret.png" alt="outside"></p>
<iframe src="https://video.example/embed/1"></iframe>
<p>The cranes will be lit at night.</p>
</article>
<footer>© The Leith Gazette</footer>
</body>
</html>
"""


def saved_page(tmp_path: Path, text: str = SAVED_PAGE) -> Path:
    """A saved web page with its pictures folder, and a picture outside that folder it tries to reach."""
    site = tmp_path / "saved"
    (site / "Cranes_files").mkdir(parents=True)
    (site / "Cranes_files" / "crane dawn.png").write_bytes(png(8, 6))
    (tmp_path / "secret.png").write_bytes(png(5, 5, (0, 0, 0)))
    page = site / "Cranes.html"
    page.write_text(text, encoding="utf-8")
    return page


def test_article_text_without_page_furniture(tmp_path: Path) -> None:
    result = import_html_file(saved_page(tmp_path))
    body = result.article.body
    assert body.startswith("The last crane was lifted back onto the quay on **Tuesday**.")
    assert "The cranes will be lit at night." in body
    for furniture in ("Leith Gazette", "News", "Most read", "Share", "trackEverything", "Harbour cranes return"):
        assert furniture not in body


def test_metadata_comes_from_the_headline_and_meta_tags(tmp_path: Path) -> None:
    meta = import_html_file(saved_page(tmp_path)).article.metadata
    assert meta.title == "Harbour cranes return to Leith"
    assert meta.subtitle == "Four years of restoration end on the quay"
    assert meta.summary == "The old harbour cranes stand again."
    assert meta.authors == ["Morag Lindsay", "Ian Crew"]
    assert meta.date == "2024-03-05T09:30:00+00:00"
    assert meta.updated == "2024-03-06T10:00:00+00:00"
    assert meta.section == "Edinburgh"
    assert meta.tags == ["harbour", "heritage"]
    assert meta.language == "en-GB"
    assert meta.source_url == "https://gazette.example/2024/cranes"
    assert meta.status is Status.DRAFT


def test_a_local_figure_becomes_an_asset_with_alt_caption_and_credit(tmp_path: Path) -> None:
    article = import_html_file(saved_page(tmp_path)).article
    assert len(article.assets) == 1
    asset = article.assets[0]
    assert (asset.alt, asset.caption, asset.credit) == ("A red crane against the sky", "A crane at dawn",
                                                       "Photo by Morag Lindsay")
    assert (asset.width, asset.height) == (8, 6)
    assert f"\n\n![A red crane against the sky](assets/{asset.name})\n\n" in article.body


def test_every_picture_left_out_is_noted_and_nothing_outside_is_read(tmp_path: Path) -> None:
    result = import_html_file(saved_page(tmp_path))
    notes = " ".join(result.notes)
    assert "https://cdn.example/pic.jpg" in notes and "not downloaded" in notes
    assert "missing.png" in notes and "not found" in notes
    assert "../secret.png" in notes and "outside the page’s folder" in notes
    assert "embedded item" in notes
    assert "a remote picture" in result.article.body  # its description stays
    assert "secret" not in result.article.body and "gone" not in result.article.body


def test_a_link_out_of_the_folder_is_not_followed(tmp_path: Path) -> None:
    page = saved_page(tmp_path, SAVED_PAGE.replace("Cranes_files/crane%20dawn.png", "sneaky.png"))
    (page.parent / "sneaky.png").symlink_to(tmp_path / "secret.png")
    result = import_html_file(page)
    assert result.article.assets == []
    assert any("sneaky.png" in note and "outside" in note for note in result.notes)


def test_import_writes_nothing(tmp_path: Path) -> None:
    page = saved_page(tmp_path)
    before = sorted(p.as_posix() for p in tmp_path.rglob("*"))
    import_source(page)
    assert sorted(p.as_posix() for p in tmp_path.rglob("*")) == before


def test_main_is_used_when_there_is_no_article(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text("<html><body><nav>Menu</nav><main><h1>Title</h1><p>Words here.</p></main>"
                    "<footer>Footer</footer></body></html>")
    article = import_html_file(page).article
    assert (article.metadata.title, article.body) == ("Title", "Words here.\n")


def test_without_article_or_main_the_body_loses_its_chrome(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text("<html><head><title>From title</title></head><body><header>Site</header><nav>Menu</nav>"
                    "<p>Only this.</p><aside>Ads</aside><footer>Foot</footer></body></html>")
    article = import_html_file(page).article
    assert (article.metadata.title, article.body) == ("From title", "Only this.\n")


def test_the_longest_of_several_articles_is_the_story(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text("<body><article><p>Teaser.</p></article><article><h1>Main</h1><p>The long story itself, "
                    "told at length.</p></article><article><p>Another.</p></article></body>")
    article = import_html_file(page).article
    assert article.metadata.title == "Main"
    assert article.body == "The long story itself, told at length.\n"


def test_an_embedded_data_picture_is_imported(tmp_path: Path) -> None:
    data = base64.b64encode(png(4, 4)).decode("ascii")
    page = tmp_path / "p.html"
    page.write_text(f'<article><h1>T</h1><figure><img src="data:image/png;base64,{data}" alt="Dot">'
                    "<figcaption>Small dot</figcaption></figure></article>")
    article = import_html_file(page).article
    assert [(a.alt, a.caption, a.width) for a in article.assets] == [("Dot", "Small dot", 4)]
    assert article.body == f"![Dot](assets/{article.assets[0].name})\n"


def test_a_damaged_picture_is_noted_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "bad.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    page = tmp_path / "p.html"
    page.write_text('<article><h1>T</h1><p>Text.</p><p><img src="bad.jpg" alt="x"></p></article>')
    result = import_html_file(page)
    assert result.article.assets == []
    assert any("bad.jpg" in note for note in result.notes)


def test_own_html_export_comes_back_with_its_words(tmp_path: Path) -> None:
    original = realistic_article()
    export_article(original, "html", tmp_path / "web")
    result = import_source(tmp_path / "web" / "index.html")
    article = result.article
    assert result.notes == []
    assert article.metadata.title == original.metadata.title
    assert article.metadata.authors == original.metadata.authors
    assert article.metadata.date == original.metadata.date
    assert article.metadata.summary == original.metadata.summary
    assert [(a.alt, a.caption, a.credit) for a in article.assets] == [
        (ALT, CAPTION, CREDIT), (SECOND_ALT, "Dockers watching the lift", SECOND_CREDIT)
    ]
    assert "| Titan | 1952 | 41 m |" in article.body


@pytest.mark.parametrize(("data", "expected"), [
    ('<meta charset="windows-1252"><p>caf\xe9 \x93quoted\x94</p>'.encode("latin-1"), "café “quoted”"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"><p>caf\xe9</p>'.encode("latin-1"),
     "café"),
    (b"\xef\xbb\xbf<p>caf\xc3\xa9</p>", "café"),
    ("\ufeff<p>café</p>".encode("utf-16-le"), "café"),
    ("<p>café</p>".encode(), "café"),
])
def test_the_stated_encoding_is_used(data: bytes, expected: str) -> None:
    text, notes = decode_html(data)
    assert expected in text
    assert notes == []


def test_undeclared_text_that_is_not_utf8_is_read_as_windows_1252_and_noted() -> None:
    text, notes = decode_html("<p>caf\xe9</p>".encode("latin-1"))
    assert "café" in text
    assert "Windows-1252" in notes[0]


def test_an_unknown_stated_encoding_falls_back_to_utf8() -> None:
    text, notes = decode_html('<meta charset="klingon"><p>café</p>'.encode())
    assert "café" in text and notes == []


def test_a_page_too_large_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_importer, "MAX_HTML_BYTES", 100)
    page = tmp_path / "big.html"
    page.write_text("<p>" + "word " * 100 + "</p>")
    with pytest.raises(EditorError, match="too large"):
        import_html_file(page)


@pytest.mark.parametrize(("content", "message"), [
    (b"\x00\x01\x02\x03binary", "binary data"),
    (b"<html><body><nav>Only a menu</nav></body></html>", "no article text"),
])
def test_bad_input_is_one_sentence(tmp_path: Path, content: bytes, message: str) -> None:
    page = tmp_path / "bad.html"
    page.write_bytes(content)
    with pytest.raises(EditorError, match=message):
        import_html_file(page)


def test_a_folder_named_like_a_page_is_refused(tmp_path: Path) -> None:
    (tmp_path / "odd.html").mkdir()
    with pytest.raises(EditorError, match="is not a file"):
        import_html_file(tmp_path / "odd.html")


def test_a_lead_picture_in_the_header_and_an_inline_one_are_kept(tmp_path: Path) -> None:
    (tmp_path / "lead.png").write_bytes(png(6, 4))
    (tmp_path / "icon.png").write_bytes(png(2, 2, (0, 200, 0)))
    page = tmp_path / "p.html"
    page.write_text('<article><header><h1>Head</h1><figure><img src="lead.png" alt="Lead">'
                    '<figcaption>The lead</figcaption></figure></header>'
                    '<p>An <img src="icon.png" alt="icon"> inside a line.</p></article>')
    article = import_html_file(page).article
    lead, icon = article.assets
    assert (lead.alt, lead.caption, icon.alt, icon.caption) == ("Lead", "The lead", "icon", "")
    assert article.metadata.title == "Head"
    assert article.body == f"![Lead](assets/{lead.name})\n\nAn ![icon](assets/{icon.name}) inside a line.\n"
