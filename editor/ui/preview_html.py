"""The HTML around the preview's article: its safety head, the long-page rules, and the page after block patches.

Pure string work, kept apart from the pane (editor.ui.preview), which decides when each is needed.
"""

from __future__ import annotations

import re
from html import escape as html_escape
from typing import Any

from editor.resource_files import resource_text

# A second wall behind the request interceptor: the page itself may only load our own images and styles.
CONTENT_POLICY = (
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
    "img-src bundle:; style-src 'unsafe-inline'; font-src bundle:; form-action 'none'; base-uri 'none'\">"
    '<meta http-equiv="x-dns-prefetch-control" content="off">'
)
# Only in the preview of a long article: blocks out of sight are neither laid out nor painted, so patching
# one block does not make the engine repaint everything below it (measured at 50k words: the engine's
# work per keystroke fell by two thirds). Sizes are estimated until a block is first seen, so the scroll bar of a
# long page may shift a little; short articles, where it would buy nothing, do without it.
LONG_PAGE_STYLE = (
    "<style>#article-body > * { content-visibility: auto; contain-intrinsic-size: auto 4em; }</style>"
)
# The drop cap's `p:first-of-type` makes the engine restyle every later block whenever one is inserted or
# removed: two thirds of its remaining work per keystroke at 50k words (so does `:first-child + p`, tried).
# In a long article's preview the drop cap is given to the first block only when it is a paragraph, as
# when the title is in the metadata, where it costs next to nothing.
DROP_CAP = ".article-body > p:first-of-type::first-letter"
LOCAL_DROP_CAP = ".article-body > p:first-child::first-letter"
LONG_PAGE_ON = 40_000  # characters of Markdown (about 6,000 words)
LONG_PAGE_OFF = 30_000  # below this it is short again; the gap keeps the page from reloading back and forth

_BODY = re.compile(r'<div class="article-body" id="article-body">.*</div>\n</article>', re.DOTALL)
_HEADER = re.compile(r'<header class="article-header" id="article-header">.*?</header>', re.DOTALL)
_TITLE = re.compile(r"<title>.*?</title>", re.DOTALL)
_LANG = re.compile(r'<html lang="[^"]*">')
_HEAD = re.compile(r"<head\b[^>]*>(.*?)</head\s*>", re.IGNORECASE | re.DOTALL)
# Parts of the head that change with the metadata but not with how the page looks.
_UNSEEN = re.compile(r"<title\b[^>]*>.*?</title\s*>|<meta\s+name=\"(?:description|author)\"[^>]*>",
                     re.IGNORECASE | re.DOTALL)




def head_of(html: str) -> str:
    """The parts of the document's <head> that, when changed, call for loading the page afresh."""
    match = _HEAD.search(html)
    return _UNSEEN.sub("", match.group(1)) if match else ""


def page_extras(long_page: bool, stylesheet: str | None) -> tuple[str, str | None]:
    """What the render adds to the page's head, and the stylesheet to use (None: the renderer's own)."""
    head = CONTENT_POLICY + (LONG_PAGE_STYLE if long_page else "")
    if long_page:
        # None stands for the renderer's own stylesheet, editor.core.render.load_stylesheet(), which is read
        # here directly: importing the renderer would load Markdown into the window's process.
        stylesheet = (stylesheet if stylesheet is not None else resource_text("style", "article.css")).replace(
            DROP_CAP, LOCAL_DROP_CAP)
    return head, stylesheet


def patched_page(page: str, blocks: list[str], reply: dict[str, Any]) -> str:
    """The loaded page as it is after in-place patches: these body blocks, and the reply's header, title, lang."""
    body = "\n".join(blocks)
    wrapped = f'<div class="article-body" id="article-body">\n{body}\n</div>\n</article>'
    page = _BODY.sub(lambda _m: wrapped, page, 1)
    page = _HEADER.sub(lambda _m: reply["header"], page, 1)
    page = _TITLE.sub(lambda _m: f"<title>{html_escape(reply['title'], quote=False)}</title>", page, 1)
    return _LANG.sub(lambda _m: f'<html lang="{html_escape(reply["lang"])}">', page, 1)
