"""Markdown export: a folder (or .zip) holding <slug>.md with YAML front matter and an images/ folder.

When OUT itself ends in .md (or .markdown), the Markdown file is written at OUT and its pictures go in the
folder <stem>_files beside it (OUT "post.md" -> "post_files/"), the way browsers save a page; that folder
is the one thing written next to OUT, is refused like OUT when it exists without force, and is not made
when the article has no pictures.

The front matter is the Hugo export's (editor.core.frontmatter), with paths that point into the picture
folder: `images` (the featured image) and `resources`, one entry per picture, also those the text does
not show: `src` (<folder>/<name>), `title` (the caption) and `params` with `alt`, `credit`, `source_url`
and `licence`. The body keeps plain Markdown image references, pointed at <folder>/<name>, so the file
reads in any Markdown app; the Markdown importer reads all of it back.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

from editor.core.atomic import atomic_write_bytes
from editor.core.export.hugo import Progress, retarget_body, safe_file_name, write_output
from editor.core.frontmatter import metadata_to_hugo, yaml_front_matter
from editor.core.model import Article

IMAGES_FOLDER = "images"


def markdown_name(article: Article) -> str:
    """The file name of the exported text: <slug>.md, or article.md when there is no title to make a slug."""
    return f"{article.metadata.effective_slug or 'article'}.md"


FILE_SUFFIXES = (".md", ".markdown")


def is_file_output(out: Path) -> bool:
    """Whether OUT names the Markdown file itself (….md) rather than a folder or zip to hold it."""
    return Path(out).suffix.lower() in FILE_SUFFIXES


# Characters that links and Hugo's resource patterns read as something else (fragment, query, escape, glob).
_LINK_SPECIAL = re.compile(r"[#?%*\[\]\\]")


def pictures_folder(out: Path) -> str:
    """The name of the folder beside a .md OUT that holds its pictures: <stem>_files, without link specials."""
    return f"{_LINK_SPECIAL.sub('-', Path(out).stem)}_files"


def companion_names(out: Path) -> list[str]:
    """Names written beside OUT besides OUT itself: the pictures folder when OUT is a .md file."""
    return [pictures_folder(out)] if is_file_output(out) else []


def markdown_files(article: Article, folder: str = IMAGES_FOLDER) -> tuple[dict[str, bytes], list[str]]:
    """The exported files by relative path, the text under its usual name, and notes about what was left out."""
    text, files, notes = markdown_parts(article, folder)
    return {markdown_name(article): text, **files}, notes


def markdown_parts(article: Article, folder: str) -> tuple[bytes, dict[str, bytes], list[str]]:
    """The text, the pictures by relative path (under `folder`) and notes about what was left out."""
    notes: list[str] = []
    files: dict[str, bytes] = {}
    assets = []
    for asset in article.assets:
        path = f"{folder}/{asset.name}"
        if not safe_file_name(asset.name) or path.lower() in {n.lower() for n in files}:
            notes.append(f"The image “{asset.name}” has a name that cannot be written as a file, so it was left out.")
            continue
        files[path] = asset.data.read_bytes()
        assets.append(asset)
    data = metadata_to_hugo(article.metadata, assets)
    for entry in data.get("resources", []):
        entry["src"] = f"{folder}/{entry['src']}"
    if "images" in data:
        data["images"] = [f"{folder}/{name}" for name in data["images"]]
    # The folder is written into link destinations, where a space or a bracket would end the link.
    text = yaml_front_matter(data, retarget_body(article, quote(folder) + "/"))
    return text.encode("utf-8"), files, notes


def export(article: Article, out: Path, *, progress: Progress = None, clean: bool = False) -> list[str]:
    """Write <slug>.md and images/ into the folder (or zip) `out`, or the .md file `out` and <stem>_files/ beside it."""
    out = Path(out)
    if not is_file_output(out):
        files, notes = markdown_files(article)
        write_output(out, files, progress)
        return notes
    text, files, notes = markdown_parts(article, pictures_folder(out))
    # `out` lies in the export's own hidden working folder, which puts the pictures folder beside OUT at the end.
    for done, (name, data) in enumerate(files.items(), 1):
        target = out.parent / name
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, data)
        if progress is not None:
            progress(done, len(files))
    atomic_write_bytes(out, text)
    return notes
