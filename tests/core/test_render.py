"""Markdown rendering: every extension, fresh state per call, clean failures, and the full HTML page."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from typing import ClassVar

import pytest

import editor.core.render as render_module
from editor.core.errors import RenderError
from editor.core.model import Article, ImageAsset, Metadata
from editor.core.render import (
    apply_asset_urls,
    byline,
    display_date,
    load_stylesheet,
    markdown_to_html,
    render_body,
    render_document,
    typographic,
)

# extensions --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("markdown", "expected"), [
    ("| a | b |\n|---|---|\n| 1 | 2 |\n", ["<table>", "<th>a</th>", "<td>2</td>"]),
    ("Fact.[^n]\n\n[^n]: Source.\n", ['<sup id="fnref:n"><a class="footnote-ref" href="#fn:n"',
                                      '<div class="footnote">', '<li id="fn:n">', 'href="#fnref:n"']),
    ("```python\nx = 1 < 2\n```\n", ['<pre><code class="language-python">x = 1 &lt; 2\n</code></pre>']),
    ("Para.\n{: #lead .intro }\n", ['<p class="intro" id="lead">Para.</p>']),
    ("Term\n: Meaning\n", ["<dl>", "<dt>Term</dt>", "<dd>Meaning</dd>"]),
    ("The NATO summit.\n\n*[NATO]: North Atlantic Treaty Organization\n",
     ['<abbr title="North Atlantic Treaty Organization">NATO</abbr>']),
    ("[TOC]\n\n# First part\n\n## Détails\n", ['<div class="toc">', '<h1 id="first-part">First part</h1>',
                                               '<h2 id="détails">Détails</h2>', 'href="#first-part"']),
    ('He said "yes" -- it\'s done...\n', ["He said “yes” – it’s done…"]),
    ("3. three\n4. four\n", ['<ol start="3">']),
    ("- a\n\n1. b\n", ["<ul>\n<li>a</li>\n</ul>", "<ol>\n<li>b</li>\n</ol>"]),
    ("~~~\n<b>raw</b>\n~~~\n", ["&lt;b&gt;raw&lt;/b&gt;"]),
    ("> Quoted *words*.\n", ["<blockquote>", "<em>words</em>"]),
])
def test_each_extension_renders(markdown: str, expected: list[str]) -> None:
    html = markdown_to_html(markdown)
    for piece in expected:
        assert piece in html


def test_footnotes_do_not_leak_from_one_render_into_the_next() -> None:
    assert "footnote" in markdown_to_html("A[^1]\n\n[^1]: note\n")
    assert "footnote" not in markdown_to_html("Plain.")


def test_renders_in_parallel_threads_match_renders_one_by_one() -> None:
    texts = [f"# Part {n}\n\nText {n}.[^{n}]\n\n[^{n}]: Note {n}.\n\n*[ABC]: Alpha {n}\n\nABC" for n in range(12)]
    expected = [markdown_to_html(text) for text in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(markdown_to_html, texts)) == expected


def test_render_body_uses_the_articles_assets() -> None:
    asset = ImageAsset.from_bytes("a.jpg", b"jpeg", caption="The caption")
    html = render_body(Article(body="![x](assets/a.jpg)\n\n![y](assets/b.jpg)", assets=[asset]))
    assert "<figcaption>The caption</figcaption>" in html
    assert "image missing: b.jpg" in html


# failing cleanly ----------------------------------------------------------------------------------------


def _frame_depth() -> int:
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    return depth


def test_deeply_nested_list_gives_render_error() -> None:
    # A low limit makes a short list trigger the same failure that a very deep one does at the normal limit.
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(_frame_depth() + 250)
    try:
        with pytest.raises(RenderError, match="nested too deeply"):
            render_body(Article(body="".join("    " * level + "- x\n" for level in range(100))))
    finally:
        sys.setrecursionlimit(old)


def test_deep_emphasis_gives_html_or_render_error() -> None:
    try:
        html = render_body(Article(body="*" * 3000 + "x" + "*" * 3000))
    except RenderError as exc:
        assert str(exc).endswith(".")
    else:
        assert "x" in html


def test_unclosed_brackets_render() -> None:
    html = render_body(Article(body="[a" * 300))
    assert html.startswith("<p>[a[a")


def test_a_crash_inside_the_renderer_becomes_render_error(monkeypatch) -> None:
    class Panic(BaseException):
        """Stands in for a Rust panic, which Python sees as BaseException."""

    def explode(*args, **kwargs):
        raise Panic("boom")

    monkeypatch.setattr(render_module, "sanitize_fragment", explode)
    with pytest.raises(RenderError, match="could not be rendered"):
        render_body(Article(body="text"))


def test_interrupt_is_not_swallowed(monkeypatch) -> None:
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(render_module, "sanitize_fragment", interrupt)
    with pytest.raises(KeyboardInterrupt):
        render_body(Article(body="text"))


@pytest.mark.parametrize("body", ["", "\x00", "\ufeff# T", "\r\n\r\n", "<", "<!--", "```", "[^]", "\udcff"])
def test_odd_small_inputs_render(body: str) -> None:
    try:
        html = render_body(Article(body=body))
    except RenderError:
        return
    assert "<script" not in html


# the page ---------------------------------------------------------------------------------------------


class _Page(HTMLParser):
    """Checks that elements nest properly and records the tags."""

    VOID: ClassVar[set[str]] = {"meta", "img", "br", "hr", "link", "input", "wbr", "col", "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.decl = ""

    def handle_decl(self, decl: str) -> None:
        self.decl = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>"
        self.stack.pop()

    def first(self, tag: str, **attrs: str) -> dict[str, str | None]:
        for name, found in self.tags:
            if name == tag and all(found.get(k) == v for k, v in attrs.items()):
                return found
        raise AssertionError(f"no <{tag} {attrs}>")


def parse_page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    assert page.stack == []
    return page


@pytest.fixture
def article() -> Article:
    photo = ImageAsset.from_bytes("field at dusk.jpg", b"jpeg", alt="A wheat field", caption="The field",
                                  credit="photo by A. Grower", width=640, height=480)
    metadata = Metadata(title="Harvest comes early", subtitle="Farmers race the rain", authors=["Ann Lee", "Bo Chan"],
                        date="2024-01-16", language="en-GB", section="Farming", summary="Wheat came in early.")
    return Article(body="The wheat came in *early*.\n\n![Field](assets/field%20at%20dusk.jpg)\n",
                   metadata=metadata, assets=[photo])


def test_document_is_a_well_formed_html5_page(article: Article) -> None:
    html = render_document(article)
    assert html.startswith("<!DOCTYPE html>\n")
    page = parse_page(html)
    assert page.decl == "DOCTYPE html"
    assert page.first("html") == {"lang": "en-GB"}
    assert page.first("meta", charset="utf-8")
    assert [tag for tag, _ in page.tags][:2] == ["html", "head"]
    assert "<title>Harvest comes early</title>" in html


def test_document_has_a_restrictive_content_security_policy(article: Article) -> None:
    page = parse_page(render_document(article))
    policy = page.first("meta", **{"http-equiv": "Content-Security-Policy"})["content"] or ""
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["default-src"] == ["'none'"]
    assert directives["style-src"] == ["'unsafe-inline'"]
    assert "script-src" not in directives
    assert not any(source.startswith(("http", "*")) for source in directives["img-src"])


def test_document_header_has_kicker_headline_dek_byline_and_date(article: Article) -> None:
    html = render_document(article)
    assert '<p class="kicker">Farming</p>' in html
    assert '<h1 class="headline">Harvest comes early</h1>' in html
    assert '<p class="dek">Farmers race the rain</p>' in html
    assert '<span class="author">By Ann Lee and Bo Chan</span>' in html
    assert '<time class="published" datetime="2024-01-16">January 16, 2024</time>' in html
    assert html.index("headline") < html.index("The wheat came in")


def test_document_contains_the_stylesheet_or_the_one_given(article: Article) -> None:
    assert load_stylesheet() in render_document(article)
    html = render_document(article, stylesheet="body { color: red } </style><script>x</script>")
    assert "body { color: red }" in html
    assert "</style><script>" not in html
    assert html.count("</style>") == 1


def test_document_keeps_asset_paths_by_default(article: Article) -> None:
    assert 'src="assets/field%20at%20dusk.jpg"' in render_document(article)


def test_asset_url_maps_images_and_is_allowed_by_the_policy(article: Article) -> None:
    html = render_document(article, asset_url=lambda name: f"bundle://article/assets/{name}")
    page = parse_page(html)
    assert page.first("img")["src"] == "bundle://article/assets/field at dusk.jpg"
    policy = page.first("meta", **{"http-equiv": "Content-Security-Policy"})["content"] or ""
    assert "bundle:" in policy.split("img-src", 1)[1].split(";")[0]


def test_asset_url_result_is_escaped_in_the_attribute() -> None:
    fragment = '<figure><img src="assets/a.jpg" alt="x"></figure><p>src="assets/a.jpg" in text</p>'
    html = apply_asset_urls(fragment, lambda name: f'data:image/png;base64,"><script>{name}')
    assert '<img src="data:image/png;base64,&quot;&gt;&lt;script&gt;a.jpg" alt="x">' in html
    assert '<p>src="assets/a.jpg" in text</p>' in html


def test_hostile_metadata_is_escaped() -> None:
    metadata = Metadata(title='<script>alert(1)</script>', subtitle='"><img src=x onerror=alert(1)>',
                        authors=["<b>Eve</b>"], summary='" onload="x', language='en"><script>')
    html = render_document(Article(body="x", metadata=metadata))
    assert "<script>" not in html and "<img src=x" not in html and "<b>" not in html
    page = parse_page(html)
    assert page.first("html") == {"lang": "en"}
    assert page.first("meta", name="description")["content"] == '" onload="x'


def test_extra_head_goes_into_the_head(article: Article) -> None:
    html = render_document(article, extra_head='<meta name="x-test" content="1">')
    assert html.index('<meta name="x-test"') < html.index("</head>")


def test_untitled_article_still_makes_a_page() -> None:
    html = render_document(Article(body="Just text."))
    parse_page(html)
    assert "<title>Untitled article</title>" in html
    assert "<h1" not in html


def test_a_render_failure_in_the_page_is_render_error(monkeypatch) -> None:
    monkeypatch.setattr(render_module, "sanitize_fragment", lambda html: 1 / 0)
    with pytest.raises(RenderError):
        render_document(Article(body="x"))


# pieces of the header ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("authors", "expected"), [
    ([], ""), (["  "], ""), (["A"], "By A"), (["A", "B"], "By A and B"), (["A", " ", "B", "C"], "By A, B and C"),
])
def test_byline(authors: list[str], expected: str) -> None:
    assert byline(authors) == expected


@pytest.mark.parametrize(("value", "language", "expected"), [
    ("2024-01-16", "en", ("2024-01-16", "January 16, 2024")),
    ("2024-01-16T09:30", "en-US", ("2024-01-16T09:30:00", "January 16, 2024, 09:30")),
    ("2024-01-16", "de", ("2024-01-16", "2024-01-16")),
    ("", "en", ("", "")),
    ("next week", "en", ("", "next week")),
])
def test_display_date(value: str, language: str, expected: tuple[str, str]) -> None:
    assert display_date(value, language) == expected


@pytest.mark.parametrize(("plain", "expected"), [
    ("Pyongyang's \"latest\" test", "Pyongyang’s “latest” test"),
    ("'Single' -- in the '90s...", "‘Single’ – in the ’90s…"),
    ("A --- B (\"c\")", "A — B (“c”)"),
    ("No quotes", "No quotes"),
])
def test_typographic(plain: str, expected: str) -> None:
    assert typographic(plain) == expected


def test_header_text_gets_curly_quotes() -> None:
    html = render_document(Article(metadata=Metadata(title='The "deal" is off', subtitle="It's over")))
    assert '<h1 class="headline">The “deal” is off</h1>' in html
    assert '<p class="dek">It’s over</p>' in html


# the stylesheet -------------------------------------------------------------------------------------------


def test_stylesheet_has_print_dark_and_figure_rules_and_nothing_remote() -> None:
    css = load_stylesheet()
    for piece in ("@media print", "prefers-color-scheme: dark", "figcaption", ".credit", "blockquote", "table",
                  ".footnote", ".headline", ".dek", ".byline", "38em", "break-inside: avoid", ".placeholder"):
        assert piece in css
    lowered = css.lower()
    assert "@import" not in lowered and "url(" not in lowered and "@font-face" not in lowered
    assert css.count("{") == css.count("}")
