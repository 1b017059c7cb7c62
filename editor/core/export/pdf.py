"""PDF export: the rendered article laid out for print on A4 or Letter paper.

Only a browser engine lays out the article's HTML and print stylesheet faithfully, and the one this
program has is Qt WebEngine. The core stays Qt-free: it prepares a PrintJob and hands it to a printer
function; the window or the command line pass editor.ui.pdf_printer.print_pdf, and when nobody passes
one it is looked up here, lazily, so importing this module never loads Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from editor.core.atomic import atomic_write_bytes
from editor.core.errors import EditorError
from editor.core.model import Article
from editor.core.render import render_document

PAPER_SIZES = ("A4", "Letter")
DEFAULT_MARGIN_MM = 18.0
# Regions where Letter is the usual office paper; everywhere else prints on A4.
_LETTER_REGIONS = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "PR"})

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class PrintJob:
    """What a printer needs: the article, its paper and margins, and a way to render it with its own image URLs."""

    article: Article
    paper: str = "A4"
    margin_mm: float = DEFAULT_MARGIN_MM

    def page_html(self, asset_url: Callable[[str], str]) -> str:
        """The article as a styled HTML page whose images point at asset_url(name)."""
        return render_document(self.article, asset_url=asset_url)

    def asset_bytes(self, name: str) -> bytes | None:
        """The bytes of the image with this name, or None when the article has no such image."""
        asset = self.article.asset(name)
        return None if asset is None else asset.data.read_bytes()


PdfPrinter = Callable[[PrintJob], bytes]


def paper_for(language: str) -> str:
    """The usual paper size where a language tag's region is: Letter in the Americas' Letter countries, else A4."""
    parts = language.replace("_", "-").split("-")
    region = next((part.upper() for part in parts[1:] if len(part) == 2 and part.isalpha()), "")
    return "Letter" if region in _LETTER_REGIONS else "A4"


def default_printer() -> PdfPrinter:
    """The Qt WebEngine printer; raise EditorError when Qt WebEngine cannot be loaded."""
    try:
        from editor.ui.pdf_printer import print_pdf
    except ImportError as exc:
        raise EditorError(f"PDF export needs Qt WebEngine, which could not be loaded ({exc}).") from None
    return print_pdf


def export(article: Article, out: Path, *, progress: Progress | None = None, clean: bool = False,
           printer: PdfPrinter | None = None, paper: str | None = None,
           margin_mm: float = DEFAULT_MARGIN_MM) -> list[str]:
    """Write the article as a print-ready PDF at OUT; returns notes for the user (none so far)."""
    del clean  # review data is never printed
    paper = paper or paper_for(article.metadata.language)
    if paper not in PAPER_SIZES:
        raise EditorError(f"“{paper}” is not a paper size PDF export knows; use A4 or Letter.")
    report = progress or (lambda _done, _total: None)
    report(0, 2)
    # A photo that cannot be read would silently drop out of the print; say so before printing instead.
    used = article.used_asset_names()
    for asset in article.assets:
        if asset.name in used:
            asset.data.read_bytes()
    job = PrintJob(article, paper=paper, margin_mm=margin_mm)
    data = (printer or default_printer())(job)
    if not data.startswith(b"%PDF-"):
        raise EditorError("The PDF could not be made: the page printer returned something that is not a PDF.")
    report(1, 2)
    atomic_write_bytes(Path(out), data)
    report(2, 2)
    return []
