"""Bringing articles in from files other tools wrote.

import_source() looks at SRC and hands it to the reader that knows it:
    .textbundle folder / .textpack zip  -> editor.core.bundle.open_bundle (its warnings become notes)
    a folder holding index.md or _index.md -> editor.core.importers.hugo.import_page_bundle
    a folder holding one other .md file   -> that file, as below (what Markdown export to a folder writes)
    .md / .markdown / .mdown file        -> editor.core.importers.markdown.import_markdown_file
    .html / .htm file                    -> editor.core.importers.html.import_html_file
Every reader returns an ImportResult whose notes say, one sentence each, what could not be brought in.
The article comes back unsaved: nothing is written anywhere, whatever the input.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path

from editor.core.errors import EditorError
from editor.core.model import Article

__all__ = ["BUNDLE_SUFFIXES", "HTML_SUFFIXES", "MARKDOWN_SUFFIXES", "ImportResult", "import_source", "source_kind"]

BUNDLE_SUFFIXES = frozenset({".textbundle", ".textpack"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
PAGE_BUNDLE_INDEXES = ("index.md", "_index.md")


@dataclass
class ImportResult:
    """An imported article and what could not be brought in, one sentence each."""

    article: Article
    notes: list[str] = field(default_factory=list)


def source_kind(src: Path) -> str:
    """Which reader SRC needs: "bundle", "hugo", "markdown" or "html"; raise EditorError when none does."""
    src = Path(src)
    suffix = src.suffix.lower()
    if not src.exists():
        raise EditorError(f"“{src}” does not exist.")
    if suffix in BUNDLE_SUFFIXES:
        return "bundle"
    if src.is_dir():
        if any((src / name).is_file() for name in PAGE_BUNDLE_INDEXES):
            return "hugo"
        if folder_markdown(src) is not None:
            return "markdown"
        raise EditorError(f"The folder “{src.name}” holds no index.md and no single Markdown file, so there is "
                          "nothing in it to import.")
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in HTML_SUFFIXES:
        return "html"
    raise EditorError(
        f"“{src.name}” cannot be imported; choose a TextBundle, TextPack, Markdown file, Hugo page bundle or HTML file."
    )


def folder_markdown(folder: Path) -> Path | None:
    """The one Markdown file at the top of a folder, or None when it holds none or several."""
    from editor.core.importers.markdown import own_file

    try:
        found = [entry for entry in Path(folder).iterdir()
                 if entry.suffix.lower() in (".md", ".markdown") and not entry.name.startswith(".")
                 and own_file(folder, entry)]  # a link to a file elsewhere would import that file unseen
    except OSError:
        return None
    return found[0] if len(found) == 1 else None


def import_source(src: Path) -> ImportResult:
    """Read SRC as a new, unsaved article; raise EditorError with one sentence when it cannot be read."""
    src = Path(src)
    kind = source_kind(src)
    if kind == "bundle":
        from editor.core.bundle import open_bundle

        opened = open_bundle(src)
        return ImportResult(opened.article, list(opened.warnings))
    if kind == "hugo":
        return importlib.import_module("editor.core.importers.hugo").import_page_bundle(src)
    if kind == "markdown":
        text = folder_markdown(src) if src.is_dir() else src
        return importlib.import_module("editor.core.importers.markdown").import_markdown_file(text)
    return importlib.import_module("editor.core.importers.html").import_html_file(src)
