"""Hostile Markdown and HTML come out harmless: no scripts, handlers, foreign URLs or remote images."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core.errors import RenderError
from editor.core.model import ImageAsset
from editor.core.render import markdown_to_html
from editor.core.sanitize import safe_href, safe_image_src, sanitize_fragment

FORBIDDEN_TAGS = {"script", "style", "iframe", "frame", "object", "embed", "form", "input", "button", "svg",
                  "math", "base", "meta", "link", "textarea", "select", "template", "video", "audio", "source"}
FORBIDDEN_ATTRIBUTES = {"style", "srcset", "action", "formaction", "background", "poster", "xlink:href"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")


class _Tags(HTMLParser):
    """Collects every start tag with its decoded attributes and its raw text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None], str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs), self.get_starttag_text() or ""))


def start_tags(html: str) -> list[tuple[str, dict[str, str | None], str]]:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


def squeeze(value: str) -> str:
    return re.sub(r"[\x00-\x20\x7f]+", "", value).lower()


def assert_safe(html: str) -> None:
    """Fail unless the HTML is free of anything that could run code or fetch from elsewhere."""
    assert "<script" not in html.lower()
    for tag, attrs, raw in start_tags(html):
        assert tag not in FORBIDDEN_TAGS, raw
        assert "javascript:" not in squeeze(raw), raw
        for name, value in attrs.items():
            assert not name.startswith("on"), raw
            assert name not in FORBIDDEN_ATTRIBUTES, raw
            if value is not None and name in {"href", "src"}:
                assert not squeeze(value).startswith(BAD_SCHEMES), raw
        if tag == "img" and "src" in attrs:
            assert re.fullmatch(r"assets/[^/\\]+", attrs["src"] or ""), raw
            assert ".." not in (attrs["src"] or "").split("/"), raw
        if tag == "a" and attrs.get("href"):
            href = squeeze(attrs["href"] or "")
            scheme = re.match(r"^([a-z][a-z0-9+.-]*):", href)
            assert scheme is None or scheme.group(1) in {"http", "https", "mailto"}, raw
            assert not href.startswith(("//", "\\", "/\\")), raw


HOSTILE = {
    "script block": "<script>alert(1)</script>",
    "script with src": "<SCRIPT SRC=//x.example/x.js></SCRIPT>",
    "script inline in a paragraph": "Hello <script>alert(1)</script> there.",
    "img onerror": '<img src=x onerror="alert(1)">',
    "img onerror in text": 'Look: <img src="assets/a.png" onerror=alert(1)> here',
    "javascript link": "[click](javascript:alert(1))",
    "mixed case javascript link": "[click](JaVaScRiPt:alert(1))",
    "tab inside the scheme": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "newline inside the scheme": '<a href="java\nscript:alert(1)">x</a>',
    "entity-encoded letter": '<a href="&#106;avascript:alert(1)">x</a>',
    "entity-encoded colon": '<a href="javascript&colon;alert(1)">x</a>',
    "leading spaces": '<a href="   javascript:alert(1)">x</a>',
    "leading control character": '<a href="\x01javascript:alert(1)">x</a>',
    "reference-style javascript link": "[x][evil]\n\n[evil]: javascript:alert(1)\n",
    "vbscript link": "[x](vbscript:msgbox(1))",
    "data link": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "data link in raw HTML": '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "iframe": '<iframe src="https://x.example/"></iframe>',
    "style element": "<style>body{background:url(https://x.example/t.gif)}</style>",
    "style attribute": '<p style="background:url(https://x.example/t.gif)">x</p>',
    "svg script": "<svg><script>alert(1)</script></svg>",
    "svg onload": "<svg onload=alert(1)><circle r=1 /></svg>",
    "svg use href": '<svg><use href="data:image/svg+xml,<svg id=x onload=alert(1)>#x"/></svg>',
    "math mutation": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "noscript mutation": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "remote markdown image": "![pixel](https://tracker.example/pixel.gif)",
    "protocol-relative image": "![pixel](//tracker.example/pixel.gif)",
    "file image": "![x](file:///etc/passwd)",
    "data image": "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "remote raw image": '<img src="https://tracker.example/p.gif">',
    "srcset": '<img srcset="https://tracker.example/a.png 1x" src="assets/a.png">',
    "traversal image": '<img src="assets/../../etc/passwd">',
    "event handlers on div": '<div onclick="alert(1)" onmouseover=alert(1)>hi</div>',
    "markdown inside html with handler": '<div markdown="1" onclick="alert(1)">*hi*</div>',
    "form": ('<form action="https://x.example/"><input name=q>'
             '<button formaction="javascript:alert(1)">go</button></form>'),
    "object and embed": '<object data="x.swf"></object><embed src="x.swf">',
    "base, meta refresh and link": ('<base href="https://x.example/">\n'
                                    '<meta http-equiv="refresh" content="0;url=https://x.example/">\n'
                                    '<link rel=stylesheet href=//x.example/s.css>'),
    "attribute list handler": 'A paragraph.\n{: onclick="alert(1)" style="color:red" }\n',
    "attribute list on a link": '[x](https://ok.example){: onmouseover="alert(1)" }',
    "backslash host": '<a href="\\\\evil.example\\share">x</a>',
    "media": '<video src="https://x.example/v.mp4" poster="https://x.example/p.png"></video>',
    "comment trick": "<!--><script>alert(1)</script>-->",
    "unclosed attribute": '<a href="https://ok.example" title="x onmouseover=alert(1)">x</a>',
}


@pytest.mark.parametrize("markdown", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_markdown_renders_harmless(markdown: str) -> None:
    assets = {"a.png": ImageAsset.from_bytes("a.png", b"png")}
    html = markdown_to_html(markdown, assets)
    assert_safe(html)
    assert "tracker.example/pixel.gif" not in "".join(
        attrs.get("src") or "" for _, attrs, _ in start_tags(html))


@pytest.mark.parametrize("markdown", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_html_is_harmless_when_sanitised_directly(markdown: str) -> None:
    assert_safe(sanitize_fragment(markdown))


def test_a_title_containing_handler_text_stays_inside_its_value() -> None:
    html = markdown_to_html(HOSTILE["unclosed attribute"])
    (_, attrs, _), = [item for item in start_tags(html) if item[0] == "a"]
    assert attrs["title"] == "x onmouseover=alert(1)"
    assert attrs["href"] == "https://ok.example"


def test_remote_images_become_placeholders_not_images() -> None:
    html = markdown_to_html("![pixel](https://tracker.example/pixel.gif)\n\nText ![](http://x.example/a.png) more.")
    assert [tag for tag, _, _ in start_tags(html) if tag == "img"] == []
    assert html.count("image not loaded") == 2


def test_raw_html_image_pointing_elsewhere_is_shown_as_a_note() -> None:
    html = markdown_to_html('<p><img src="https://tracker.example/p.gif" alt="Chart"></p>')
    assert "<img" not in html
    assert "image not loaded: Chart" in html


@pytest.mark.parametrize("href", ["https://example.org/a?b=c#d", "http://example.org", "mailto:desk@example.org",
                                  "#fn:1", "other-article.html", "../notes/a.md", "/absolute/path", "?q=1"])
def test_ordinary_links_are_kept(href: str) -> None:
    assert safe_href(href) == href
    html = markdown_to_html(f"[x]({href})")
    (_, attrs, _), = [item for item in start_tags(html) if item[0] == "a"]
    assert attrs["href"] == href


@pytest.mark.parametrize("href", ["javascript:alert(1)", " JAVASCRIPT:alert(1)", "java\tscript:x", "vbscript:x",
                                  "data:text/html,x", "file:///etc/passwd", "//evil.example/", "\\\\evil\\x",
                                  "ftp://example.org/", "weird:thing", "c:/windows/system32"])
def test_other_link_targets_are_refused(href: str) -> None:
    assert safe_href(href) is None


@pytest.mark.parametrize(("src", "expected"), [
    ("assets/a.jpg", "assets/a.jpg"),
    ("assets/a%20b.jpg", "assets/a%20b.jpg"),
    ("./assets/a b.jpg", "assets/a%20b.jpg"),
    ("assets/../x.jpg", None),
    ("assets/sub/x.jpg", None),
    ("https://x.example/a.jpg", None),
    ("a.jpg", None),
])
def test_image_sources_only_point_into_assets(src: str, expected: str | None) -> None:
    assert safe_image_src(src) == expected


def test_allowed_markup_survives_sanitising() -> None:
    fragment = ('<h2 id="x">T</h2><p><em>a</em> <strong>b</strong> <code>c</code> <abbr title="t">T</abbr>'
                '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>'
                '<ol start="3"><li>i</li></ol><dl><dt>d</dt><dd>e</dd></dl>'
                '<figure><img src="assets/a.jpg" alt="A" width="4" height="3"><figcaption>C '
                '<span class="credit">R</span></figcaption></figure><div class="footnote"><hr></div>')
    tags = {tag: attrs for tag, attrs, _ in start_tags(sanitize_fragment(fragment))}
    assert tags["h2"] == {"id": "x"}
    assert tags["ol"] == {"start": "3"}
    assert tags["img"] == {"src": "assets/a.jpg", "alt": "A", "width": "4", "height": "3"}
    assert tags["span"] == {"class": "credit"}
    assert tags["abbr"] == {"title": "t"}
    assert tags["div"] == {"class": "footnote"}
    assert {"figure", "figcaption", "dl", "dt", "dd", "sup", "em", "strong", "code", "hr"} <= set(tags)


def test_ids_of_the_surrounding_page_cannot_be_taken() -> None:
    html = sanitize_fragment('<p id="article-body">x</p><p id="mine">y</p>')
    assert 'id="article-body"' not in html
    assert 'id="mine"' in html


_PIECES = st.sampled_from([
    "<script>", "</script>", "<img src=x onerror=alert(1)>", "javascript:", "jav&#x09;ascript:", "[", "]", "(",
    ")", "!", "*", "_", "`", "```", "\n", "\n\n", "    ", "> ", "- ", "1. ", "<a href=\"", "\">", "</a>",
    "<svg onload=alert(1)>", "data:", "https://x.example/p.gif", "assets/a.png", "{: onclick=x }", "|", "---",
    "[^1]", "[^1]: ", "<div markdown=\"1\">", "</div>", "&#106;", "word", " ", "\"", "'", "<!--", "-->",
])


@settings(max_examples=60, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_any_mix_of_hostile_pieces_renders_safely_or_fails_cleanly(text: str) -> None:
    try:
        html = markdown_to_html(text, {"a.png": ImageAsset.from_bytes("a.png", b"png")})
    except RenderError:
        return
    assert_safe(html)
