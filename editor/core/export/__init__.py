"""Exporting an article to the formats other tools read.

export_article() checks the format and OUT, then lets the format's module (editor.core.export.<module>,
imported only when used) write OUT. Each module offers
    export(article, out, *, progress=None, clean=False) -> list[str]   # notes on what was left out
and may assume that OUT's folder exists and that OUT itself does not: the module writes into a hidden
folder beside OUT, and only a complete result is moved to OUT (replacing an old OUT in one step when
force is set). A failure leaves no trace, and nothing is ever written outside OUT, except what a module
names in an optional companion_names(out) -> list[str]: things placed beside OUT, guarded like OUT
(Markdown export to a .md file puts its pictures folder there).

An existing OUT without force raises OutputExistsError, whose sentence gives no advice: the command line
adds "use --force", the window asks whether to replace.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from editor.core.errors import EditorError
from editor.core.export.common import (
    OutputExistsError,
    Progress,
    asset_bytes,
    build_folder,
    build_folder_or_zip,
    check_output,
    data_uri,
    staged_write,
    write_zip_from_folder,
)
from editor.core.model import Article

__all__ = [
    "FORMATS", "ExportResult", "OutputExistsError", "Progress", "asset_bytes", "build_folder",
    "build_folder_or_zip", "data_uri", "default_output_name", "export_article", "format_module",
    "write_zip_from_folder",
]

# Name -> one line for menus and help, in menu order.
FORMATS: dict[str, str] = {
    "textbundle": "TextBundle folder, the native bundle",
    "textpack": "TextPack, the native bundle zipped into one file",
    "hugo": "Hugo page bundle (folder, or .zip)",
    "jekyll": "Jekyll post with its images (site folder, or .zip)",
    "markdown": "Markdown with YAML front matter and its images (folder, or .zip)",
    "html": "HTML page (one .html file with images inside, or a folder / .zip)",
    "pdf": "PDF for printing",
    "docx": "Word document (needs pandoc)",
    "odt": "OpenDocument text (needs pandoc)",
    "epub": "EPUB e-book (needs pandoc)",
}

_MODULES = {
    "textbundle": "textbundle", "textpack": "textbundle", "hugo": "hugo", "jekyll": "jekyll",
    "markdown": "markdown", "html": "html", "pdf": "pdf", "docx": "pandoc", "odt": "pandoc", "epub": "pandoc",
}

# What default_output_name adds to the slug; formats not listed are folders named after the slug.
_SUFFIXES = {
    "textbundle": ".textbundle", "textpack": ".textpack", "html": ".html", "pdf": ".pdf",
    "docx": ".docx", "odt": ".odt", "epub": ".epub",
}


@dataclass
class ExportResult:
    """Where the export went and what it could not carry over."""

    output: Path
    notes: list[str] = field(default_factory=list)
    beside: list[Path] = field(default_factory=list)  # what was written next to OUT (a pictures folder)


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise EditorError(f"“{fmt}” is not an export format; choose one of {', '.join(FORMATS)}.")
    return fmt


def format_module(fmt: str) -> ModuleType:
    """The module that writes a format, imported on first use."""
    return importlib.import_module(f"editor.core.export.{_MODULES[_check_format(fmt)]}")


def default_output_name(article: Article, fmt: str) -> str:
    """The usual name of an export: the slug plus the format's extension, e.g. "my-story.textpack"."""
    slug = article.metadata.effective_slug or "article"
    suffix = _SUFFIXES.get(_check_format(fmt), "")
    return f"{slug}-{fmt}" if fmt in {"jekyll", "markdown"} else slug + suffix


def _checked_suffix(fmt: str, out: Path) -> None:
    """Formats that are single files of one kind need OUT to say so, lest the result open in the wrong program."""
    wanted = _SUFFIXES.get(fmt)
    if wanted and fmt != "html" and out.suffix.lower() != wanted:
        raise EditorError(f"“{out.name}” should end in {wanted} for {fmt} export.")


def export_article(article: Article, fmt: str, out: Path, *, force: bool = False, clean: bool = False,
                   progress: Progress | None = None) -> ExportResult:
    """Write the article as `fmt` to OUT; raise EditorError (one sentence) on any failure, leaving nothing behind.

    OUT's folder must exist; an existing OUT is replaced only with force (OutputExistsError otherwise).
    progress(done, total) is called as the work advances and once more at the end with done == total.
    """
    out = Path(out)
    _check_format(fmt)
    _checked_suffix(fmt, out)
    check_output(out, force=force)
    module = format_module(fmt)
    # A format may write one thing beside OUT (Markdown's pictures folder); it is guarded like OUT itself.
    companions = list(getattr(module, "companion_names", lambda _out: [])(out))
    for name in companions:
        check_output(out.parent / name, force=force)
    last_total = [1]

    def forward(done: int, total: int) -> None:
        last_total[0] = max(total, 1)
        if progress is not None:
            progress(done, total)

    notes: list[str] = []

    def write(target: Path) -> None:
        notes.extend(module.export(article, target, progress=forward, clean=clean))

    staged_write(out, write, companions)
    if progress is not None:
        progress(last_total[0], last_total[0])
    beside = [out.parent / name for name in companions if os.path.lexists(out.parent / name)]
    return ExportResult(output=out, notes=notes, beside=beside)
