"""Markdown export: a folder (or .zip) holding <slug>.md with YAML front matter and an images/ folder.

The front matter is the Hugo export's (editor.core.frontmatter), with paths that point into images/:
`images` (the featured image) and `resources`, one entry per picture: `src` (images/<name>), `title`
(the caption) and `params` with `alt`, `credit`, `source_url` and `licence`. The body keeps plain
Markdown image references, pointed at images/<name>, so the file reads in any Markdown app.
"""

from __future__ import annotations

from pathlib import Path

from editor.core.export.hugo import Progress, retarget_body, safe_file_name, write_output
from editor.core.frontmatter import metadata_to_hugo, yaml_front_matter
from editor.core.model import Article

IMAGES_FOLDER = "images"


def markdown_name(article: Article) -> str:
    """The file name of the exported text: <slug>.md, or article.md when there is no title to make a slug."""
    return f"{article.metadata.effective_slug or 'article'}.md"


def markdown_files(article: Article) -> tuple[dict[str, bytes], list[str]]:
    """The exported files by relative path, and notes about what was left out."""
    notes: list[str] = []
    files: dict[str, bytes] = {}
    assets = []
    for asset in article.assets:
        path = f"{IMAGES_FOLDER}/{asset.name}"
        if not safe_file_name(asset.name) or path.lower() in {n.lower() for n in files}:
            notes.append(f"The image “{asset.name}” has a name that cannot be written as a file, so it was left out.")
            continue
        files[path] = asset.data.read_bytes()
        assets.append(asset)
    data = metadata_to_hugo(article.metadata, assets)
    for entry in data.get("resources", []):
        entry["src"] = f"{IMAGES_FOLDER}/{entry['src']}"
    if "images" in data:
        data["images"] = [f"{IMAGES_FOLDER}/{name}" for name in data["images"]]
    text = yaml_front_matter(data, retarget_body(article, f"{IMAGES_FOLDER}/"))
    return {markdown_name(article): text.encode("utf-8"), **files}, notes


def export(article: Article, out: Path, *, progress: Progress = None, clean: bool = False) -> list[str]:
    """Write <slug>.md and its images/ into the folder `out` (or the zip `out`); return notes for the user."""
    files, notes = markdown_files(article)
    write_output(Path(out), files, progress)
    return notes
