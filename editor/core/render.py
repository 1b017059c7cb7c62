"""Markdown to safe HTML: the article body as a fragment, and the whole article as a styled HTML5 page."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date, datetime
from urllib.parse import unquote, urlsplit

import markdown
from markdown.extensions.toc import TocExtension, slugify_unicode

from editor.core.errors import EditorError, RenderError
from editor.core.figures import FigureExtension
from editor.core.model import Article, ImageAsset, Metadata, parse_date
from editor.core.sanitize import IMG_TAG, sanitize_fragment
from editor.resource_files import resource_text

_EXTENSIONS = ("extra", "smarty", "sane_lists")

# The src of a sanitised <img>: always double-quoted, and only ever pointing into assets/.
_SRC_ATTRIBUTE = re.compile(r'(\ssrc=")assets/([^"]*)(")')
_LANGUAGE = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def _new_markdown(assets: dict[str, ImageAsset] | None) -> markdown.Markdown:
    """A fresh converter per call: Markdown instances keep state (footnotes, references) between calls."""
    return markdown.Markdown(
        extensions=[*_EXTENSIONS, TocExtension(slugify=slugify_unicode), FigureExtension(assets)],
        output_format="html",
    )


def markdown_to_html(text: str, assets: dict[str, ImageAsset] | None = None) -> str:
    """Any Markdown text as a sanitised HTML fragment; `assets` (name → asset) turns images into figures."""
    return guarded_render(lambda: clean_fragment(_new_markdown(assets).convert(text), assets))


def clean_fragment(rendered: str, assets: dict[str, ImageAsset] | None) -> str:
    """What Markdown produced, sanitised, with raw images that name no bundle image turned into notes."""
    cleaned = sanitize_fragment(rendered)
    return cleaned if assets is None else _mark_missing_raw_images(cleaned, assets)


def guarded_render(render: Callable[[], str]) -> str:
    """Run a render, turning every way it can fail into a RenderError with one readable sentence."""
    try:
        return render()
    except RecursionError:
        raise RenderError("The text is nested too deeply to render; flatten the deepest lists or quotes.") from None
    except (KeyboardInterrupt, SystemExit, EditorError):
        raise
    except BaseException as exc:
        # The sanitiser's Rust panics arrive as BaseException, not Exception.
        raise RenderError(f"The text could not be rendered ({type(exc).__name__}).") from None


def _mark_missing_raw_images(fragment: str, assets: dict[str, ImageAsset]) -> str:
    """Images written as raw HTML skip the figure extension; those naming no bundle image become notes too."""

    def replace_tag(match: re.Match[str]) -> str:
        src = _SRC_ATTRIBUTE.search(match.group(1))
        name = unquote(html.unescape(src.group(2))) if src else ""
        if not src or name in assets:
            return match.group(0)
        return f'<span class="missing-image">image missing: {html.escape(name)}</span>'

    return IMG_TAG.sub(replace_tag, fragment)


def render_body(article: Article) -> str:
    """The article's body as a sanitised HTML fragment; images are figures pointing at assets/<name>."""
    return markdown_to_html(article.body, {asset.name: asset for asset in article.assets})


def load_stylesheet() -> str:
    """The stylesheet of the published-page look."""
    return resource_text("style", "article.css")


def apply_asset_urls(fragment: str, asset_url: Callable[[str], str]) -> str:
    """The sanitised fragment with each image's assets/<name> replaced by asset_url(name)."""

    def replace_src(match: re.Match[str]) -> str:
        url = asset_url(unquote(html.unescape(match.group(2))))
        return f"{match.group(1)}{html.escape(url, quote=True)}{match.group(3)}"

    def replace_tag(match: re.Match[str]) -> str:
        return "<img" + _SRC_ATTRIBUTE.sub(replace_src, match.group(1)) + ">"

    return IMG_TAG.sub(replace_tag, fragment)


def content_security_policy(article: Article, asset_url: Callable[[str], str] | None) -> str:
    """A policy that lets the page load its images and inline style and nothing else."""
    # data: stays allowed: exported pages carry their images inline.
    sources = ["'self'", "data:"]
    if asset_url is not None:
        for asset in article.assets:
            scheme = urlsplit(asset_url(asset.name)).scheme.lower()
            if scheme and scheme != "data" and f"{scheme}:" not in sources:
                sources.append(f"{scheme}:")
    return (f"default-src 'none'; img-src {' '.join(sources)}; style-src 'unsafe-inline'; "
            "base-uri 'none'; form-action 'none'")


def byline(authors: list[str]) -> str:
    """"By A", "By A and B", "By A, B and C"; empty without authors."""
    names = [name.strip() for name in authors if name.strip()]
    if not names:
        return ""
    if len(names) == 1:
        return f"By {names[0]}"
    return f"By {', '.join(names[:-1])} and {names[-1]}"


def display_date(value: str, language: str) -> tuple[str, str]:
    """(machine-readable, human-readable) forms of a metadata date; the text as typed when it is not a date."""
    try:
        parsed = parse_date(value)
    except EditorError:
        return "", value.strip()
    if parsed is None:
        return "", ""
    day: date = parsed.date() if isinstance(parsed, datetime) else parsed
    clock = f"{parsed:%H:%M}" if isinstance(parsed, datetime) else ""
    if language.lower().startswith("en"):
        text = f"{_MONTHS[day.month - 1]} {day.day}, {day.year}" + (f", {clock}" if clock else "")
    else:
        # Month names are only known in English; other languages get the unambiguous ISO form.
        text = day.isoformat() + (f" {clock}" if clock else "")
    return parsed.isoformat(), text


_OPENS_QUOTE = r"(^|[\s(\[{\u2014\u2013-])"


def typographic(text: str) -> str:
    """Plain metadata text with the curly quotes, dashes and ellipses the body gets from Markdown."""
    text = text.replace("---", "\u2014").replace("--", "\u2013").replace("...", "\u2026")
    text = re.sub(_OPENS_QUOTE + '"', "\\1\u201c", text).replace('"', "\u201d")
    # An apostrophe before a decade ('90s) closes, like any apostrophe inside or after a word.
    text = re.sub(r"'(?=\d\ds\b)", "\u2019", text)
    text = re.sub(_OPENS_QUOTE + "'", "\\1\u2018", text).replace("'", "\u2019")
    return text


def _esc(text: str) -> str:
    """Text made safe for element content and double-quoted attributes (single quotes stay readable)."""
    return html.escape(text, quote=False).replace('"', "&quot;")


def _header(metadata: Metadata) -> str:
    parts = []
    if metadata.section.strip():
        parts.append(f'<p class="kicker">{_esc(typographic(metadata.section.strip()))}</p>')
    if metadata.title.strip():
        parts.append(f'<h1 class="headline">{_esc(typographic(metadata.title.strip()))}</h1>')
    if metadata.subtitle.strip():
        parts.append(f'<p class="dek">{_esc(typographic(metadata.subtitle.strip()))}</p>')
    line = []
    if byline(metadata.authors):
        line.append(f'<span class="author">{_esc(byline(metadata.authors))}</span>')
    machine, shown = display_date(metadata.date, metadata.language)
    if shown:
        stamp = f' datetime="{_esc(machine)}"' if machine else ""
        line.append(f'<time class="published"{stamp}>{_esc(shown)}</time>')
    machine, shown = display_date(metadata.updated, metadata.language)
    if shown and metadata.updated.strip() != metadata.date.strip():
        stamp = f' datetime="{_esc(machine)}"' if machine else ""
        line.append(f'<span class="updated">Updated <time{stamp}>{_esc(shown)}</time></span>')
    if line:
        parts.append(f'<p class="byline">{" ".join(line)}</p>')
    return '<header class="article-header" id="article-header">\n' + "\n".join(parts) + "\n</header>"


def render_document(article: Article, *, asset_url: Callable[[str], str] | None = None,
                    stylesheet: str | None = None, extra_head: str = "") -> str:
    """The article as a full HTML5 page: header, body, stylesheet and a policy that blocks anything remote."""
    body = render_body(article)
    if asset_url is not None:
        body = apply_asset_urls(body, asset_url)
    return render_page(article, body, asset_url=asset_url, stylesheet=stylesheet, extra_head=extra_head)


def header_html(metadata: Metadata) -> str:
    """The article's header (kicker, headline, dek, byline) as HTML."""
    return _header(metadata)


def page_language(metadata: Metadata) -> str:
    """The language tag the page declares."""
    return metadata.language.strip() if _LANGUAGE.match(metadata.language.strip()) else "en"


def render_page(article: Article, body: str, *, asset_url: Callable[[str], str] | None = None,
                stylesheet: str | None = None, extra_head: str = "") -> str:
    """The full HTML5 page around an already rendered (and sanitised) body fragment."""
    metadata = article.metadata
    language = page_language(metadata)
    # A stylesheet cannot end the <style> element early, whatever it holds.
    css = (load_stylesheet() if stylesheet is None else stylesheet).replace("</", "<\\/")
    head = [
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_esc(content_security_policy(article, asset_url))}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{_esc(typographic(metadata.title.strip()) or 'Untitled article')}</title>",
    ]
    if metadata.summary.strip():
        head.append(f'<meta name="description" content="{_esc(metadata.summary.strip())}">')
    authors = [name.strip() for name in metadata.authors if name.strip()]
    if authors:
        head.append(f'<meta name="author" content="{_esc(", ".join(authors))}">')
    head.append(f"<style>\n{css}\n</style>")
    if extra_head:
        head.append(extra_head)
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{_esc(language)}">',
        "<head>",
        *head,
        "</head>",
        "<body>",
        '<article class="article" id="article">',
        _header(metadata),
        f'<div class="article-body" id="article-body">\n{body}\n</div>',
        "</article>",
        "</body>",
        "</html>",
        "",
    ])
