"""Importing a Hugo page bundle: index.md (or _index.md), its front matter and the pictures beside it.

`resources` entries are authoritative for each picture's words (`title` is the caption, `params` hold
alt, credit, source_url and licence). Lines holding only a `figure` shortcode become image lines again,
`![alt](assets/name)`, with the alt text from the shortcode's `bodyalt` (written by our export when the
text had its own) or `alt`. Pictures keep their bytes, as when a TextBundle is opened, after a check
that they are JPEG, PNG, GIF or WebP pictures; anything that cannot be brought in gets a note.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

from editor.core.bundle_files import MAX_ASSET_SIZE
from editor.core.errors import EditorError
from editor.core.frontmatter import fenced_lines, metadata_from_front_matter, split_front_matter
from editor.core.images import image_size
from editor.core.importers import ImportResult
from editor.core.importers.markdown import (
    LocalPictures,
    asset_target,
    listed_pictures,
    local_target,
    own_file,
    read_text_file,
    resource_words,
    settle_featured_image,
)
from editor.core.model import Article, ImageAsset
from editor.core.references import image_markdown, image_references

INDEX_NAMES = ("index.md", "_index.md", "index.markdown", "index.html.md")
PICTURE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp"}

_FIGURE = re.compile(r"^\s*\{\{[<%]\s*figure\s+(?P<params>.*?)\s*[>%]\}\}\s*$")
_PARAM = re.compile(r'(?P<key>\w+)\s*=\s*(?:"(?P<quoted>(?:\\.|[^"\\])*)"|`(?P<raw>[^`]*)`|(?P<bare>[^\s"`]+))')
_TAG = re.compile(r"<[^>]*>")


def find_index(folder: Path) -> Path | None:
    """The content file of a page bundle folder, or None when it has none."""
    for name in INDEX_NAMES:
        if own_file(folder, folder / name):  # a link out of the folder would import another file unseen
            return folder / name
    return None


def shortcode_params(text: str) -> dict[str, str]:
    """Named parameters of a shortcode call, quotes and escaped quotes undone."""
    params = {}
    for match in _PARAM.finditer(text):
        if match.group("quoted") is not None:
            value = match.group("quoted").replace('\\"', '"')
        else:
            value = match.group("raw") if match.group("raw") is not None else match.group("bare")
        params[match.group("key").lower()] = value
    return params


def _plain(markdown_text: str) -> str:
    """Caption Markdown as the words it shows (character references and simple markup undone)."""
    return " ".join(html.unescape(_TAG.sub("", markdown_text)).split())


class _Pictures(LocalPictures):
    """The pictures of one bundle, each file read once and kept as it is (a page bundle's own files)."""

    def _load(self, file: Path, shown: str, words: dict[str, str]) -> ImageAsset | None:
        try:
            if file.stat().st_size > MAX_ASSET_SIZE:
                raise EditorError("it is too large")
            data = file.read_bytes()
            width, height = image_size(data)
        except (OSError, EditorError) as exc:
            reason = str(exc).rstrip(".") if isinstance(exc, EditorError) else exc.strerror or str(exc)
            self.notes.append(f"The picture “{shown}” was left out: {reason}.")
            return None
        taken = {asset.name.casefold() for asset in self.article.assets}
        stem, dot, ext = file.name.rpartition(".")
        name, number = file.name, 2
        while name.casefold() in taken:
            name, number = f"{stem}-{number}{dot}{ext}", number + 1
        asset = ImageAsset.from_bytes(name, data, width=width, height=height, **words)
        self.article.assets.append(asset)
        return asset


def _figures_back(body: str, pictures: _Pictures, words: dict[str, dict[str, str]]) -> str:
    lines = body.split("\n")
    code = fenced_lines(lines)
    for index, line in enumerate(lines):
        match = _FIGURE.match(line)
        if match is None or index in code:
            continue
        params = shortcode_params(match.group("params"))
        relative = local_target(params.get("src", ""))
        if relative is None:
            continue
        alt = params.get("bodyalt", params.get("alt", ""))
        fallback = {"alt": params.get("alt", ""), "caption": _plain(params.get("caption") or params.get("title", "")),
                    "credit": _plain(params.get("attr", ""))}
        found = words.get(os.path.normpath(relative)) or {k: v for k, v in fallback.items() if v}
        asset = pictures.get(relative, params["src"], found)
        if asset is not None:
            lines[index] = image_markdown(asset.name, alt)
    return "\n".join(lines)


def _references_back(body: str, pictures: _Pictures, words: dict[str, dict[str, str]]) -> str:
    code = fenced_lines(body.split("\n"))
    pieces, last = [], 0
    for ref in image_references(body):
        relative = local_target(ref.target)
        if relative is None or ref.line - 1 in code or (ref.is_asset and pictures.article.asset(ref.name) is not None):
            continue
        asset = pictures.get(relative, ref.target, words.get(os.path.normpath(relative), {}))
        if asset is None:
            continue
        pieces.append(body[last:ref.start])
        pieces.append(asset_target(body[ref.start:ref.end], asset.name))
        last = ref.end
    pieces.append(body[last:])
    return "".join(pieces)


_COMMENTED_SHORTCODE = re.compile(r"\{\{([<%])/\*(.*?)\*/([>%])\}\}", re.DOTALL)


def unescape_shortcodes(text: str) -> str:
    """Hugo's commented shortcodes `{{</* … */>}}` back to the text they show, `{{< … >}}`."""
    return _COMMENTED_SHORTCODE.sub(lambda m: "{{" + m.group(1) + m.group(2) + m.group(3) + "}}", text)


def import_page_bundle(folder: Path) -> ImportResult:
    """A Hugo page bundle folder as a new article; raise EditorError when it is not one."""
    folder = Path(folder)
    index = find_index(folder)
    if index is None:
        raise EditorError(f"“{folder.name}” is not a Hugo page bundle: it has no index.md.")
    text, notes = read_text_file(index)
    data, body, _kind = split_front_matter(text)
    article = Article(metadata=metadata_from_front_matter(data))
    pictures = _Pictures(folder, article, notes)
    words = resource_words(data)
    for relative in listed_pictures(words, notes):
        pictures.get(relative, relative, words[relative])
    body = _figures_back(body, pictures, words)
    article.body = unescape_shortcodes(_references_back(body, pictures, words))
    _unlisted_pictures(folder, pictures)
    settle_featured_image(article, pictures.originals, notes)
    return ImportResult(article=article, notes=notes)


def _unlisted_pictures(folder: Path, pictures: _Pictures) -> None:
    """Pictures lying in the bundle that neither the front matter nor the text mentions are page resources too."""
    try:
        names = sorted(entry.name for entry in os.scandir(folder) if entry.is_file(follow_symlinks=False))
    except OSError:
        return
    for name in names:
        if Path(name).suffix.lower() in PICTURE_SUFFIXES and not name.startswith("."):
            pictures.get(name, name, {})
