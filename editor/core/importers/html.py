"""Importing an HTML file, such as a saved web page or a CMS export, as an article.

- Text: the page's <article> (the longest one when there are several), else <main>, else the body without
  navigation, banners, footers and asides; converted by editor.core.html_import.html_to_markdown, which
  also drops page furniture such as "Share" lines.
- Metadata: title from the article's <h1> (or og:title, or <title>); subtitle from an element of class
  dek, standfirst or subtitle; date, updated date, section and tags from the usual article:* and name=
  meta tags (or a <time datetime>); authors from meta author or the byline; summary from the
  description; language from <html lang>; source URL from the canonical link. A <header> inside the
  article (headline, dek, byline) is read for these and left out of the text.
- Pictures: an <img> whose src is a relative path inside the page's folder (a saved page's "_files"
  folder included) or a data: URI goes through the image pipeline (editor.core.images.add_image), with its
  alt text and the <figcaption> of its figure as caption; an element of class "credit" in the caption is
  the credit. Web pictures are never fetched; they keep their description as text.
- Every picture or embedded item left out gets a note. Nothing is written anywhere.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import os
import re
import secrets
import stat
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Tag

from editor.core.errors import EditorError
from editor.core.html_import import MAX_HTML_CHARS, html_to_markdown
from editor.core.images import add_image
from editor.core.importers import ImportResult
from editor.core.model import Article, Metadata, parse_date
from editor.core.references import image_markdown

MAX_HTML_BYTES = 32 * 1024 * 1024
# Parsing costs a fraction of a millisecond per tag, so this caps an import at seconds; real pages have far fewer.
MAX_HTML_TAGS = 200_000
_TAG_START = re.compile(r"<[A-Za-z/!]")
_SNIFF_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Labels that HTML treats as Windows-1252, whatever they say.
_WINDOWS_1252 = frozenset({"iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii", "iso8859-1", "l1", "cp819"})
_REMOVED_FROM_BODY = ("nav", "header", "footer", "aside", "script", "style", "noscript", "form")
_EMBEDDED = ("iframe", "video", "audio", "embed", "object", "canvas", "svg")
_SUBTITLE_CLASSES = frozenset({"dek", "standfirst", "subtitle", "subheadline", "deck", "lede-text"})
_CREDIT_CLASSES = frozenset({"credit", "photo-credit", "image-credit", "copyright", "byline"})
_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&)\s*")
_SHOWN_URL = 80
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_REPLACED = "Some characters of the page did not fit its stated encoding and were replaced."


def decode_html(data: bytes) -> tuple[str, list[str]]:
    """The page's text, read in the encoding its byte order mark or <meta charset> names, else UTF-8."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(name, errors="replace"), []
    declared = _META_CHARSET.search(data[:_SNIFF_BYTES])
    name = declared.group(1).decode("ascii").lower() if declared else ""
    if name in _WINDOWS_1252:
        name = "windows-1252"
    try:
        codecs.lookup(name)
    except LookupError:
        name = ""
    if name and not name.startswith("utf-16"):
        text = data.decode(name, errors="replace")
        broken = text.count("\ufffd") > data.decode(name, errors="ignore").count("\ufffd")
        return text, [_REPLACED] if broken else []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        return data.decode("windows-1252", errors="replace"), [
            "The page does not say how its text is encoded and is not UTF-8, so it was read as Windows-1252."
        ]


def read_html_file(path: Path) -> tuple[str, list[str]]:
    """The text of an HTML file and notes about its encoding; raise EditorError when it cannot be read."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise EditorError(f"“{path.name}” is not a file.")
        if info.st_size > MAX_HTML_BYTES:
            raise EditorError(f"“{path.name}” is larger than {MAX_HTML_BYTES // 1024**2} MB, too large for a web page.")
        data = Path(path).read_bytes()
    except OSError as exc:
        raise EditorError(f"“{path.name}” could not be read ({exc.strerror or exc}).") from None
    if b"\0" in data[:_SNIFF_BYTES] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise EditorError(f"“{path.name}” is not a web page: it holds binary data.")
    return decode_html(data)


def _meta(soup: BeautifulSoup, *keys: str) -> list[str]:
    """Contents of <meta property=KEY> or <meta name=KEY> tags, in page order, for any of the keys."""
    wanted = {key.lower() for key in keys}
    found = []
    for tag in soup.find_all("meta"):
        key = str(tag.get("property") or tag.get("name") or "").strip().lower()
        content = " ".join(str(tag.get("content", "")).split())
        if key in wanted and content:
            found.append(content)
    return found


def _first(values: list[str]) -> str:
    return values[0] if values else ""


def _plain(tag: Tag | None) -> str:
    return " ".join(tag.get_text(" ").split()) if tag is not None else ""


def _has_class(tag: Tag, classes: frozenset[str]) -> bool:
    return any(str(name).lower() in classes for name in tag.get("class", []))


def _valid_date(text: str) -> str:
    try:
        return text if parse_date(text) is not None else ""
    except EditorError:
        return ""


def _authors(text: str) -> list[str]:
    names = _AUTHOR_SPLIT.split(_BY.sub("", text))
    return [name.strip() for name in names if name.strip() and "://" not in name]


def find_content(soup: BeautifulSoup) -> Tag:
    """The element that holds the article: the longest <article>, else <main>, else the trimmed body."""
    articles = soup.find_all("article")
    if articles:
        return max(articles, key=lambda tag: len(tag.get_text()))
    main = soup.find("main") or soup.find(attrs={"role": "main"})
    if isinstance(main, Tag):
        return main
    body = soup.body if soup.body is not None else soup
    for name in _REMOVED_FROM_BODY:
        for tag in body.find_all(name):
            tag.decompose()
    return body


def read_metadata(soup: BeautifulSoup, content: Tag) -> Metadata:
    """The metadata the page states, taking the headline, dek and byline out of the content."""
    meta = Metadata()
    header = content.find("header")
    heading_scope = header if isinstance(header, Tag) and header.find("h1") else content
    heading = heading_scope.find("h1")
    title_tag = soup.find("title")
    meta.title = _plain(heading) or _first(_meta(soup, "og:title")) or _plain(title_tag)
    dek = next((tag for tag in content.find_all(True) if _has_class(tag, _SUBTITLE_CLASSES)), None)
    meta.subtitle = _plain(dek)
    meta.summary = _first(_meta(soup, "description", "og:description", "twitter:description"))
    authors = _meta(soup, "author", "article:author", "dc.creator", "sailthru.author")
    author = content.find(class_="author") or content.find(attrs={"rel": "author"})
    byline = content.find(class_="byline") or author
    meta.authors = [name for text in authors for name in _authors(text)] or _authors(_plain(author))
    published = content.find("time", attrs={"datetime": True})
    candidates = _meta(soup, "article:published_time", "date", "pubdate", "dc.date.issued", "dc.date")
    if published is not None:
        candidates.append(str(published.get("datetime", "")))
    meta.date = next((value for value in map(_valid_date, candidates) if value), "")
    meta.updated = next((v for v in map(_valid_date, _meta(soup, "article:modified_time", "last-modified")) if v), "")
    kicker = content.find(class_="kicker")
    meta.section = _first(_meta(soup, "article:section")) or _plain(kicker)
    tags = _meta(soup, "article:tag") or [t for k in _meta(soup, "keywords") for t in k.split(",")]
    meta.tags = list(dict.fromkeys(tag.strip() for tag in tags if tag.strip()))
    html_tag = soup.find("html")
    language = str(html_tag.get("lang", "")).strip() if isinstance(html_tag, Tag) else ""
    if re.fullmatch(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*", language):
        meta.language = language
    canonical = soup.find("link", rel="canonical")
    sources = [str(canonical.get("href", ""))] if isinstance(canonical, Tag) else []
    meta.source_url = next((u for u in [*sources, *_meta(soup, "og:url")] if u.startswith(("http://", "https://"))), "")
    if heading_scope is header:
        # A lead picture in the header belongs to the story, not to the headline block that is dropped.
        for picture in header.find_all(["figure", "img"]):
            if not picture.decomposed and picture.find_parent("figure") is None:
                header.insert_before(picture.extract())
    # What was read into the form is not repeated in the text.
    for tag in (header if heading_scope is header else heading, dek, kicker, byline):
        if isinstance(tag, Tag) and not tag.decomposed and tag.parent is not None:
            tag.decompose()
    return meta


def _shown(src: str) -> str:
    return src if len(src) <= _SHOWN_URL else src[: _SHOWN_URL - 1] + "…"


class _Pictures:
    """Brings the page's pictures into the article, each replaced by a token the Markdown keeps."""

    def __init__(self, folder: Path, article: Article, notes: list[str]) -> None:
        self.base = Path(os.path.realpath(folder))
        self.article = article
        self.notes = notes
        self.token = f"pagepicture{secrets.token_hex(6)}n"
        self.lines: list[str] = []

    def local_file(self, src: str) -> Path | None:
        """The file a relative src names inside the page's folder, or None with a note."""
        relative = unquote(urlsplit(src).path)
        real = Path(os.path.realpath(self.base / relative))
        if not real.is_relative_to(self.base):
            self.notes.append(f"The picture “{_shown(src)}” lies outside the page’s folder, so it was not brought in.")
            return None
        if not real.is_file():
            self.notes.append(f"The picture “{_shown(src)}” was not found beside the page, so it was left out.")
            return None
        return real

    def source(self, src: str, alt: str) -> tuple[Path | bytes | None, str]:
        """What to import for a src and the name it goes by; (None, "") when it is not brought in."""
        parts = urlsplit(src)
        scheme = parts.scheme.lower()
        if scheme == "data":
            head, _, payload = src.partition(",")
            if ";base64" not in head.lower():
                self.notes.append("A picture written into the page as text could not be read, so it was left out.")
                return None, ""
            try:
                return base64.b64decode(payload, validate=False), alt[:60] or "embedded-image"
            except (binascii.Error, ValueError):
                self.notes.append("A picture embedded in the page is damaged, so it was left out.")
                return None, ""
        if scheme or parts.netloc:
            self.notes.append(f"The picture at “{_shown(src)}” is on the web and was not downloaded.")
            return None, ""
        if src.startswith(("/", "\\")):
            self.notes.append(f"The picture “{_shown(src)}” is addressed from the site’s root, so it was not found.")
            return None, ""
        path = self.local_file(src)
        return (path, path.name) if path is not None else (None, "")

    def take(self, img: Tag, caption: str, credit: str) -> str | None:
        """Import one picture; the token that stands for it in the text, or None when it was left out."""
        src = str(img.get("src", "")).strip()
        alt = " ".join(str(img.get("alt", "")).split())
        if not src:
            return None
        data, name = self.source(src, alt)
        if data is None:
            return None
        try:
            asset, _added = add_image(self.article, data, name, alt=alt, caption=caption, credit=credit)
        except EditorError as exc:
            self.notes.append(f"The picture “{_shown(src)}” was left out: {exc}")
            return None
        self.lines.append(image_markdown(asset.name, alt))
        return f"{self.token}{len(self.lines) - 1}x"

    def put_back(self, markdown: str) -> str:
        """The Markdown with every token replaced by its image reference."""
        return re.sub(re.escape(self.token) + r"(\d+)x", lambda m: self.lines[int(m.group(1))], markdown)


def _caption_and_credit(figure: Tag | None) -> tuple[str, str]:
    caption = figure.find("figcaption") if figure is not None else None
    if not isinstance(caption, Tag):
        return "", ""
    credit = next((tag for tag in caption.find_all(True) if _has_class(tag, _CREDIT_CLASSES)), None)
    credit_text = _plain(credit)
    if credit is not None:
        credit.decompose()
    return _plain(caption).rstrip(" —–-|·").strip(), credit_text


def bring_in_pictures(content: Tag, pictures: _Pictures, soup: BeautifulSoup) -> None:
    """Replace each figure and picture of the content by a token, importing what can be imported."""
    for figure in list(content.find_all("figure")):
        images = figure.find_all("img")
        if len(images) != 1:
            continue
        caption, credit = _caption_and_credit(figure)
        token = pictures.take(images[0], caption, credit)
        if not (token or caption):
            figure.decompose()
            continue
        replacement = soup.new_tag("p")
        replacement.string = token or caption
        figure.replace_with(replacement)
    for img in list(content.find_all("img")):
        token = pictures.take(img, "", "")
        if token is not None:
            img.replace_with(token)
        elif urlsplit(str(img.get("src", ""))).scheme.lower() not in {"http", "https"}:
            img.decompose()  # a picture that could not be read has nothing left to show; web ones keep their alt


def import_html_file(path: Path) -> ImportResult:
    """Read an HTML page as a new, unsaved article; raise EditorError with one sentence when it cannot be read."""
    path = Path(path)
    text, notes = read_html_file(path)
    if sum(1 for _ in _TAG_START.finditer(text)) > MAX_HTML_TAGS:
        raise EditorError(f"“{path.name}” has more than {MAX_HTML_TAGS:,} HTML tags, too many to import.")
    soup = BeautifulSoup(text, "html.parser")
    content = find_content(soup)
    article = Article()
    article.metadata = read_metadata(soup, content)
    embedded = sum(len(content.find_all(name)) for name in _EMBEDDED)
    if embedded:
        notes.append(f"{embedded} embedded item(s) such as videos, maps or drawings were left out.")
    pictures = _Pictures(path.parent, article, notes)
    bring_in_pictures(content, pictures, soup)
    inner = content.decode_contents()
    if len(inner) > MAX_HTML_CHARS:
        raise EditorError(f"The article in “{path.name}” is too long to import (over {MAX_HTML_CHARS:,} characters).")
    body = pictures.put_back(html_to_markdown(inner))
    if not body.strip() and not article.metadata.title:
        raise EditorError(f"“{path.name}” holds no article text to import.")
    article.body = body + "\n" if body else ""
    if not article.metadata.title:
        notes.append("The page has no headline, so the article has no title yet.")
    return ImportResult(article, notes)
