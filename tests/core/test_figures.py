"""Images in the body: figures with caption, credit and alt; placeholders for missing and remote images."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from editor.core.figures import is_foreign_source
from editor.core.model import ImageAsset
from editor.core.render import markdown_to_html


class _Outline(HTMLParser):
    """Records start tags with attributes and the text, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, ...]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append((tag, *(f"{k}={v}" for k, v in attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    return parser


def img_attrs(html: str) -> list[dict[str, str]]:
    return [dict(item.split("=", 1) for item in event[1:]) for event in outline(html).events if event[0] == "img"]


@pytest.fixture
def assets() -> dict[str, ImageAsset]:
    photo = ImageAsset.from_bytes("putin meets choe.jpg", b"jpeg", alt="Two men shake hands",
                                  caption="Vladimir Putin meets Choe Son-hui in Moscow on Jan. 16, 2024",
                                  credit="photo by TASS", width=1200, height=800)
    bare = ImageAsset.from_bytes("bare.png", b"png")
    credit_only = ImageAsset.from_bytes("credit.png", b"png", credit="Agency")
    return {asset.name: asset for asset in (photo, bare, credit_only)}


def test_image_alone_in_its_paragraph_becomes_a_figure_with_caption_and_credit(assets) -> None:
    html = markdown_to_html("Before.\n\n![Handshake](assets/putin%20meets%20choe.jpg)\n\nAfter.\n", assets)
    assert ("<figure><img" in html) and "</figcaption></figure>" in html
    assert "<p><img" not in html
    assert ("<figcaption>Vladimir Putin meets Choe Son-hui in Moscow on Jan. 16, 2024 "
            '<span class="credit">photo by TASS</span></figcaption>') in html
    assert img_attrs(html) == [{"src": "assets/putin%20meets%20choe.jpg", "alt": "Two men shake hands",
                                "width": "1200", "height": "800"}]


def test_alt_written_in_the_text_is_used_when_the_asset_has_none(assets) -> None:
    html = markdown_to_html("![A bare picture](assets/bare.png)", assets)
    assert img_attrs(html)[0]["alt"] == "A bare picture"


def test_image_without_caption_or_credit_has_no_figcaption_and_no_size(assets) -> None:
    html = markdown_to_html("![x](assets/bare.png)", assets)
    assert "<figure><img" in html
    assert "figcaption" not in html
    assert set(img_attrs(html)[0]) == {"src", "alt"}


def test_credit_without_caption_is_still_shown(assets) -> None:
    html = markdown_to_html("![x](assets/credit.png)", assets)
    assert '<figcaption><span class="credit">Agency</span></figcaption>' in html


@pytest.mark.parametrize("target", ["assets/putin%20meets%20choe.jpg", "<assets/putin meets choe.jpg>",
                                    "./assets/putin%20meets%20choe.jpg"])
def test_escaped_and_angle_bracket_references_find_the_asset(assets, target: str) -> None:
    html = markdown_to_html(f"![x]({target})", assets)
    assert "photo by TASS" in html
    assert img_attrs(html)[0]["src"] == "assets/putin%20meets%20choe.jpg"


def test_image_inside_running_text_stays_an_inline_image(assets) -> None:
    html = markdown_to_html("The logo ![logo](assets/bare.png) sits in the line.", assets)
    assert "<figure" not in html
    assert html.startswith("<p>The logo <img")
    assert img_attrs(html)[0]["alt"] == "logo"


def test_title_and_attribute_list_class_are_kept(assets) -> None:
    html = markdown_to_html('![x](assets/bare.png "Hover text"){: .wide }', assets)
    attrs = img_attrs(html)[0]
    assert attrs["title"] == "Hover text"
    assert attrs["class"] == "wide"
    assert "<figure>" in html


def test_caption_and_credit_are_text_not_markup() -> None:
    asset = ImageAsset.from_bytes("a.png", b"png", caption="<script>alert(1)</script> & <b>bold</b>",
                                  credit='<img src=x onerror="alert(1)">')
    html = markdown_to_html("![x](assets/a.png)", {"a.png": asset})
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html
    assert [event[0] for event in outline(html).events] == ["figure", "img", "figcaption", "span"]


def test_reference_to_an_image_not_in_the_bundle_is_a_visible_placeholder(assets) -> None:
    html = markdown_to_html("![Gone](assets/gone.jpg)", assets)
    assert '<figure class="missing">' in html
    assert "image missing: gone.jpg" in html
    assert img_attrs(html) == []


def test_missing_image_inside_text_is_an_inline_placeholder(assets) -> None:
    html = markdown_to_html("See ![x](assets/gone%20away.jpg) here.", assets)
    assert '<span class="missing-image">image missing: gone away.jpg</span>' in html
    assert "<figure" not in html


def test_raw_html_image_of_a_missing_asset_is_a_placeholder(assets) -> None:
    html = markdown_to_html('<p><img src="assets/gone.png"> and <img src="assets/bare.png" alt="b"></p>', assets)
    assert "image missing: gone.png" in html
    assert img_attrs(html) == [{"src": "assets/bare.png", "alt": "b"}]


def test_image_outside_the_assets_folder_is_a_placeholder(assets) -> None:
    html = markdown_to_html("![x](../photos/a.jpg)", assets)
    assert "image missing: ../photos/a.jpg" in html
    assert img_attrs(html) == []


def test_without_a_bundle_asset_references_stay_images() -> None:
    html = markdown_to_html("![Alt](assets/any.jpg)")
    assert img_attrs(html) == [{"src": "assets/any.jpg", "alt": "Alt"}]
    assert "<figure>" in html


@pytest.mark.parametrize("src", ["https://tracker.example/p.gif", "http://x.example/a.png", "//x.example/a.png",
                                 "file:///home/me/a.png", "data:image/png;base64,AAAA", "HTTPS://X.EXAMPLE/A.PNG"])
def test_remote_images_are_never_loaded(src: str) -> None:
    html = markdown_to_html(f"![Chart]({src})\n\nText ![Chart]({src}) text.")
    assert img_attrs(html) == []
    assert html.count("image not loaded: Chart") == 2
    assert '<figure class="remote">' in html


def test_a_remote_web_image_stays_reachable_as_a_link() -> None:
    html = markdown_to_html("![](https://x.example/a.png)")
    assert '<a class="placeholder remote-image" href="https://x.example/a.png"' in html
    assert "image not loaded: https://x.example/a.png" in html


def test_a_remote_image_inside_a_link_does_not_nest_links() -> None:
    html = markdown_to_html("[![Logo](https://x.example/logo.png)](https://x.example/)")
    assert html.count("<a ") == 1
    assert '<span class="remote-image">image not loaded: Logo</span>' in html


def test_embedded_image_data_is_not_echoed_as_text() -> None:
    html = markdown_to_html("![](data:image/png;base64," + "A" * 500 + ")")
    assert "AAAA" not in html
    assert "image not loaded: embedded image data" in html


@pytest.mark.parametrize(("src", "foreign"), [
    ("https://a", True), ("//a", True), ("file:///a", True), ("data:x", True), (" jav\tascript:x", True),
    ("assets/a.png", False), ("a.png", False), ("../a.png", False),
])
def test_foreign_sources_are_recognised(src: str, foreign: bool) -> None:
    assert is_foreign_source(src) is foreign


def test_table_alignment_becomes_a_class() -> None:
    html = markdown_to_html("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n")
    assert '<th class="align-left">a</th>' in html
    assert '<td class="align-center">2</td>' in html
    assert '<td class="align-right">3</td>' in html
    assert "style=" not in html
