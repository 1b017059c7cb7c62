"""DOCX, ODT and EPUB export through pandoc, read back with pandoc itself."""

from __future__ import annotations

import builtins
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from editor.core.errors import EditorError
from editor.core.export import pandoc
from tests.core.export.printed_sample import (
    ALT,
    BODY_SENTENCE,
    CAPTION,
    CREDIT,
    SECOND_ALT,
    SECOND_CAPTION,
    SECOND_CREDIT,
    TITLE,
    realistic_article,
)

ODF_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
ODF_SVG = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"

pypandoc = pytest.importorskip("pypandoc", reason="pandoc export needs the 'pandoc' extra (pypandoc-binary)")


def read_back(path: Path) -> str:
    """The document as HTML, as pandoc reads it, with lines joined so wrapped sentences match."""
    return " ".join(pypandoc.convert_file(str(path), "html", extra_args=["--standalone", "--wrap=none"]).split())


@pytest.mark.parametrize("suffix", [".docx", ".epub"])
def test_document_keeps_title_text_captions_credits_and_alt_text(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"crane{suffix}"
    steps: list[tuple[int, int]] = []
    notes = pandoc.export(realistic_article(), out, progress=lambda done, total: steps.append((done, total)))
    assert notes == []
    page = read_back(out)
    assert f"<title>{TITLE}</title>" in page
    assert BODY_SENTENCE in page
    assert "Morag Lindsay" in page and "Ian Crew" in page
    for caption, credit, alt in ((CAPTION, CREDIT, ALT), (SECOND_CAPTION, SECOND_CREDIT, SECOND_ALT)):
        assert caption in page
        assert credit in page
        assert f'alt="{alt}"' in page
    assert "<em>steel</em>" in page and "<table" in page and "<blockquote" in page
    assert steps[0] == (0, 3) and steps[-1] == (3, 3)
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_docx_captions_are_figures_with_caption_then_credit(tmp_path: Path) -> None:
    out = tmp_path / "crane.docx"
    pandoc.export(realistic_article(), out)
    page = read_back(out)
    assert f"<figcaption><p>{CAPTION} — {CREDIT}</p></figcaption>" in page
    with zipfile.ZipFile(out) as archive:
        document = archive.read("word/document.xml").decode("utf-8")
    assert f'descr="{ALT}"' in document and f'descr="{SECOND_ALT}"' in document


def test_epub_carries_language_and_the_featured_image_as_cover(tmp_path: Path) -> None:
    out = tmp_path / "crane.epub"
    pandoc.export(realistic_article(), out)
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        package = next(archive.read(name).decode("utf-8") for name in names if name.endswith(".opf"))
    assert names[0] == "mimetype"
    assert "<dc:language>en-GB</dc:language>" in package
    assert 'properties="cover-image"' in package


def test_odt_is_an_open_document_with_text_captions_and_alt_text(tmp_path: Path) -> None:
    out = tmp_path / "crane.odt"
    assert pandoc.export(realistic_article(), out) == []
    with zipfile.ZipFile(out) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        content = archive.read("content.xml").decode("utf-8")
        pictures = [name for name in archive.namelist() if name.startswith("Pictures/")]
    assert len(pictures) == 2
    assert BODY_SENTENCE in " ".join(content.split())
    assert CAPTION in content and CREDIT in content
    assert f"<svg:title>{ALT}</svg:title>" in content and f"<svg:title>{SECOND_ALT}</svg:title>" in content
    frames = ElementTree.fromstring(content).iter(f"{{{ODF_DRAW}}}frame")
    assert [frame.findtext(f"{{{ODF_SVG}}}title") for frame in frames] == [ALT, SECOND_ALT]
    assert TITLE in read_back(out)


def test_hostile_words_stay_literal_text(tmp_path: Path) -> None:
    article = realistic_article()
    article.metadata.title = "*Not* <b>bold</b> & true: --- $x$"
    article.assets[0].alt = 'He said "<script>alert(1)</script>" & left'
    article.assets[0].caption = "Caption with <i>tags</i> & *stars*"
    out = tmp_path / "odd.docx"
    pandoc.export(article, out)
    page = read_back(out)
    assert "<title>*Not* &lt;b&gt;bold&lt;/b&gt; &amp; true: --- $x$</title>" in page
    assert "<script>" not in page
    assert "Caption with &lt;i&gt;tags&lt;/i&gt; &amp; *stars*" in page
    odt = tmp_path / "odd.odt"
    pandoc.export(article, odt)
    with zipfile.ZipFile(odt) as archive:
        content = archive.read("content.xml").decode("utf-8")
    assert "<svg:title>He said \"&lt;script&gt;alert(1)&lt;/script&gt;\" &amp; left</svg:title>" in content


@pytest.mark.parametrize("title", ["true", "No", "null", "1.5"])
def test_titles_that_look_like_values_stay_text(tmp_path: Path, title: str) -> None:
    article = realistic_article()
    article.metadata.title = title
    out = tmp_path / "odd.epub"
    pandoc.export(article, out)
    assert f"<title>{title}</title>" in read_back(out)


def test_article_without_title_or_images_still_exports(tmp_path: Path) -> None:
    article = realistic_article()
    article.metadata.title = ""
    article.metadata.featured_image = ""
    article.body = "Just one line of text.\n"
    out = tmp_path / "plain.epub"
    pandoc.export(article, out)
    assert "Just one line of text." in read_back(out)


def test_format_may_be_given_whatever_the_suffix(tmp_path: Path) -> None:
    out = tmp_path / "crane.bin"
    pandoc.export_docx(realistic_article(), out)
    with zipfile.ZipFile(out) as archive:
        assert "word/document.xml" in archive.namelist()


@pytest.mark.parametrize("name", ["crane.pdf", "crane", "crane.doc"])
def test_unknown_suffix_is_refused_with_the_formats_listed(tmp_path: Path, name: str) -> None:
    with pytest.raises(EditorError, match=r"\.docx, \.odt or \.epub"):
        pandoc.export(realistic_article(), tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def failing_program(folder: Path) -> Path:
    """A stand-in for pandoc that complains and fails, as pandoc does on input it cannot handle."""
    program = folder / "fake-pandoc"
    program.write_text("#!/bin/sh\necho 'pandoc: something went wrong' >&2\necho 'Could not convert image' >&2\n"
                       "exit 83\n")
    program.chmod(0o755)
    return program


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in program is a shell script")
def test_existing_file_is_kept_and_the_reason_given_when_pandoc_fails(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    monkeypatch.setattr(pandoc, "pandoc_path", lambda: str(failing_program(bin_folder)))
    out_folder = tmp_path / "out"
    out_folder.mkdir()
    out = out_folder / "crane.docx"
    out.write_bytes(b"the old document")
    with pytest.raises(EditorError) as caught:
        pandoc.export(realistic_article(), out)
    assert str(caught.value) == "pandoc could not write the DOCX file: Could not convert image."
    assert out.read_bytes() == b"the old document"
    assert [p.name for p in out_folder.iterdir()] == ["crane.docx"]


def test_a_pandoc_that_cannot_start_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pandoc, "pandoc_path", lambda: str(tmp_path / "no-such-pandoc"))
    with pytest.raises(EditorError, match=r"^pandoc could not be started"):
        pandoc.export(realistic_article(), tmp_path / "crane.epub")
    assert [p.name for p in tmp_path.iterdir()] == []


def test_without_pypandoc_the_error_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pypandoc(name: str, *args, **kwargs):
        if name == "pypandoc" or name.startswith("pypandoc."):
            raise ImportError("No module named 'pypandoc'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "pypandoc", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_pypandoc)
    with pytest.raises(EditorError) as caught:
        pandoc.export(realistic_article(), tmp_path / "crane.docx")
    assert str(caught.value) == ("DOCX, ODT and EPUB export needs pandoc; "
                                 "install it with: pip install 'article-editor[pandoc]'")
    assert list(tmp_path.iterdir()) == []
