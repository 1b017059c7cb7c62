"""The pre-publication check: what an editor must fix (errors) or should look at (warnings) before publishing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from editor.core.errors import EditorError
from editor.core.fences import code_fence_lines
from editor.core.figures import is_foreign_source
from editor.core.model import Article, ImageAsset, parse_date
from editor.core.references import ImageRef, image_references

ERROR = "error"
WARNING = "warning"

_SOCIAL = r"twitter|x|facebook|instagram|linkedin|mastodon|bluesky|threads|youtube|tiktok|social\s+media"
_COUNT = r"\d[\d,.\u00a0 ]*[kKmM]?"
# Lines that web pages wrap around an article and that come along when its text is copied.
_FURNITURE = re.compile(
    r"(?:(?:back\s+to\s+)?top\s+of\s+(?:the\s+)?page|back\s+to\s+top"
    rf"|{_COUNT}\s+(?:views?|comments?|shares?|likes?)"
    r"|share\s+this(?:\s+(?:article|story|post|page))?|advertisement|sponsored(?:\s+content)?"
    r"|skip\s+to\s+(?:main\s+)?(?:content|navigation)|read\s+more|continue\s+reading"
    r"|subscribe(?:\s+(?:now|today|here|for\s+free|to\s+(?:our|the)\s+newsletter))?"
    r"|sign\s+up\s+(?:for|to)\s+(?:our|the)\s+newsletter"
    rf"|follow\s+us(?:\s+on\s+(?:{_SOCIAL})(?:\s*(?:,|&|and)\s*(?:{_SOCIAL}))*)?"
    r"|(?:accept|reject|allow)\s+(?:all(?:\s+cookies)?|cookies)"
    r"|(?:manage\s+)?cookie\s+(?:settings|preferences|policy)"
    r"|related\s+(?:articles|stories|posts)|print\s+this\s+(?:article|page)|email\s+this\s+(?:article|story))",
    re.IGNORECASE,
)
# Cookie banners are whole sentences; a short line that opens like one is a banner, not the article.
_COOKIE_NOTICE = re.compile(
    r"(?:we|this\s+(?:web)?site|our\s+(?:web)?site)\s+uses?\s+cookies\b"
    r"|by\s+(?:continuing\s+to\s+(?:use|browse)|using)\s+this\s+(?:web)?site,?\s+you\s+(?:agree|consent)",
    re.IGNORECASE,
)
_COOKIE_NOTICE_LENGTH = 300
# List bullets, heading marks, emphasis and arrows around the words do not make them part of the article.
_DECORATION = " \t#>*_-+•·|[](){}<>«»‹›→←↑↓▲▼:.…!"
_RAW_IMAGE = re.compile(r"""<img\b[^>]*?\ssrc\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


@dataclass(frozen=True)
class Problem:
    """One thing the check found; `code` is a stable id, `message` one sentence."""

    code: str
    message: str
    severity: str  # ERROR or WARNING
    asset: str | None = None
    line: int | None = None  # 1-based line in the body
    field: str | None = None  # metadata field


def check_article(article: Article, *, max_image_bytes: int = 5_000_000,
                  max_image_edge: int = 4000) -> list[Problem]:
    """Everything worth fixing before publication, errors first, then in the order found."""
    problems = [
        *_check_metadata(article),
        *_check_references(article),
        *_check_raw_images(article.body),
        *_check_assets(article, max_image_bytes, max_image_edge),
        *_check_furniture(article.body),
    ]
    return sorted(problems, key=lambda problem: problem.severity != ERROR)


def _check_metadata(article: Article) -> Iterator[Problem]:
    metadata = article.metadata
    if not metadata.title.strip():
        yield Problem("missing-title", "The article has no title.", ERROR, field="title")
    for field_name, label in (("date", "publication date"), ("updated", "last-updated date")):
        value = getattr(metadata, field_name)
        try:
            parse_date(value)
        except EditorError:
            yield Problem("invalid-date", f"The {label} “{value}” is not a date; use the form 2024-01-16.",
                          ERROR, field=field_name)
    if not metadata.date.strip():
        yield Problem("missing-date", "The article has no publication date.", WARNING, field="date")
    if not any(name.strip() for name in metadata.authors):
        yield Problem("missing-author", "The article names no author.", WARNING, field="authors")
    if not metadata.summary.strip():
        yield Problem("missing-summary", "The article has no summary for search engines and link previews.",
                      WARNING, field="summary")
    featured = metadata.featured_image.strip()
    if featured and article.asset(featured) is None:
        yield Problem("missing-asset", f"The featured image “{featured}” is not among the article's images.",
                      ERROR, asset=featured, field="featured_image")


def _check_references(article: Article) -> Iterator[Problem]:
    for ref in image_references(article.body):
        if is_foreign_source(ref.target):
            yield Problem("remote-image", f"The image on line {ref.line} is loaded from "
                          f"“{_shorten(ref.target)}”; add it to the article's images instead.",
                          WARNING, line=ref.line)
        elif not ref.is_asset:
            yield Problem("missing-asset", f"The image “{_shorten(ref.target)}” on line {ref.line} is not "
                          "in the article's images folder.", ERROR, asset=ref.target, line=ref.line)
        elif article.asset(ref.name) is None:
            yield Problem("missing-asset", f"The image “{ref.name}” on line {ref.line} is not among the "
                          "article's images.", ERROR, asset=ref.name, line=ref.line)


def _check_raw_images(body: str) -> Iterator[Problem]:
    """Images written as HTML: a remote one is as much a leak as one written in Markdown."""
    for match in _RAW_IMAGE.finditer(body):
        if is_foreign_source(match.group(1)):
            line = body.count("\n", 0, match.start()) + 1
            yield Problem("remote-image", f"The image on line {line} is loaded from “{_shorten(match.group(1))}”; "
                          "add it to the article's images instead.", WARNING, line=line)


def _check_assets(article: Article, max_bytes: int, max_edge: int) -> Iterator[Problem]:
    refs_by_name: dict[str, list[ImageRef]] = {}
    for ref in image_references(article.body):
        if ref.is_asset:
            refs_by_name.setdefault(ref.name, []).append(ref)
    featured = article.metadata.featured_image.strip()
    for asset in article.assets:
        refs = refs_by_name.get(asset.name, [])
        if not refs and asset.name != featured:
            yield Problem("unused-asset", f"The image “{asset.name}” is not used in the text.", WARNING,
                          asset=asset.name)
            continue
        line = refs[0].line if refs else None
        yield from _check_words(asset, refs, line)
        yield from _check_size(asset, line, max_bytes, max_edge)


def _check_words(asset: ImageAsset, refs: list[ImageRef], line: int | None) -> Iterator[Problem]:
    # Alt text written in every reference to the image serves as well as the image's own.
    written = bool(refs) and all(ref.alt.strip() for ref in refs)
    if not asset.alt.strip() and not written:
        yield Problem("image-no-alt", f"The image “{asset.name}” has no alt text for readers who cannot see it.",
                      WARNING, asset=asset.name, line=line)
    if not asset.caption.strip():
        yield Problem("image-no-caption", f"The image “{asset.name}” has no caption.", WARNING,
                      asset=asset.name, line=line)
    if not asset.credit.strip():
        yield Problem("image-no-credit", f"The image “{asset.name}” has no credit.", WARNING,
                      asset=asset.name, line=line)


def _check_size(asset: ImageAsset, line: int | None, max_bytes: int, max_edge: int) -> Iterator[Problem]:
    size = _byte_size(asset)
    if size is not None and size > max_bytes:
        yield Problem("image-too-large", f"The image “{asset.name}” is {size / 1_000_000:.1f} MB; "
                      f"keep images under {max_bytes / 1_000_000:.1f} MB.", WARNING, asset=asset.name, line=line)
    elif max(asset.width, asset.height) > max_edge:
        yield Problem("image-too-large", f"The image “{asset.name}” is {asset.width} × {asset.height} pixels; "
                      f"keep the longest side under {max_edge} pixels.", WARNING, asset=asset.name, line=line)


def _byte_size(asset: ImageAsset) -> int | None:
    """The stored size of an image, or None when its bytes cannot be read (reported elsewhere when opening)."""
    path = asset.data.path
    try:
        if path is not None:
            return path.stat().st_size
        return len(asset.data.read_bytes())
    except (OSError, EditorError):
        return None


def _check_furniture(body: str) -> Iterator[Problem]:
    lines = body.splitlines()
    code = code_fence_lines(lines)
    for number, line in enumerate(lines, start=1):
        if number - 1 in code:
            continue
        words = _LINK.sub(r"\1", line).strip(_DECORATION)
        if words and (_FURNITURE.fullmatch(words)
                      or (len(words) <= _COOKIE_NOTICE_LENGTH and _COOKIE_NOTICE.match(words))):
            yield Problem("page-furniture", f"Line {number} (“{words}”) looks like page furniture copied "
                          "from a web page.", WARNING, line=number)


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
