"""DOCX, ODT and EPUB export through pandoc, with every figure's caption, credit and alt text kept."""

from __future__ import annotations

import html
import re
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote
from xml.sax.saxutils import escape

from editor.core.atomic import atomic_open
from editor.core.errors import EditorError
from editor.core.model import Article
from editor.core.render import apply_asset_urls, render_body
from editor.core.sanitize import IMG_TAG

FORMATS = ("docx", "odt", "epub")
MISSING_PANDOC = "DOCX, ODT and EPUB export needs pandoc; install it with: pip install 'article-editor[pandoc]'"
# A long book converts in seconds; a minute means pandoc is stuck, and the user should hear so.
TIMEOUT = 120.0

_LANGUAGE = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
# The credit follows the caption in the same line of text; a dash keeps the two apart once styling is gone.
_CREDIT_AFTER_CAPTION = re.compile(r'([^>\s])\s*(<span class="credit">)')
_IMAGE_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,5}$")
_ALT_ATTRIBUTE = re.compile(r'\salt="([^"]*)"')
_FRAME_END = "</draw:frame>"

Progress = Callable[[int, int], None]


def pandoc_path() -> str:
    """Where the pandoc program is; raise EditorError saying how to get it when it is absent."""
    try:
        import pypandoc
    except ImportError:
        raise EditorError(MISSING_PANDOC) from None
    try:
        return pypandoc.get_pandoc_path()
    except OSError:
        raise EditorError(MISSING_PANDOC) from None


def format_for(out: Path) -> str:
    """The pandoc output format named by OUT's suffix; raise EditorError for any other suffix."""
    fmt = Path(out).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise EditorError(f"“{Path(out).name}” should end in .docx, .odt or .epub to say which document to write.")
    return fmt


def pandoc_html(article: Article, image_names: dict[str, str]) -> str:
    """The article as the HTML pandoc reads: metadata in the head, figures with alt text and caption plus credit."""
    fragment = apply_asset_urls(render_body(article), lambda name: image_names.get(name, "missing-image"))
    fragment = _CREDIT_AFTER_CAPTION.sub(r"\1 — \2", fragment)
    language = article.metadata.language.strip()
    lang = f' lang="{language}"' if _LANGUAGE.match(language) else ""
    return (f'<!DOCTYPE html>\n<html{lang}>\n<head>\n<meta charset="utf-8">\n{_head(article)}</head>\n'
            f"<body>\n{fragment}\n</body>\n</html>\n")


def _head(article: Article) -> str:
    """Metadata as <title> and <meta>: pandoc takes these as plain text, where -M would read "true" as a flag."""
    meta = article.metadata
    pairs = [("author", name.strip()) for name in meta.authors if name.strip()]
    pairs += [("subtitle", meta.subtitle.strip()), ("date", meta.date.strip()),
              ("description", meta.summary.strip()), ("subject", meta.section.strip()),
              ("keywords", ", ".join(tag.strip() for tag in meta.tags if tag.strip()))]
    lines = [f"<title>{html.escape(meta.title.strip() or 'Untitled article')}</title>"]
    lines += [f'<meta name="{key}" content="{html.escape(value)}">' for key, value in pairs if value]
    return "".join(line + "\n" for line in lines)


def _write_images(article: Article, folder: Path) -> dict[str, str]:
    """Copy the used images into `folder` under plain names pandoc can open; name → file name."""
    used = article.used_asset_names()
    names: dict[str, str] = {}
    for index, asset in enumerate(article.assets):
        if asset.name not in used:
            continue
        suffix = _IMAGE_SUFFIX.search(unquote(asset.name))
        file_name = f"image-{index + 1}{suffix.group(0).lower() if suffix else ''}"
        (folder / file_name).write_bytes(asset.data.read_bytes())
        names[asset.name] = file_name
    return names


def _cover_args(article: Article, images: dict[str, str]) -> list[str]:
    featured = article.metadata.featured_image
    return [f"--epub-cover-image={images[featured]}"] if featured in images else []


def _run_pandoc(command: list[str], folder: Path, fmt: str) -> None:
    try:
        done = subprocess.run(command, cwd=folder, capture_output=True, timeout=TIMEOUT, check=False,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise EditorError(f"pandoc took longer than {int(TIMEOUT)} seconds to write the {fmt.upper()} "
                          "file and was stopped.") from None
    except OSError as exc:
        raise EditorError(f"pandoc could not be started ({exc.strerror or exc}).") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = f": {reason[-1].strip()[:300]}" if reason else ""
        raise EditorError(f"pandoc could not write the {fmt.upper()} file{detail}.")


def export(article: Article, out: Path, *, progress: Progress | None = None, clean: bool = False,
           fmt: str | None = None) -> list[str]:
    """Write the article as a DOCX, ODT or EPUB document at OUT (format from `fmt` or OUT's suffix); notes."""
    del clean  # review data never reaches these documents
    out = Path(out)
    fmt = fmt or format_for(out)
    if fmt not in FORMATS:
        raise EditorError(f"“{fmt}” is not a document format pandoc export writes; use docx, odt or epub.")
    program = pandoc_path()
    report = progress or (lambda _done, _total: None)
    report(0, 3)
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="article-pandoc-") as temp:
        folder = Path(temp)
        try:
            images = _write_images(article, folder)
        except OSError as exc:
            raise EditorError(f"The images could not be prepared for pandoc ({exc.strerror or exc}).") from None
        page = pandoc_html(article, images)
        (folder / "article.html").write_text(page, encoding="utf-8")
        report(1, 3)
        command = [program, "--from=html", f"--to={fmt}", "--standalone", "--resource-path=.",
                   "--output=result." + fmt]
        if fmt == "epub":
            command += _cover_args(article, images)
        command.append("article.html")
        _run_pandoc(command, folder, fmt)
        report(2, 3)
        result = folder / f"result.{fmt}"
        if fmt == "odt":
            notes += _write_odt_with_alt_text(result, out, image_alts(page))
        else:
            with result.open("rb") as source, atomic_open(out, "wb") as target:
                while chunk := source.read(1 << 20):
                    target.write(chunk)
    report(3, 3)
    return notes


def image_alts(page: str) -> list[str]:
    """The alt text of every image in the page, in order."""
    alts = []
    for tag in IMG_TAG.finditer(page):
        found = _ALT_ATTRIBUTE.search(tag.group(1))
        alts.append(html.unescape(found.group(1)) if found else "")
    return alts


def _write_odt_with_alt_text(result: Path, out: Path, alts: list[str]) -> list[str]:
    """Copy pandoc's ODT to OUT, adding the alt text its ODT writer leaves out as each frame's svg:title."""
    with zipfile.ZipFile(result) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    notes: list[str] = []
    for index, (info, data) in enumerate(entries):
        if info.filename != "content.xml":
            continue
        content = data.decode("utf-8")
        pieces = content.split(_FRAME_END)
        if len(pieces) - 1 != len(alts):
            notes.append("The alt text of the images could not be placed in the ODT file; captions are kept.")
            break
        titled = [piece + (f"<svg:title>{escape(alt)}</svg:title>" if alt.strip() else "") + _FRAME_END
                  for piece, alt in zip(pieces, alts, strict=False)]
        entries[index] = (info, ("".join(titled) + pieces[-1]).encode("utf-8"))
    # The entries keep their order and compression, so "mimetype" stays first and stored as ODF requires.
    with atomic_open(out, "wb") as target, zipfile.ZipFile(target, "w") as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return notes


def export_docx(article: Article, out: Path, *, progress: Progress | None = None, clean: bool = False) -> list[str]:
    """Write the article as a Word document."""
    return export(article, out, progress=progress, clean=clean, fmt="docx")


def export_odt(article: Article, out: Path, *, progress: Progress | None = None, clean: bool = False) -> list[str]:
    """Write the article as an OpenDocument text document."""
    return export(article, out, progress=progress, clean=clean, fmt="odt")


def export_epub(article: Article, out: Path, *, progress: Progress | None = None, clean: bool = False) -> list[str]:
    """Write the article as an EPUB e-book."""
    return export(article, out, progress=progress, clean=clean, fmt="epub")
