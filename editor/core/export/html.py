"""HTML export: the article as the preview shows it, as one self-contained page or a page with its images.

OUT ending in .html or .htm gives one file with every image inside it as a data: URI, to mail or archive.
Any other OUT is a folder (a zip when OUT ends in .zip) holding index.html and images/<name>, to put on a
web server. Both use the preview's stylesheet and the same content security policy: the page loads
nothing from anywhere else.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from editor.core.atomic import atomic_write_bytes, atomic_write_text
from editor.core.errors import EditorError
from editor.core.export.common import Progress, asset_bytes, build_folder_or_zip, data_uri, report
from editor.core.model import Article, ImageAsset
from editor.core.references import image_references
from editor.core.render import load_stylesheet, render_document
from editor.core.safezip import check_entry_name

SINGLE_FILE_SUFFIXES = (".html", ".htm")
IMAGES_FOLDER = "images"

# Rendered pages refer to images as assets/<name>; the single-file export swaps them for the bytes.
_ASSETS_PREFIX = "assets/"


def embed_images(page: str, article: Article) -> str:
    """Replace each quoted assets/<name> URL in a rendered page by the image itself, as a data: URI."""
    for asset in article.assets:
        url = _ASSETS_PREFIX + quote(asset.name)
        for quote_char in ('"', "'"):
            needle = f"{quote_char}{url}{quote_char}"
            if needle in page:
                page = page.replace(needle, f"{quote_char}{data_uri(asset)}{quote_char}")
    return page


def is_single_file(out: Path) -> bool:
    """Whether OUT names one .html file rather than a folder or zip."""
    return Path(out).suffix.lower() in SINGLE_FILE_SUFFIXES


def used_assets(article: Article) -> list[ImageAsset]:
    """The article's images that the text shows, in the article's order."""
    used = article.used_asset_names()
    return [asset for asset in article.assets if asset.name in used]


def export_notes(article: Article) -> list[str]:
    """Sentences about what the page will lack: images the text names that the article does not hold."""
    names = {asset.name for asset in article.assets}
    missing = sorted({ref.name for ref in image_references(article.body) if ref.is_asset and ref.name not in names})
    return [f"The text shows “{name}”, which is not among the article’s images, so the page shows a gap there."
            for name in missing]


def _checked_name(asset: ImageAsset) -> str:
    name = asset.name
    if check_entry_name(name) or "/" in name or "\\" in name or name.startswith(".") or os.path.basename(name) != name:
        raise EditorError(f"The image name “{name}” cannot be used as a file name; rename the image.")
    return name


def page_html(article: Article, asset_url: Callable[[str], str]) -> str:
    """The article as a styled HTML5 page whose images point at asset_url(name)."""
    return render_document(article, asset_url=asset_url, stylesheet=load_stylesheet())


def single_page(article: Article, progress: Progress | None = None) -> str:
    """The article as one self-contained HTML5 page, its images inside it as data: URIs."""
    assets = {asset.name: asset for asset in used_assets(article)}
    total = len(assets) + 1
    uris: dict[str, str] = {}
    for done, asset in enumerate(assets.values()):
        report(progress, done, total)
        uris[asset.name] = data_uri(asset)
    return page_html(article, lambda name: uris.get(name, _ASSETS_PREFIX + quote(name)))


def _fill_folder(article: Article, folder: Path, progress: Progress | None) -> None:
    assets = used_assets(article)
    names = [_checked_name(asset) for asset in assets]
    total = len(assets) + 1
    if assets:
        os.mkdir(folder / IMAGES_FOLDER)
    for done, (asset, name) in enumerate(zip(assets, names, strict=True)):
        report(progress, done, total)
        atomic_write_bytes(folder / IMAGES_FOLDER / name, asset_bytes(asset))
    page = page_html(article, lambda name: f"{IMAGES_FOLDER}/{quote(name)}")
    atomic_write_text(folder / "index.html", page)


def export(article: Article, out: Path, *, progress: Progress | None = None, clean: bool = False) -> list[str]:
    """Write the article as HTML at OUT (one file for .html/.htm, else index.html + images/); returns notes."""
    del clean  # review data never reaches the page
    out = Path(out)
    notes = export_notes(article)
    if is_single_file(out):
        atomic_write_text(out, single_page(article, progress))
    else:
        build_folder_or_zip(out, lambda folder: _fill_folder(article, folder, progress))
    report(progress, 1, 1)
    return notes
