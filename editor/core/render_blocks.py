"""One preview's rendering session: the page as numbered blocks, sending only what changed."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from typing import Any

from editor.core.model import Article
from editor.core.render import apply_asset_urls, header_html, page_language, render_page, typographic
from editor.core.render_incremental import IncrementalRenderer, mark_top_level


class BlockSession:
    """Keeps the incremental cache and the ids of the blocks last sent, so an update sends only new blocks."""

    def __init__(self) -> None:
        self.renderer = IncrementalRenderer()
        self._prefix = uuid.uuid4().hex[:6]  # ids stay unique even across a restarted render process
        self._counter = itertools.count(1)
        self._ids: dict[str, list[str]] = {}  # block HTML → ids it was sent under
        self._versions = ""
        self._head_key: Any = None
        self._head = ""

    def update(self, article: Article, *, full: bool = False, asset_url: Callable[[str], str] | None = None,
               stylesheet: str | None = None, extra_head: str = "") -> dict[str, Any]:
        """A reply for the preview.

        Keys: "order" (block ids, in page order), "lines" (1-based first source line of each, 0 for the
        footnote list), "html" (id → marked HTML for blocks not sent before, or every block when `full`),
        "page" (the whole page when `full`, else None), "head" (the page's head, to spot stylesheet
        changes), "header", "title" and "lang".
        """
        assets = {asset.name: asset for asset in article.assets}
        page = self.renderer.render(article.body, assets)
        # A replaced image keeps its name but not its bytes: its blocks get new ids so the page fetches it anew.
        versions = repr(sorted((asset.name, asset.sha256) for asset in article.assets))
        if versions != self._versions:
            full_ids, self._versions = True, versions
        else:
            full_ids = full
        previous = {} if full_ids else self._ids
        ids: dict[str, list[str]] = {}
        order: list[str] = []
        lines: list[int] = []
        new: dict[str, str] = {}
        for block in page.blocks:
            if not block.html:
                continue
            spare = previous.get(block.html)
            if spare:
                block_id = spare.pop(0)
            else:
                block_id = f"{self._prefix}-{next(self._counter)}"
                html = apply_asset_urls(block.html, asset_url) if asset_url is not None else block.html
                new[block_id] = mark_top_level(html, block_id)
            ids.setdefault(block.html, []).append(block_id)
            order.append(block_id)
            lines.append(block.line)
        self._ids = ids
        metadata = article.metadata
        if full:
            body = "\n".join(new[block_id] for block_id in order)
            page = render_page(article, body, asset_url=asset_url, stylesheet=stylesheet, extra_head=extra_head)
            head = page.split("<body>", 1)[0]
        else:
            page = None
            # The head only changes with the metadata, the stylesheet or the images: keep it between edits.
            key = (repr(metadata), stylesheet, extra_head, repr(asset_url), tuple(assets))
            if key != self._head_key:
                shell = render_page(article, "", asset_url=asset_url, stylesheet=stylesheet, extra_head=extra_head)
                self._head_key, self._head = key, shell.split("<body>", 1)[0]
            head = self._head
        return {
            "order": order,
            "lines": lines,
            "html": new,
            "page": page,
            "head": head,
            "header": header_html(metadata),
            "title": typographic(metadata.title.strip()) or "Untitled article",
            "lang": page_language(metadata),
        }
