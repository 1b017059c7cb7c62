"""Opening a plain Markdown file with the pictures beside it as a new, unsaved article."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from editor.core.bundle_files import MAX_ASSET_SIZE, MAX_TEXT_SIZE
from editor.core.bundle_read import OpenedBundle, image_header_size
from editor.core.errors import BundleError
from editor.core.model import Article, AssetData, ImageAsset
from editor.core.references import image_references

_ESCAPED = re.compile(r"\\(.)")


def _local_target(target: str) -> str | None:
    """The relative file path a reference points at, or None for web links, absolute paths and anchors."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/") or target.startswith("#"):
        return None
    return unquote(parts.path)


def _unique_name(name: str, taken: set[str]) -> str:
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    candidate, number = name, 2
    while candidate.casefold() in taken:
        candidate = f"{stem}-{number}{dot}{ext}"
        number += 1
    taken.add(candidate.casefold())
    return candidate


def _replace_target(reference: str, new_target: str) -> str:
    """The image reference with its destination swapped, keeping alt text and title as written."""
    head = reference.index("](") + 2
    rest = reference[head:]
    lead = len(rest) - len(rest.lstrip())
    rest = rest[lead:]
    end = rest.index(">") + 1 if rest.startswith("<") else next(
        (i for i, c in enumerate(rest) if c.isspace() or c == ")"), len(rest)
    )
    return reference[: head + lead] + new_target + rest[end:]


def _picture(file: Path) -> tuple[str, int, int] | None:
    """SHA-256 and size of a picture file, or None when it is not a readable JPEG/PNG/GIF/WebP."""
    try:
        info = os.stat(file)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ASSET_SIZE:
            return None
        with open(file, "rb") as handle:
            width, height = image_header_size(handle)
            if not width:
                return None
            handle.seek(0)
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None
    return digest, width, height


def open_markdown_file(path: Path) -> OpenedBundle:
    """A .md file and its local pictures (relative paths) as an unsaved article; raise BundleError if unreadable."""
    path = Path(path)
    try:
        info = os.stat(path)
        if info.st_size > MAX_TEXT_SIZE:
            raise BundleError(f"“{path.name}” is too large to open ({info.st_size} bytes).")
        raw = path.read_bytes()
    except OSError as exc:
        raise BundleError(f"“{path.name}” could not be read ({exc.strerror or exc}).") from None
    notes: list[str] = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        notes.append("The text is not in UTF-8; it was read as Windows-1252, so check accented letters.")
        text = raw.decode("cp1252", errors="replace")
    assets: list[ImageAsset] = []
    by_file: dict[Path, str] = {}
    taken: set[str] = set()
    pieces = []
    last = 0
    for ref in image_references(text):
        relative = _local_target(ref.target)
        if relative is None:
            continue
        # Only real pictures are taken in, so a hostile text cannot pull other local files into the bundle.
        file = Path(os.path.normpath(path.parent / relative))
        if file not in by_file:
            found = _picture(file)
            if found is None:
                notes.append(f"The picture “{ref.target}” could not be found or read, so it was left out.")
                continue
            name = _unique_name(file.name.replace("/", "_") or "image", taken)
            by_file[file] = name
            digest, width, height = found
            assets.append(
                ImageAsset(
                    name=name, data=AssetData(file), sha256=digest, alt=_ESCAPED.sub(r"\1", ref.alt),
                    width=width, height=height,
                )
            )
        pieces.append(text[last:ref.start])
        pieces.append(_replace_target(text[ref.start:ref.end], "assets/" + quote(by_file[file], safe="")))
        last = ref.end
    pieces.append(text[last:])
    article = Article(body="".join(pieces), assets=assets)
    return OpenedBundle(article=article, path=path, kind="markdown", fingerprint=_file_fingerprint(raw), warnings=notes)


def _file_fingerprint(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()
