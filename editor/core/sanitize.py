"""Making rendered HTML safe to show: an allowlist of the tags and attributes the renderer produces."""

from __future__ import annotations

import re
from urllib.parse import quote

import nh3

from editor.core.references import asset_name_from_target

# Everything the Markdown renderer and its extensions write, plus harmless inline markup people type as raw HTML.
ALLOWED_TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "img", "figure", "figcaption", "span", "div",
    "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "q", "cite", "kbd", "samp", "var",
    "code", "pre", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "abbr", "sup", "sub", "hr", "br",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
})

# Removed together with everything inside them, so no stray script text or SVG labels leak into the page.
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "template", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet",
    "svg", "math", "textarea", "select", "button", "title", "xmp", "noembed", "noframes", "plaintext",
})

_GENERIC_ATTRIBUTES = {"id", "class", "title", "lang", "dir"}
_TAG_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
}
LINK_SCHEMES = frozenset({"http", "https", "mailto"})

# The page around the body uses these ids; a body element must not take them over.
RESERVED_IDS = frozenset({"article", "article-header", "article-body"})

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# Browsers ignore ASCII whitespace and control characters inside a URL's scheme.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
_CLASS_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_DIMENSION = re.compile(r"^[0-9]{1,5}$")
# An <img> as nh3 writes it: double-quoted attributes with '"' escaped inside values.
IMG_TAG = re.compile(r'<img((?:\s+[A-Za-z_:][-A-Za-z0-9_:.]*="[^"]*")*)\s*/?>')
_ALT = re.compile(r'\salt="([^"]*)"')


def safe_href(value: str) -> str | None:
    """The link target if it is http, https, mailto, a fragment or a relative path; None otherwise."""
    squeezed = _URL_NOISE.sub("", value).lower()
    if squeezed.startswith(("//", "\\", "/\\")):
        return None
    match = _SCHEME.match(squeezed)
    if match:
        return value.strip() if match.group(1) in LINK_SCHEMES else None
    # A colon before the first slash, query or fragment would make some parsers read a scheme.
    head = re.split(r"[/?#]", squeezed, maxsplit=1)[0]
    if ":" in head:
        return None
    return value.strip()


def safe_image_src(value: str) -> str | None:
    """assets/<name> (percent-encoded) for a reference into the bundle; None for anything else."""
    name = asset_name_from_target(value.strip())
    return f"assets/{quote(name)}" if name else None


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "src":
        return safe_image_src(value) if tag == "img" else None
    if attribute == "href":
        return safe_href(value)
    if attribute == "class":
        names = [name for name in value.split() if _CLASS_NAME.match(name)]
        return " ".join(names) or None
    if attribute == "id":
        return None if value in RESERVED_IDS or not value.strip() else value
    if attribute in {"width", "height"}:
        return value if _DIMENSION.match(value.strip()) else None
    return value


def sanitize_fragment(html: str) -> str:
    """The HTML fragment with everything outside the allowlist removed: no scripts, handlers or foreign URLs."""
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={"*": set(_GENERIC_ATTRIBUTES), **{tag: set(names) for tag, names in _TAG_ATTRIBUTES.items()}},
        attribute_filter=_filter_attribute,
        url_schemes=set(LINK_SCHEMES),
        strip_comments=True,
    )
    return IMG_TAG.sub(_unloaded_image_note, cleaned)


def _unloaded_image_note(match: re.Match[str]) -> str:
    """An image whose source was refused (raw HTML pointing elsewhere) becomes a visible note, not a broken icon."""
    attributes = match.group(1)
    if re.search(r'\ssrc="', attributes):
        return match.group(0)
    alt = _ALT.search(attributes)
    what = f": {alt.group(1)}" if alt and alt.group(1).strip() else ""
    return f'<span class="remote-image">image not loaded{what}</span>'
