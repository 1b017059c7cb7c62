"""A Markdown converter for one block at a time that sees the whole document's definitions and ids.

Rendering a block alone loses what Python-Markdown shares across a document: reference links,
abbreviations, footnote numbers and back-references, heading ids made unique, and the table of
contents. The processors here put that shared state into each block's render (from a `BlockState`)
and record what the block adds to it, so blocks rendered one by one join into the full render.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, SubElement

import markdown
from markdown.extensions import Extension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.toc import TocExtension, TocTreeprocessor, nest_toc_tokens, slugify_unicode
from markdown.treeprocessors import Treeprocessor

from editor.core.figures import FigureExtension
from editor.core.model import ImageAsset

EXTENSIONS = ("extra", "smarty", "sane_lists")
_HEADING = re.compile(r"^h[1-6]$")
_ID_COUNT = re.compile(r"^(.*)_([0-9]+)$")
_STASH_HOLDER = "article-editor-ids"
# A source that renders to nothing, for a render whose whole output is the footnote list.
EMPTY_SOURCE = "[article-editor-nothing]: #"


def id_base(value: str) -> str:
    """The part of a heading id that the table of contents numbers: "intro" for "intro" and "intro_2"."""
    match = _ID_COUNT.match(value)
    return match.group(1) if match else value


class RecordingDict(dict):
    """A dict that remembers every assignment and removal made to it, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.log: list[tuple[str, str | None]] = []

    def __setitem__(self, key: str, value: Any) -> None:
        self.log.append((key, value))
        super().__setitem__(key, value)

    def pop(self, key: str, *default: Any) -> Any:
        """Remove a key, remembering the removal."""
        self.log.append((key, None))
        return super().pop(key, *default)

    def clear(self) -> None:
        """Empty the dict and its log."""
        self.log.clear()
        super().clear()


@dataclass
class BlockState:
    """What one render gets from the rest of the document, and what it reports back."""

    inject: bool = False
    references: dict[str, Any] = field(default_factory=dict)
    abbreviations: dict[str, str] = field(default_factory=dict)
    footnotes: dict[str, str] = field(default_factory=dict)
    found: dict[str, int] = field(default_factory=dict)  # footnote label → references before this block
    prior_ids: frozenset[str] | set[str] = frozenset()
    toc_tokens: list[dict[str, Any]] | None = None  # the whole document's headings, for [TOC]
    # Reported back:
    explicit_ids: set[str] = field(default_factory=set)
    heading_ids: list[str] = field(default_factory=list)
    tokens: list[dict[str, Any]] = field(default_factory=list)
    has_toc: bool = False
    elements: bool = False  # whether the render left any element, even one that serialises to nothing
    toc_div: Element | None = None


class _Inject(Treeprocessor):
    """Before footnotes and inline markup: the document's definitions replace the block's own."""

    def __init__(self, md: markdown.Markdown, engine: ContextMarkdown) -> None:
        super().__init__(md)
        self.engine = engine

    def run(self, root: Element) -> None:
        """Put the shared state in place."""
        state = self.engine.state
        if not state.inject:
            return
        md = self.md
        md.references.clear()
        md.references.update(state.references)
        abbreviations = self.engine.abbreviations
        dict.clear(abbreviations)
        dict.update(abbreviations, state.abbreviations)
        notes = self.engine.footnote_extension
        notes.footnotes = OrderedDict(state.footnotes)
        notes.found_refs = {f"fnref:{label}": count for label, count in state.found.items()}
        used = set()
        for label, count in state.found.items():
            used.add(f"fnref:{label}")
            used.update(f"fnref{number}:{label}" for number in range(2, count + 1))
        notes.used_refs = used


class _BeforeToc(Treeprocessor):
    """Records the ids the author gave; lends the toc the ids taken earlier in the document."""

    def __init__(self, md: markdown.Markdown, engine: ContextMarkdown) -> None:
        super().__init__(md)
        self.engine = engine

    def run(self, root: Element) -> None:
        """Note explicit ids, then add stand-ins for the earlier ids."""
        state = self.engine.state
        headings = False
        for element in root.iter():
            value = element.get("id")
            if value is not None and ":" not in value:
                # Ids with a colon (footnotes) can never clash with a heading's slug.
                state.explicit_ids.add(value)
            if isinstance(element.tag, str) and _HEADING.match(element.tag):
                headings = True
        if state.inject and headings and state.prior_ids:
            holder = SubElement(root, "div", {"class": _STASH_HOLDER})
            for value in state.prior_ids:
                SubElement(holder, "span", {"id": value})


class _AfterToc(Treeprocessor):
    """Removes the stand-ins and reports the block's headings and whether it held the [TOC] marker."""

    def __init__(self, md: markdown.Markdown, engine: ContextMarkdown) -> None:
        super().__init__(md)
        self.engine = engine

    def run(self, root: Element) -> None:
        """Collect what the toc did."""
        state = self.engine.state
        for child in list(root):
            if child.tag == "div" and child.get("class") == _STASH_HOLDER:
                root.remove(child)
        state.elements = len(root) > 0
        for element in root.iter():
            if isinstance(element.tag, str) and _HEADING.match(element.tag) and element.get("id") is not None:
                state.heading_ids.append(element.get("id", ""))
            if state.toc_div is not None and element is state.toc_div:
                state.has_toc = True
        state.tokens = _flatten(self.md.toc_tokens)


def _flatten(nested: list[dict[str, Any]]) -> list[dict[str, Any]]:
    flat = []
    for token in nested:
        flat.append({key: value for key, value in token.items() if key != "children"})
        flat.extend(_flatten(token.get("children", [])))
    return flat


class _ContextToc(TocTreeprocessor):
    """The toc processor, building the [TOC] list from the whole document's headings when given them."""

    def build_toc_div(self, toc_list: list) -> Element:
        """The toc element; remembered so the block can tell whether it replaced a marker."""
        state = self.md.article_context.state  # type: ignore[attr-defined]
        if state.inject and state.toc_tokens is not None:
            toc_list = nest_toc_tokens(deepcopy(state.toc_tokens))
        div = super().build_toc_div(toc_list)
        state.toc_div = div
        return div


class _ContextTocExtension(TocExtension):
    TreeProcessorClass = _ContextToc


class _ContextExtension(Extension):
    def __init__(self, engine: ContextMarkdown) -> None:
        super().__init__()
        self.engine = engine

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's hook name)
        """Register the processors around the toc and before footnotes."""
        md.treeprocessors.register(_Inject(md, self.engine), "article-context", 51)
        md.treeprocessors.register(_BeforeToc(md, self.engine), "article-ids", 5.5)
        md.treeprocessors.register(_AfterToc(md, self.engine), "article-headings", 4.9)


class ContextMarkdown:
    """A reusable converter whose renders take and report document-wide state through `state`."""

    def __init__(self, assets: dict[str, ImageAsset] | None, *, footnote_list: bool) -> None:
        self.state = BlockState()
        self.md = markdown.Markdown(
            extensions=[*EXTENSIONS, _ContextTocExtension(slugify=slugify_unicode), FigureExtension(assets),
                        _ContextExtension(self)],
            output_format="html",
        )
        self.md.article_context = self  # type: ignore[attr-defined]
        self.footnote_extension = next(ext for ext in self.md.registeredExtensions
                                       if isinstance(ext, FootnoteExtension))
        # Abbreviation definitions may remove one another; a recording dict keeps that order of events.
        self.abbreviations = RecordingDict()
        self.md.parser.blockprocessors["abbr"].abbrs = self.abbreviations
        self.md.treeprocessors["abbr"].abbrs = self.abbreviations
        if not footnote_list:
            # Blocks never carry the footnote list; it is rendered once for the whole document.
            self.md.treeprocessors.deregister("footnote")
            self.md.treeprocessors.deregister("footnote-duplicate")

    def convert(self, text: str, state: BlockState) -> str:
        """The raw (unsanitised) HTML of the text under this state; the state is filled in as it renders."""
        self.md.reset()
        self.abbreviations.clear()
        self.state = state
        try:
            return self.md.convert(text)
        finally:
            self.state = BlockState()

    def definitions(self, text: str) -> tuple[dict[str, Any], list[tuple[str, str | None]], dict[str, str]]:
        """The reference, abbreviation and footnote definitions the text makes, parsing only its blocks."""
        self.md.reset()
        self.abbreviations.clear()
        self.state = BlockState()
        md = self.md
        lines = text.split("\n")
        for preprocessor in md.preprocessors:
            lines = preprocessor.run(lines)
        md.parser.parseDocument(lines)
        return (dict(md.references), list(self.abbreviations.log),
                dict(self.footnote_extension.footnotes))
