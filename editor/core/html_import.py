"""Turning rich text pasted from a browser or word processor into clean Markdown.

- Kept: headings (ATX), paragraphs, line breaks, bold and italic (also when given by CSS, as Google
  Docs does), block quotes, lists (also Word's list paragraphs), code, plain tables, links to
  http, https and mailto addresses, and images whose source is a relative path.
- Dropped: scripts, styles, forms, frames, embedded objects, hidden elements, comments, Word's
  conditional comments and drawings, navigation, asides, and headers and footers outside the
  article; other links keep their text only; remote images become their alt text.
- Layout tables (merged cells, lists or several paragraphs in a cell, nested tables) are unpacked
  into their cells' blocks.
- Whole lines of page furniture ("Top of page", "4 views", "0 comments", "Share", "Advertisement",
  "Skip to content" …) are removed, except inside code blocks; at most one blank line in a row.
- Input over MAX_HTML_CHARS is refused with EditorError; conversion runs at a few hundred kilobytes
  a second, so callers in the UI should run large pastes off the UI thread.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, Tag
from bs4.element import CData, ProcessingInstruction
from markdownify import MarkdownConverter

from editor.core.errors import EditorError

# A clipboard larger than this is a whole saved site rather than an article, and converting it takes
# tens of seconds (parsing and conversion run at a few hundred kilobytes a second).
MAX_HTML_CHARS = 2_000_000

# Elements that never hold article text: code, forms, embedded content and page chrome.
_DROPPED_TAGS = frozenset({
    "script", "style", "noscript", "iframe", "frame", "frameset", "form", "nav", "aside", "template",
    "object", "embed", "applet", "svg", "canvas", "button", "input", "select", "textarea", "dialog",
    "head", "title", "meta", "link", "base", "audio", "video", "map", "xml",
})
# Outside an <article> these are site banners and footers; inside one they hold the headline and byline.
_CHROME_TAGS = frozenset({"header", "footer"})
_DROPPED_ROLES = frozenset({
    "navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "toolbar", "dialog",
})
_NODE_TYPES_DROPPED = (Comment, Declaration, Doctype, CData, ProcessingInstruction)
_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_BLOCKS_IN_CELL = ["table", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "hr"]
# Real pages nest a few dozen levels; far deeper nesting is converted as plain paragraphs.
_MAX_DEPTH = 150
_BLOCK_PARENTS = frozenset({"[document]", "html", "body", "div", "article", "section", "main", "figure", "center"})
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_BOLD_STYLE = re.compile(r"(?<![\w-])font-weight\s*:\s*(bold|[6-9]00)", re.IGNORECASE)
_NORMAL_WEIGHT_STYLE = re.compile(r"(?<![\w-])font-weight\s*:\s*(normal|[1-4]00)", re.IGNORECASE)
_ITALIC_STYLE = re.compile(r"(?<![\w-])font-style\s*:\s*italic", re.IGNORECASE)
_WORD_LIST_STYLE = re.compile(r"mso-list\s*:\s*(?!\s*ignore)\S+(?:\s+level(?P<level>\d+))?", re.IGNORECASE)
_WORD_LIST_MARKER = re.compile(r"mso-list\s*:\s*ignore", re.IGNORECASE)
_ORDERED_MARKER = re.compile(r"\(?(\d{1,3}|[a-zA-Z]|[ivxlcdmIVXLCDM]{1,6})[.)]")
_INNER_SPACES = re.compile(r"(?<=\S) {2,}(?=\S)")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LOOKS_LIKE_TAG = re.compile(r"<(?=[A-Za-z/!?])")

_SOCIAL = r"(?:facebook|twitter|linkedin|whatsapp|reddit|pinterest|telegram|email|e-mail|print|x)"
# Whole lines of page furniture, matched case-insensitively against a line with its Markdown stripped.
_FURNITURE = re.compile(
    r"(?:"
    r"(?:back to|go to|return to|to the) top|top of (?:the )?page"
    r"|skip (?:to|navigation)(?: (?:the )?(?:main )?(?:content|navigation|article|menu))?|jump to (?:main )?content"
    r"|[\d.,]+\s*[km]?\s*(?:views?|comments?|shares?|likes?|reads?|replies|reply|retweets?|reactions?|responses?)"
    r"|(?:no|view|show|see|add|leave|post|hide) (?:a |all |the )?(?:\d+ )?(?:comments?|replies|responses)"
    r"|comments?|\d+\s*min(?:ute)?s? read"
    r"|share(?: this)?(?: (?:article|story|post|page|link))?|share (?:on|via|to|with) [\w .+-]{1,40}"
    r"|tweet(?: this)?|pin it|email this|copy link|print(?: this)?(?: (?:article|story|page))?"
    rf"|{_SOCIAL}(?:[\s|·•,/]+{_SOCIAL})+"
    r"|advertisements?|sponsored(?: content)?|ad|paid content"
    r"|(?:story|article) continues below(?: (?:this|the))?(?: advertisement| ad)?"
    r"|continue reading(?: below)?|scroll to continue(?: with content)?"
    r"|read more|related(?: articles| stories| posts| content| coverage)?|you may also like|more from .{1,40}"
    r"|follow us(?: on .{1,40})?|subscribe(?: now)?|sign in|log in|sign up(?: now)?"
    r")",
    re.IGNORECASE,
)
_LINE_PREFIX = re.compile(r"^(?:\s*(?:#{1,6}\s+|>\s?|[-*+]\s+|\d{1,9}[.)]\s+))*")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_DECORATION = re.compile(r"[*_`~\\|·•]+")


class _Converter(MarkdownConverter):
    """markdownify with escaping that keeps visible angle brackets from turning into HTML."""

    def escape(self, text: str, parent_tags: set[str]) -> str:  # type: ignore[override]
        """Escape Markdown characters and anything that would read as a tag."""
        return _LOOKS_LIKE_TAG.sub("&lt;", super().escape(text, parent_tags))

    def convert_blockquote(self, el: Tag, text: str, parent_tags: set[str]) -> str:  # type: ignore[override]
        """A block quote always starts a new block, even right after inline text."""
        converted = super().convert_blockquote(el, text, parent_tags)
        return "\n" + converted if converted.startswith("\n>") else converted


def html_to_markdown(html: str) -> str:
    """Markdown for pasted HTML: page chrome, scripts and unsafe links removed; no trailing newline."""
    if len(html) > MAX_HTML_CHARS:
        raise EditorError(
            f"The pasted text is too large to convert (more than {MAX_HTML_CHARS // 1_000_000} MB of HTML); "
            "paste it as plain text instead."
        )
    soup = BeautifulSoup(html, "html.parser")
    _remove_noise(soup)
    if _depth(soup) > _MAX_DEPTH:
        # Absurdly deep nesting: the words matter more than the structure, and walking it would take ages.
        return _tidy(_plain_paragraphs(soup))
    _convert_word_lists(soup)
    _convert_style_emphasis(soup)
    _clean_links_and_images(soup)
    _simplify_tables(soup)
    _normalise_spaces(soup)
    converter = _Converter(heading_style="ATX", bullets="-", newline_style="backslash",
                           table_infer_header=True, wrap=True, wrap_width=None)
    try:
        markdown = converter.convert_soup(soup)
    except RecursionError:
        markdown = _plain_paragraphs(soup)
    return _tidy(markdown)


def _remove_noise(soup: BeautifulSoup) -> None:
    """Drop comments, scripts, chrome and hidden parts; unwrap Word's namespaced tags (one pass, no recursion)."""
    to_unwrap: list[Tag] = []
    stack: list[tuple[Tag, bool]] = [(soup, False)]
    while stack:
        parent, in_article = stack.pop()
        for child in list(parent.children):
            if isinstance(child, _NODE_TYPES_DROPPED):
                child.extract()
            elif isinstance(child, Tag):
                action = _noise_action(child, in_article)
                if action == "drop":
                    child.decompose()
                    continue
                if action == "unwrap":
                    to_unwrap.append(child)
                stack.append((child, in_article or child.name.lower() == "article"))
    for tag in reversed(to_unwrap):
        tag.unwrap()


def _noise_action(tag: Tag, in_article: bool) -> str:
    name = tag.name.lower()
    if ":" in name:
        # Word's namespaced tags: drawings go, smart tags and <o:p> keep their text.
        return "drop" if name.startswith(("v:", "w:", "m:")) else "unwrap"
    if (
        name in _DROPPED_TAGS
        or (name in _CHROME_TAGS and not in_article)
        or str(tag.get("role", "")).lower() in _DROPPED_ROLES
        or tag.has_attr("hidden")
        or str(tag.get("aria-hidden", "")).lower() == "true"
        or _HIDDEN_STYLE.search(str(tag.get("style", "")))
    ):
        return "drop"
    if name == "p" and "MsoTitle" in tag.get("class", []):
        tag.name = "h1"
    return "keep"


def _depth(soup: BeautifulSoup) -> int:
    depths = {id(soup): 0}
    deepest = 0
    for tag in soup.find_all(True):
        depth = depths[id(tag.parent)] + 1
        depths[id(tag)] = depth
        deepest = max(deepest, depth)
    return deepest


def _convert_word_lists(soup: BeautifulSoup) -> None:
    """Turn Word's list paragraphs (bullets drawn as text) into real lists."""
    items = [p for p in soup.find_all("p") if _WORD_LIST_STYLE.search(p.get("style", ""))]
    groups: list[list[Tag]] = []
    for item in items:
        if groups and item.find_previous_sibling() is groups[-1][-1]:
            groups[-1].append(item)
        else:
            groups.append([item])
    for group in groups:
        stack: list[tuple[int, Tag]] = []
        for paragraph in group:
            match = _WORD_LIST_STYLE.search(paragraph.get("style", ""))
            level = int(match.group("level") or 1) if match else 1
            marker = ""
            for ignored in paragraph.find_all(style=_WORD_LIST_MARKER):
                marker = marker or ignored.get_text().strip()
                ignored.decompose()
            while stack and stack[-1][0] > level:
                stack.pop()
            if not stack or stack[-1][0] < level:
                new_list = soup.new_tag("ol" if _ORDERED_MARKER.fullmatch(marker) else "ul")
                if stack:
                    items_above = stack[-1][1].find_all("li", recursive=False)
                    (items_above[-1] if items_above else stack[-1][1]).append(new_list)
                else:
                    paragraph.insert_before(new_list)
                stack.append((level, new_list))
            item = soup.new_tag("li")
            item.extend(list(paragraph.contents))
            stack[-1][1].append(item)
            paragraph.decompose()
    for leftover in soup.find_all(style=_WORD_LIST_MARKER):
        leftover.decompose()


def _convert_style_emphasis(soup: BeautifulSoup) -> None:
    """Bold and italic given by CSS (Google Docs, some browsers) become real emphasis."""
    for tag in list(soup.find_all(["b", "strong"])):
        # Google Docs wraps a whole paste in <b style="font-weight:normal">.
        if _NORMAL_WEIGHT_STYLE.search(tag.get("style", "")):
            tag.unwrap()
    for span in list(soup.find_all("span", style=True)):
        style = span["style"]
        bold, italic = _BOLD_STYLE.search(style), _ITALIC_STYLE.search(style)
        if italic:
            inner = soup.new_tag("em")
            inner.extend(list(span.contents))
            span.append(inner)
        if bold:
            span.name = "strong"


def _clean_links_and_images(soup: BeautifulSoup) -> None:
    for link in list(soup.find_all("a")):
        href = str(link.get("href", "")).strip()
        if urlsplit(href).scheme.lower() not in _LINK_SCHEMES:
            link.unwrap()
        else:
            link.attrs = {"href": href}
    for image in list(soup.find_all("img")):
        src = str(image.get("src", "")).strip()
        parts = urlsplit(src)
        at_block_level = image.parent is not None and image.parent.name in _BLOCK_PARENTS
        if src and not parts.scheme and not parts.netloc and not src.startswith(("/", "\\")):
            image.attrs = {"src": src, "alt": str(image.get("alt", ""))}
            if at_block_level:
                image.wrap(soup.new_tag("p"))
            continue
        # A remote picture would make the preview fetch it; its description is what survives.
        alt = re.sub(r"\s+", " ", str(image.get("alt", ""))).strip()
        if not alt:
            image.decompose()
        elif at_block_level:
            paragraph = soup.new_tag("p")
            paragraph.string = alt
            image.replace_with(paragraph)
        else:
            image.replace_with(NavigableString(f" {alt} "))


def _simplify_tables(soup: BeautifulSoup) -> None:
    """Keep plain grids as Markdown tables; unpack layout tables into their cells' blocks."""
    for table in reversed(soup.find_all("table")):
        cells = [cell for cell in table.find_all(["td", "th"]) if cell.find_parent("table") is table]
        if _is_simple_table(table, cells):
            for cell in cells:
                for paragraph in cell.find_all(["p", "div"]):
                    paragraph.unwrap()
            continue
        blocks = []
        for cell in cells:
            block = soup.new_tag("div")
            block.extend(list(cell.contents))
            blocks.append(block)
        for block in blocks:
            table.insert_before(block)
        table.decompose()


def _is_simple_table(table: Tag, cells: list[Tag]) -> bool:
    if not cells:
        return False
    for cell in cells:
        for span in ("colspan", "rowspan"):
            if str(cell.get(span, "1")).strip() not in ("", "1"):
                return False
        if cell.find(_BLOCKS_IN_CELL) is not None or len(cell.find_all("p")) > 1:
            return False
    return table.find("table") is None


def _normalise_spaces(soup: BeautifulSoup) -> None:
    # Word pads with runs of non-breaking spaces; as plain spaces they collapse like any other.
    in_code = {id(text) for block in soup.find_all("pre") for text in block.find_all(string=True)}
    for text in list(soup.find_all(string=lambda s: "\xa0" in s or "\u200b" in s)):
        if id(text) not in in_code:
            text.replace_with(NavigableString(str(text).replace("\xa0", " ").translate(_ZERO_WIDTH)))


def _plain_paragraphs(soup: BeautifulSoup) -> str:
    lines = (re.sub(r"\s+", " ", line).strip() for line in soup.get_text("\n").splitlines())
    return "\n\n".join(line for line in lines if line)


def is_furniture(line: str) -> bool:
    """Whether a line of Markdown is page furniture such as "4 views", "Share" or "Top of page"."""
    plain = _MD_LINK.sub(r"\1", _LINE_PREFIX.sub("", line))
    plain = _MD_DECORATION.sub(" ", plain)
    plain = re.sub(r"\s+", " ", plain).strip(" \t:.!-–—|()[]")
    return bool(plain) and _FURNITURE.fullmatch(plain) is not None


def _tidy(markdown: str) -> str:
    """No furniture lines, no trailing spaces, at most one blank line in a row (code fences untouched)."""
    out: list[str] = []
    in_fence = False
    for raw in markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if _FENCE.match(raw):
            in_fence = not in_fence
            out.append(raw.rstrip())
            continue
        if in_fence:
            out.append(raw.rstrip())
            continue
        line = raw.translate(_ZERO_WIDTH).rstrip()
        if is_furniture(line):
            continue
        # Pieces of text joined at element borders can leave doubled spaces inside a line.
        line = _INNER_SPACES.sub(" ", line)
        if not line.strip() or line.strip() == "\\":
            if out and out[-1].endswith("\\") and not out[-1].endswith("\\\\"):
                # A line break at the end of a paragraph is just a stray backslash in Markdown.
                out[-1] = out[-1][:-1].rstrip()
            if not out or not out[-1]:
                continue
            line = ""
        out.append(line)
    while out and not out[-1]:
        out.pop()
    if out and out[-1].endswith("\\") and not out[-1].endswith("\\\\"):
        out[-1] = out[-1][:-1].rstrip()
    return "\n".join(out)
