"""PDF export: a real print through Qt WebEngine, read back with QtPdf, and the failure paths."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from editor.core.errors import EditorError
from editor.core.export import pdf
from editor.core.export.pdf import PrintJob
from editor.core.model import AssetData
from tests.core.export.printed_sample import CAPTION, CREDIT, SECOND_CAPTION, TITLE, realistic_article

A4_POINTS = (595, 842)
LETTER_POINTS = (612, 792)


def read_pdf(path: Path) -> tuple[int, str, tuple[int, int]]:
    """Page count, all text, and the first page's size in points, as QtPdf reads them."""
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    assert document.load(str(path)) == QPdfDocument.Error.None_
    pages = document.pageCount()
    text = "\n".join(document.getAllText(page).text() for page in range(pages))
    size = document.pagePointSize(0)
    document.close()
    return pages, text, (round(size.width()), round(size.height()))


def same_paper(size: tuple[int, int], expected: tuple[int, int]) -> bool:
    """Whether a page size in points is the expected paper, allowing for rounding in the engine."""
    return abs(size[0] - expected[0]) <= 1 and abs(size[1] - expected[1]) <= 1


def flat(text: str) -> str:
    """Text with line breaks and runs of spaces as single spaces, as laid-out lines split sentences."""
    return " ".join(text.split())


@pytest.mark.slow
def test_export_prints_title_body_and_captions_to_a_pdf(qapp, tmp_path: Path) -> None:
    out = tmp_path / "crane.pdf"
    steps: list[tuple[int, int]] = []
    notes = pdf.export(realistic_article(), out, progress=lambda done, total: steps.append((done, total)))
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert notes == []
    pages, text, size = read_pdf(out)
    assert pages >= 1
    shown = flat(text)
    assert TITLE in shown
    assert "ending a restoration that took four years" in shown
    assert CAPTION in shown and SECOND_CAPTION in shown
    # The print stylesheet shows credits in capitals.
    assert CREDIT.upper() in shown.upper()
    assert same_paper(size, A4_POINTS)  # en-GB prints on A4
    assert steps[-1][0] == steps[-1][1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crane.pdf"]  # no temporary files left


@pytest.mark.slow
def test_export_embeds_both_photos(qapp, tmp_path: Path) -> None:
    out = tmp_path / "crane.pdf"
    pdf.export(realistic_article(), out)
    data = out.read_bytes()
    assert data.count(b"/Subtype /Image") >= 2


@pytest.mark.slow
def test_american_english_prints_on_letter_paper(qapp, tmp_path: Path) -> None:
    article = realistic_article()
    article.metadata.language = "en-US"
    out = tmp_path / "letter.pdf"
    pdf.export(article, out)
    assert same_paper(read_pdf(out)[2], LETTER_POINTS)


@pytest.mark.slow
def test_paper_can_be_chosen_whatever_the_language(qapp, tmp_path: Path) -> None:
    out = tmp_path / "letter.pdf"
    pdf.export(realistic_article(), out, paper="Letter")
    assert same_paper(read_pdf(out)[2], LETTER_POINTS)


@pytest.mark.parametrize(("language", "paper"), [
    ("en-US", "Letter"), ("en_CA", "Letter"), ("es-MX", "Letter"), ("en-GB", "A4"), ("de", "A4"),
    ("zh-Hant-TW", "A4"), ("", "A4"), ("not a tag", "A4"),
])
def test_paper_follows_the_region_of_the_language(language: str, paper: str) -> None:
    assert pdf.paper_for(language) == paper


def test_unknown_paper_is_refused_before_printing(tmp_path: Path) -> None:
    def printer(job: PrintJob) -> bytes:
        raise AssertionError("must not print")

    with pytest.raises(EditorError, match="A4 or Letter"):
        pdf.export(realistic_article(), tmp_path / "x.pdf", printer=printer, paper="Tabloid")
    assert list(tmp_path.iterdir()) == []


def test_printer_gets_the_article_paper_and_margins(tmp_path: Path) -> None:
    seen: list[PrintJob] = []

    def printer(job: PrintJob) -> bytes:
        seen.append(job)
        return b"%PDF-1.4 fake"

    article = realistic_article()
    pdf.export(article, tmp_path / "x.pdf", printer=printer, paper="Letter", margin_mm=10)
    job = seen[0]
    assert (job.article, job.paper, job.margin_mm) == (article, "Letter", 10)
    page = job.page_html(lambda name: f"test:{name}")
    assert 'src="test:crane at dawn.jpg"' in page and "@media print" in page
    assert job.asset_bytes("dockers.png") == article.assets[1].data.read_bytes()
    assert job.asset_bytes("absent.png") is None


def test_output_that_is_not_a_pdf_is_refused_and_the_old_file_kept(tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    out.write_bytes(b"%PDF- the old one")
    with pytest.raises(EditorError, match="not a PDF"):
        pdf.export(realistic_article(), out, printer=lambda job: b"<html>oops</html>")
    assert out.read_bytes() == b"%PDF- the old one"
    assert [p.name for p in tmp_path.iterdir()] == ["x.pdf"]


def test_a_failing_printer_leaves_nothing_behind(tmp_path: Path) -> None:
    def printer(job: PrintJob) -> bytes:
        raise EditorError("The page engine stopped while printing the PDF.")

    with pytest.raises(EditorError, match="stopped"):
        pdf.export(realistic_article(), tmp_path / "x.pdf", printer=printer)
    assert list(tmp_path.iterdir()) == []


def test_a_photo_that_cannot_be_read_stops_the_export(tmp_path: Path) -> None:
    article = realistic_article()
    article.assets[1].data = AssetData(tmp_path / "gone.png")

    def printer(job: PrintJob) -> bytes:
        raise AssertionError("must not print")

    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(EditorError, match=r"gone\.png"):
        pdf.export(article, out / "x.pdf", printer=printer)
    assert list(out.iterdir()) == []


def test_without_qt_webengine_the_error_is_one_sentence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "editor.ui.pdf_printer", None)
    with pytest.raises(EditorError, match=r"^PDF export needs Qt WebEngine"):
        pdf.export(realistic_article(), tmp_path / "x.pdf")
    assert list(tmp_path.iterdir()) == []


def test_importing_the_pdf_exporter_loads_no_qt() -> None:
    import subprocess

    code = ("import sys, editor.core.export.pdf, editor.core.export.pandoc; "
            "print(any(name.startswith('PySide6') for name in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[3])
    assert done.stdout.strip() == "False"
