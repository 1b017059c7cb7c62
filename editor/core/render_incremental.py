"""Rendering an article block by block, re-rendering only the blocks whose text or context changed.

The law (tested as a property): `"\\n".join(page.fragments())` equals `markdown_to_html(text, assets)`,
the full render, for every text. Each block is rendered with the document-wide context (definitions,
footnote labels, explicit ids, assets) and the state the blocks before it leave (footnote references
seen, heading ids taken); a cached render is reused while the parts of that state it used are the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from editor.core.blocks import Block, Splitter, may_hold_html
from editor.core.markdown_context import EMPTY_SOURCE, BlockState, ContextMarkdown, id_base
from editor.core.model import ImageAsset
from editor.core.render import clean_fragment, guarded_render, markdown_to_html

_NOTHING: tuple[Any, ...] = ({}, [], {}, frozenset())  # what a block without definitions defines
FOOTNOTES_KEY = "\x00footnotes"  # the cache key of the footnote list, which no block text can be


@dataclass(frozen=True)
class _Context:
    """What every block's render depends on; when it changes, every block is rendered again."""

    references: tuple[tuple[str, Any], ...]
    abbreviations: tuple[tuple[str, str], ...]
    labels: tuple[str, ...]
    explicit_ids: frozenset[str]
    assets: tuple[tuple[Any, ...], ...]


@dataclass
class _Rendered:
    """A cached render of one text and the parts of the running state it depended on."""

    html: str
    context: _Context
    bases: tuple[str, ...]
    id_view: tuple[tuple[frozenset[str], bool], ...]
    labels: tuple[str, ...]
    found_view: tuple[int, ...]
    adds: dict[str, int]
    heading_ids: list[str]
    tokens: list[dict[str, Any]]
    has_toc: bool
    elements: bool
    toc_key: Any = None
    extra: Any = None  # the footnote list's own inputs


@dataclass
class RenderedBlock:
    """One block of the page: where it starts in the source (1-based, 0 for the footnote list) and its HTML.

    `present` tells a block that renders to nothing but still stands in the page (a stray closing tag, say,
    which the full render joins with a newline) from one that leaves nothing at all (definitions).
    """

    line: int
    html: str
    present: bool = True


@dataclass
class RenderedPage:
    """The article body as blocks; `rendered` counts the blocks rendered anew for this page."""

    blocks: list[RenderedBlock] = field(default_factory=list)
    rendered: int = 0

    def fragments(self) -> list[str]:
        """The non-empty block HTML, in order; joined with newlines this is the full render."""
        return [block.html for block in self.blocks if block.html or block.present]


class _Ids:
    """The ids taken so far, indexed by the base a heading's slug would be numbered from."""

    def __init__(self, explicit: frozenset[str]) -> None:
        self.all: set[str] = set(explicit)
        self.by_base: dict[str, set[str]] = {}
        for value in explicit:
            self.by_base.setdefault(id_base(value), set()).add(value)

    def add(self, value: str) -> None:
        self.all.add(value)
        self.by_base.setdefault(id_base(value), set()).add(value)

    def view(self, bases: tuple[str, ...]) -> tuple[tuple[frozenset[str], bool], ...]:
        """For each base: the ids numbered from it, and whether the base itself is taken."""
        if not bases:
            return ()
        return tuple((frozenset(self.by_base.get(base, ())), base in self.all) for base in bases)


def _asset_key(assets: dict[str, ImageAsset] | None) -> tuple[tuple[Any, ...], ...]:
    if assets is None:
        return (("none",),)
    return tuple((asset.name, asset.alt, asset.caption, asset.credit, asset.width, asset.height)
                 for asset in assets.values())


class IncrementalRenderer:
    """Renders successive versions of one article, keeping the blocks that did not change."""

    def __init__(self) -> None:
        self._assets_key: Any = None
        self._blocks: ContextMarkdown | None = None
        self._footnote_list: ContextMarkdown | None = None
        self._definitions: dict[str, tuple[Any, ...]] = {}
        self._cache: dict[str, list[_Rendered]] = {}
        self._context: _Context | None = None
        self._splitter = Splitter()

    def render(self, text: str, assets: dict[str, ImageAsset] | None = None) -> RenderedPage:
        """The page for this text; raises RenderError (one sentence) when it cannot be rendered."""
        return guarded_render(lambda: self._render(text, assets))  # type: ignore[return-value]

    def _engines(self, assets: dict[str, ImageAsset] | None) -> tuple[ContextMarkdown, ContextMarkdown]:
        key = _asset_key(assets)
        if self._blocks is None or self._footnote_list is None or key != self._assets_key:
            self._blocks = ContextMarkdown(assets, footnote_list=False)
            self._footnote_list = ContextMarkdown(assets, footnote_list=True)
            self._assets_key = key
        return self._blocks, self._footnote_list

    def _probe(self, engine: ContextMarkdown, text: str) -> tuple[Any, ...]:
        """(references, abbreviation events, footnotes, explicit ids) a block defines, cached by its text."""
        known = self._definitions.get(text)
        if known is not None:
            return known
        if "{" in text or "markdown=" in text:
            # Ids given with attribute lists only exist after a full render of the block.
            state = BlockState()
            engine.convert(text, state)
            md = engine.md
            found = (dict(md.references), list(engine.abbreviations.log),
                     dict(engine.footnote_extension.footnotes), frozenset(state.explicit_ids))
        elif "]:" in text:
            found = (*engine.definitions(text), frozenset())
        else:
            found = _NOTHING
        self._definitions[text] = found
        return found

    def _context_of(self, engine: ContextMarkdown, blocks: list[Block],
                    assets: dict[str, ImageAsset] | None) -> tuple[_Context, dict[str, Any], dict[str, str],
                                                                   dict[str, str]]:
        references: dict[str, Any] = {}
        abbreviations: dict[str, str] = {}
        footnotes: dict[str, str] = {}
        explicit: set[str] = set()
        for block in blocks:
            probed = self._probe(engine, block.text)
            if probed is _NOTHING:
                continue
            block_references, events, block_footnotes, ids = probed
            references.update(block_references)
            for name, title in events:
                if title is None:
                    abbreviations.pop(name, None)
                else:
                    abbreviations[name] = title
            footnotes.update(block_footnotes)
            explicit.update(ids)
        # The notes are parsed after the body, so definitions inside them come last and win.
        for note in list(footnotes.values()):
            note_references, events, _notes, ids = self._probe(engine, note)
            references.update(note_references)
            for name, title in events:
                if title is None:
                    abbreviations.pop(name, None)
                else:
                    abbreviations[name] = title
            explicit.update(ids)
        context = _Context(tuple(references.items()), tuple(abbreviations.items()), tuple(footnotes),
                           frozenset(explicit), self._assets_key)
        return context, references, abbreviations, footnotes

    def _render(self, text: str, assets: dict[str, ImageAsset] | None) -> RenderedPage:
        engine, list_engine = self._engines(assets)
        blocks = self._splitter.split(text)
        self._definitions = {block.text: self._definitions[block.text]
                             for block in blocks if block.text in self._definitions}
        context, references, abbreviations, footnotes = self._context_of(engine, blocks, assets)
        if context != self._context:
            self._cache = {}
            self._context = context
        context = self._context  # the same object as the cached renders', so comparing it is cheap
        shared = BlockState(inject=True, references=references, abbreviations=abbreviations, footnotes=footnotes)
        page = RenderedPage()
        found: dict[str, int] = {}
        ids = _Ids(context.explicit_ids)
        cache: dict[str, list[_Rendered]] = {}
        entries: list[tuple[str, _Rendered]] = []
        toc_blocks: list[tuple[int, dict[str, int], set[str]]] = []  # blocks holding [TOC], and the state before
        items = [(block.text, block.start + 1) for block in blocks]
        if footnotes:
            items.append((FOOTNOTES_KEY, 0))
        for key, line in items:
            extra = (tuple(footnotes.items()), tuple(sorted(found.items()))) if key == FOOTNOTES_KEY else None
            entry = self._cached(key, context, found, ids, extra)
            if entry is None:
                source = EMPTY_SOURCE if key == FOOTNOTES_KEY else key
                entry = self._render_one(list_engine if key == FOOTNOTES_KEY else engine, source, shared,
                                         context, found, ids, assets, None, extra)
                page.rendered += 1
            cache.setdefault(key, []).append(entry)
            if entry.has_toc:
                toc_blocks.append((len(entries), dict(found), set(ids.all)))
            entries.append((key, entry))
            for label, count in entry.adds.items():
                found[label] = found.get(label, 0) + count
            for value in entry.heading_ids:
                ids.add(value)
            page.blocks.append(RenderedBlock(line, entry.html, entry.elements))
        if any(count > 1 for count in found.values()) or (footnotes and may_hold_html(blocks[-1].text)):
            # Repeated references to one note are numbered in the renderer's tree-walk order, which
            # crosses blocks back and forth; and raw HTML may reach into the note list. Such a text is
            # rendered whole.
            return self._whole(text, assets)
        tokens = [token for _key, entry in entries for token in entry.tokens] if toc_blocks else []
        toc_key = repr(tokens) if toc_blocks else None
        if toc_key is not None and "\\x02" in toc_key:
            # A heading holding raw HTML refers to its own render's stash, which the [TOC] block cannot read.
            return self._whole(text, assets)
        for index, before, taken in toc_blocks:
            key, entry = entries[index]
            if entry.toc_key != toc_key:
                source = EMPTY_SOURCE if key == FOOTNOTES_KEY else key
                redone = self._render_one(list_engine if key == FOOTNOTES_KEY else engine, source, shared, context,
                                          before, _taken(context, taken), assets, tokens, entry.extra)
                redone.toc_key = toc_key
                cache[key] = [redone if cached is entry else cached for cached in cache[key]]
                page.blocks[index].html = redone.html
                page.rendered += 1
        self._cache = cache
        return page

    def _whole(self, text: str, assets: dict[str, ImageAsset] | None) -> RenderedPage:
        """The text rendered in one piece, for the rare documents whose parts cannot be rendered apart."""
        self._cache = {}
        self._context = None
        return RenderedPage([RenderedBlock(1, markdown_to_html(text, assets))], rendered=1)

    def _cached(self, key: str, context: _Context, found: dict[str, int], ids: _Ids,
                extra: Any) -> _Rendered | None:
        for entry in self._cache.get(key, ()):
            if entry.context is not context or entry.extra != extra:
                continue
            if entry.bases and ids.view(entry.bases) != entry.id_view:
                continue
            if entry.labels and tuple(found.get(label, 0) for label in entry.labels) != entry.found_view:
                continue
            return entry
        return None

    def _render_one(self, engine: ContextMarkdown, source: str, shared: BlockState, context: _Context,
                    found: dict[str, int], ids: _Ids, assets: dict[str, ImageAsset] | None,
                    tokens: list[dict[str, Any]] | None, extra: Any) -> _Rendered:
        state = BlockState(inject=True, references=shared.references, abbreviations=shared.abbreviations,
                           footnotes=shared.footnotes, found=dict(found), prior_ids=ids.all, toc_tokens=tokens)
        raw = engine.convert(source, state)
        after = engine.footnote_extension.found_refs
        adds = {}
        for ref, count in after.items():
            label = ref.split(":", 1)[1]
            if count != found.get(label, 0):
                adds[label] = count - found.get(label, 0)
        bases = tuple(dict.fromkeys(id_base(value) for value in state.heading_ids))
        labels = tuple(context.labels) if source == EMPTY_SOURCE else tuple(adds)
        return _Rendered(
            html=clean_fragment(raw, assets), context=context, bases=bases, id_view=ids.view(bases),
            labels=labels, found_view=tuple(found.get(label, 0) for label in labels), adds=adds,
            heading_ids=list(state.heading_ids), tokens=state.tokens, has_toc=state.has_toc,
            elements=state.elements, extra=extra,
        )


def _taken(context: _Context, taken: set[str]) -> _Ids:
    ids = _Ids(context.explicit_ids)
    for value in taken:
        ids.add(value)
    return ids


# A start tag as the sanitiser writes it: double-quoted attribute values with '"' escaped inside.
_TAG = re.compile(r'<(/?)([A-Za-z][A-Za-z0-9]*)((?:\s+[^\s"\'=<>`/]+(?:="[^"]*")?)*)\s*(/?)>')
_VOID = frozenset({"img", "br", "hr", "wbr", "input", "area", "col", "embed", "source", "track", "meta", "link"})


def mark_top_level(fragment: str, block_id: str) -> str:
    """The sanitised fragment with data-block="<block_id>" on each of its top-level elements."""
    out = []
    depth = 0
    last = 0
    for match in _TAG.finditer(fragment):
        closing, name = match.group(1), match.group(2).lower()
        if closing:
            depth = max(0, depth - 1)
            continue
        if depth == 0:
            out.append(fragment[last:match.start() + 1 + len(match.group(2))])
            out.append(f' data-block="{block_id}"')
            last = match.start() + 1 + len(match.group(2))
        if name not in _VOID and not match.group(4):
            depth += 1
    out.append(fragment[last:])
    return "".join(out)
