"""Importing a Markdown file with YAML, TOML or JSON front matter (Hugo, Jekyll and others) and its local pictures.

Front matter keys are mapped back to the metadata form by editor.core.frontmatter. Pictures referenced by
a relative path (`images/x.jpg`, `../img/x.png`) go through the image pipeline (editor.core.images), so
they are checked, cleaned of GPS and camera data and re-encoded: their bytes may differ from the files,
while the words that go with them (alt text from the reference or from a `resources` entry, caption,
credit, source and licence) come back as written. Pictures listed in `resources` are brought in even when
the text does not show them. References are rewritten to assets/<name>. Web
images, absolute paths and paths that reach through a symbolic link out of the file's folder are not
brought in; each picture left out gets a note.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from editor.core.bundle_files import MAX_TEXT_SIZE
from editor.core.errors import EditorError
from editor.core.frontmatter import (
    FrontMatterError,
    fenced_lines,
    metadata_from_front_matter,
    split_front_matter,
)
from editor.core.images import add_image
from editor.core.importers import ImportResult
from editor.core.model import Article, ImageAsset
from editor.core.references import image_references

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")  # a web address or a Windows drive, not a relative path
WORD_FIELDS = ("alt", "credit", "source_url", "licence")


def read_text_file(path: Path, *, tolerate_nul: bool = False) -> tuple[str, list[str]]:
    """The text of a Markdown file and notes about its encoding; raise EditorError if it cannot be read.

    A NUL byte means a binary file and is refused, unless `tolerate_nul`: then each becomes U+FFFD, as
    when a bundle's text is opened, so a text with one stray NUL still opens.
    """
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise EditorError(f"“{path.name}” is not a file.")
        if info.st_size > MAX_TEXT_SIZE:
            raise EditorError(f"“{path.name}” is too large to import ({info.st_size} bytes).")
        raw = path.read_bytes()
    except OSError as exc:
        raise EditorError(f"“{path.name}” could not be read ({exc.strerror or exc}).") from None
    if b"\0" in raw and not tolerate_nul:
        raise EditorError(f"“{path.name}” is not a text file.")
    try:
        text, notes = raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        notes = ["The text is not in UTF-8; it was read as Windows-1252, so check accented letters."]
        text = raw.decode("cp1252", errors="replace")
    return text.replace("\0", "\ufffd"), notes


def local_target(target: str) -> str | None:
    """The relative file path a reference points at, or None for web links, absolute paths and anchors."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path or target.startswith(("/", "\\", "#")):
        return None
    return unquote(parts.path)


def target_span(reference: str) -> tuple[int, int]:
    """Start and end of the destination inside an image reference `![alt](dest "title")`, without <>."""
    head = reference.index("](") + 2
    while head < len(reference) and reference[head].isspace():
        head += 1
    if reference.startswith("<", head):
        return head + 1, reference.index(">", head)
    end = head
    while end < len(reference) and not reference[end].isspace() and reference[end] != ")":
        end += 1
    return head, end


def asset_target(reference: str, name: str) -> str:
    """The reference pointed at assets/<name>, keeping the way it wrote the name when it was the same."""
    start, end = target_span(reference)
    written = reference[start:end]
    tail = written.replace("\\", "/").rsplit("/", 1)[-1]
    if unquote(tail) != name:
        tail = name.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
        if reference[start - 1: start] == "<":
            tail = name
    return reference[:start] + "assets/" + tail + reference[end:]


def resolve_local(root: Path, relative: str) -> tuple[Path | None, str]:
    """The file a relative path names, or (None, why not); symbolic links may not lead out of `root`."""
    base = Path(os.path.realpath(root))
    lexical = Path(os.path.normpath(base / relative))
    real = Path(os.path.realpath(lexical))
    if real != lexical and not real.is_relative_to(base):
        return None, "it leads through a link out of the folder"
    try:
        info = os.stat(real)
    except OSError:
        return None, "it could not be found"
    if not stat.S_ISREG(info.st_mode):
        return None, "it is not a file"
    return real, ""


def own_file(folder: Path, path: Path) -> bool:
    """Whether `path` is a regular file that really lies inside `folder` (a link out of it does not count)."""
    real = Path(os.path.realpath(path))
    return real.is_relative_to(os.path.realpath(folder)) and real.is_file()


def unescape_alt(alt: str) -> str:
    """Alt text as written in Markdown, with its backslash escapes removed."""
    return _ESCAPED.sub(r"\1", alt)


def resource_words(data: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """Words per picture from front matter `resources`: normalised relative path -> asset fields."""
    found: dict[str, dict[str, str]] = {}
    resources = data.get("resources")
    if not isinstance(resources, list):
        return found
    for entry in resources:
        if not isinstance(entry, dict) or not isinstance(entry.get("src"), str):
            continue
        words = {"caption": str(entry["title"])} if isinstance(entry.get("title"), str | int | float) else {}
        params = entry.get("params") if isinstance(entry.get("params"), dict) else {}
        for key in WORD_FIELDS:
            if isinstance(params.get(key), str | int | float):
                words[key] = str(params[key])
        found[os.path.normpath(entry["src"])] = words
    return found


def settle_featured_image(article: Article, originals: Mapping[str, str], notes: list[str]) -> None:
    """Point the featured image at the asset made from the file it named (by file name), or drop it with a note."""
    wanted = article.metadata.featured_image
    if wanted in originals:
        article.metadata.featured_image = originals[wanted]
    if not wanted or wanted in originals or article.asset(wanted) is not None:
        return
    notes.append(f"The featured image “{wanted}” is not among the pictures brought in, so none is set.")
    article.metadata.featured_image = ""


class LocalPictures:
    """The pictures a source file names beside it, each file brought in once through the image pipeline.

    Importers that bring pictures in another way (a Hugo bundle keeps their bytes) override `_load`.
    """

    def __init__(self, folder: Path, article: Article, notes: list[str]) -> None:
        self.folder = folder
        self.article = article
        self.notes = notes
        self.by_file: dict[Path, ImageAsset | None] = {}
        self.originals: dict[str, str] = {}

    def get(self, relative: str, shown: str, fields: Mapping[str, str]) -> ImageAsset | None:
        """The asset for a relative path, imported the first time; None (with a note) when it cannot be."""
        file, why = resolve_local(self.folder, relative)
        if file is None:
            self.notes.append(f"The picture “{shown}” was left out because {why}.")
            return None
        if file not in self.by_file:
            self.by_file[file] = self._load(file, shown, fields)
            if self.by_file[file] is not None:
                self.originals.setdefault(Path(relative).name, self.by_file[file].name)
        return self.by_file[file]

    def _load(self, file: Path, shown: str, fields: Mapping[str, str]) -> ImageAsset | None:
        try:
            asset, added = add_image(self.article, file, file.name, **fields)
        except EditorError as exc:
            self.notes.append(f"The picture “{shown}” was left out: {str(exc).rstrip('.')}.")
            return None
        if not added and any(getattr(asset, key) != value for key, value in fields.items()):
            # Two files with the same picture become one asset; the second one's words would vanish unseen.
            self.notes.append(f"The picture “{shown}” is the same picture as “{asset.name}”, so it was brought in "
                              f"once, with the words of “{asset.name}”.")
        return asset


def listed_pictures(words: Mapping[str, Mapping[str, str]], notes: list[str]) -> list[str]:
    """The picture paths front matter `resources` name one by one (Hugo's wildcard patterns left aside).

    A listed picture the text does not show would come in unseen, so only paths inside the file's own
    folder count; one that points elsewhere (absolute, `..`, a web address) is left out with a note.
    """
    inside = []
    for relative in words:
        if "*" in relative or "?" in relative:
            continue
        norm = os.path.normpath(relative.replace("\\", "/"))
        if _SCHEME.match(relative) or relative.startswith(("/", "\\")) or os.path.isabs(norm) or \
                norm.split(os.sep)[0] == os.pardir:
            notes.append(f"The picture “{relative}” listed in the front matter was left out because it is "
                         "not inside the file's folder.")
            continue
        inside.append(relative)
    return inside


def import_markdown_file(path: Path, *, tolerate_nul: bool = False, lenient: bool = False) -> ImportResult:
    """A .md file with front matter and its local pictures as a new article; raise EditorError on bad input.

    Every picture listed in `resources` is brought in, also one the text does not show (an export keeps
    unused pictures there), so that it round-trips with its words; those that cannot be get a note.
    `tolerate_nul` is for opening a file the user calls Markdown (see read_text_file); so is `lenient`, with
    which front matter that cannot be read stays in the text, with a note, instead of refusing the file.
    """
    path = Path(path)
    text, notes = read_text_file(path, tolerate_nul=tolerate_nul)
    try:
        data, body, _kind = split_front_matter(text)
    except FrontMatterError as exc:
        if not lenient:
            raise
        notes.append(f"{str(exc).rstrip('.')}, so it was left in the text; correct it there.")
        data, body = {}, text
    article = Article(metadata=metadata_from_front_matter(data))
    words = resource_words(data)
    pictures = LocalPictures(path.parent, article, notes)
    for relative in listed_pictures(words, notes):
        pictures.get(relative, relative, words[relative])
    code = fenced_lines(body.split("\n"))
    pieces, last = [], 0
    for ref in image_references(body):
        relative = local_target(ref.target)
        if ref.line - 1 in code:
            continue
        if relative is None:
            if ref.target and not ref.target.startswith("#"):
                notes.append(f"The picture “{ref.target}” is not a local file, so it was left as a link.")
            continue
        fields = words.get(os.path.normpath(relative)) or {"alt": unescape_alt(ref.alt)}
        asset = pictures.get(relative, ref.target, fields)
        if asset is None:
            continue
        pieces.append(body[last:ref.start])
        pieces.append(asset_target(body[ref.start:ref.end], asset.name))
        last = ref.end
    pieces.append(body[last:])
    article.body = "".join(pieces)
    settle_featured_image(article, pictures.originals, notes)
    return ImportResult(article=article, notes=list(dict.fromkeys(notes)))
