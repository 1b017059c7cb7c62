"""Opening a TextBundle folder or a TextPack zip, tolerant of what other apps write and strict about safety."""

from __future__ import annotations

import hashlib
import os
import stat
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from PIL import Image

from editor import APP_ID
from editor.core.bundle_files import (
    MAX_ASSET_SIZE,
    MAX_TEXT_SIZE,
    bundle_fingerprint,
    bundle_kind,
    recover_interrupted_save,
)
from editor.core.bundle_hashes import FileAssetData, RecordedZipData, Stamp, stamp_of, trust_on_open
from editor.core.bundle_text import CaptionSource, strip_captions
from editor.core.errors import BundleError
from editor.core.info_json import AssetInfo, parse_info
from editor.core.model import Article, AssetData, ImageAsset
from editor.core.references import image_references
from editor.core.safezip import MAX_ENTRIES, ZIP_READ_ERRORS, SafeZip, ZipAssetData

HEADER_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
PRIVATE_DIR = APP_ID  # our own folder inside a bundle
_PRIVATE_DEPTH = 3  # folder levels read below it
TEXT_NAMES = ("text.md", "text.markdown")


@dataclass
class OpenedBundle:
    """An article read from disk, with where it came from and what the user should be told about it."""

    article: Article
    path: Path
    kind: str  # "folder", "zip" or "markdown"
    fingerprint: str
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Entry:
    """One file of a bundle, wherever it lives."""

    size: int
    open: Callable[[], IO[bytes]]
    data: AssetData
    stamp: Stamp | None = None  # (device, inode, size, mtime_ns) of the file, or of the zip archive, when listed
    zip_time: tuple[int, ...] | None = None  # a zip member's date and time as the archive records it


def image_header_size(stream: IO[bytes]) -> tuple[int, int]:
    """Width and height from an image header without decoding pixels; (0, 0) when it is not a known image."""
    try:
        with warnings.catch_warnings():
            # Only the header is read, so a picture too large to decode safely still has honest dimensions.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(stream, formats=HEADER_FORMATS) as image:
                return image.size
    except Exception:  # any failure of a header parser only means "size unknown"
        return (0, 0)


def _hash_stream(stream: IO[bytes], limit: int) -> str:
    digest = hashlib.sha256()
    total = 0
    while chunk := stream.read(1024 * 1024):
        total += len(chunk)
        if total > limit:
            raise BundleError("An image in the bundle is larger than its declared size.")
        digest.update(chunk)
    return digest.hexdigest()


def _pick_text(names: list[str]) -> str | None:
    candidates = [n for n in names if "/" not in n and n.lower().startswith("text.")]
    for wanted in TEXT_NAMES:
        for name in candidates:
            if name.lower() == wanted:
                return name
    return min(candidates) if candidates else None


def _is_junk(name: str) -> bool:
    parts = name.split("/")
    return parts[0] == "__MACOSX" or any(p.startswith("._") or p == ".DS_Store" for p in parts)


def is_junk(name: str) -> bool:
    """Whether a bundle path is operating-system clutter (__MACOSX, ._*, .DS_Store) rather than content."""
    return _is_junk(name)


def is_extra(rel: str) -> bool:
    """Whether a bundle path is none of ours (not info.json, text.*, assets/… or our folder) and not clutter."""
    first = rel.split("/", 1)[0]
    return not (first in {"info.json", "assets", PRIVATE_DIR} or first.lower().startswith("text.") or _is_junk(rel))


def is_private(rel: str) -> bool:
    """Whether a bundle path lies in our own folder (saved versions and the like)."""
    return rel.startswith(PRIVATE_DIR + "/") and not _is_junk(rel)


def zip_members(archive: SafeZip) -> dict[str, str]:
    """Bundle-relative path → archive member, for a nested or a flat TextPack, clutter left out."""
    members = [n for n in archive.names() if not n.endswith("/") and not _is_junk(n)]
    prefix = ""
    top = {n.split("/", 1)[0] for n in members}
    at_root = any("/" not in n and (n == "info.json" or n.lower().startswith("text.")) for n in members)
    if len(top) == 1 and top != {"assets"} and not at_root and all("/" in n for n in members):
        prefix = next(iter(top)) + "/"

    return {member[len(prefix):]: member for member in members if member.startswith(prefix)}


def _zip_entries(path: Path, archive: SafeZip) -> dict[str, _Entry]:
    stamp = stamp_of(os.fstat(archive.raw_file().fileno()))  # the very archive file whose entries are listed

    def opener(member: str) -> Callable[[], IO[bytes]]:
        return lambda: archive.open(member)

    return {
        rel: _Entry(archive.size(member), opener(member), ZipAssetData(path, member, MAX_ASSET_SIZE),
                    stamp, tuple(archive.info(member).date_time))
        for rel, member in zip_members(archive).items()
    }


def _folder_entries(root: Path, notes: list[str]) -> dict[str, _Entry]:
    entries = {}

    def add(rel: str, full: Path) -> None:
        try:
            info = os.lstat(full)
        except OSError:
            return
        if stat.S_ISLNK(info.st_mode):
            notes.append(f"“{rel}” is a link to somewhere else and was skipped.")
            return
        if not stat.S_ISREG(info.st_mode):
            return
        entries[rel] = _Entry(info.st_size, lambda: full.open("rb"), AssetData(full), stamp_of(info))

    with os.scandir(root) as listing:
        top = sorted(listing, key=lambda e: e.name)
    for entry in top:
        if entry.name not in {"assets", PRIVATE_DIR} and not _is_junk(entry.name):
            add(entry.name, Path(entry.path))
    _private_entries(root / PRIVATE_DIR, PRIVATE_DIR, _PRIVATE_DEPTH, add, [0])
    assets = root / "assets"
    if assets.is_symlink():
        notes.append("The bundle’s assets folder is a link to somewhere else; its images were skipped.")
    elif assets.is_dir():
        with os.scandir(assets) as listing:
            files = sorted(listing, key=lambda e: e.name)
        if len(files) > MAX_ENTRIES:
            notes.append(f"The assets folder holds {len(files)} files; only the first {MAX_ENTRIES} were read.")
        for entry in files[:MAX_ENTRIES]:
            if not _is_junk(entry.name):
                add(f"assets/{entry.name}", Path(entry.path))
    return entries


def _private_entries(folder: Path, rel: str, depth: int, add: Callable[[str, Path], None], count: list[int]) -> None:
    """Files of our own folder, a few levels deep and no more than MAX_ENTRIES in all; links are not followed."""
    if depth <= 0 or folder.is_symlink() or not folder.is_dir():
        return
    with os.scandir(folder) as listing:
        items = sorted(listing, key=lambda e: e.name)
    for entry in items:
        if count[0] >= MAX_ENTRIES or _is_junk(entry.name):
            continue
        if entry.is_dir(follow_symlinks=False):
            _private_entries(Path(entry.path), f"{rel}/{entry.name}", depth - 1, add, count)
        else:
            count[0] += 1
            add(f"{rel}/{entry.name}", Path(entry.path))


def _read_small(entries: dict[str, _Entry], name: str) -> bytes | None:
    entry = entries.get(name)
    if entry is None:
        return None
    if entry.size > MAX_TEXT_SIZE:
        raise BundleError(f"The bundle’s “{name}” is too large to open ({entry.size} bytes).")
    with entry.open() as stream:
        data = stream.read(MAX_TEXT_SIZE + 1)
    if len(data) > MAX_TEXT_SIZE:
        raise BundleError(f"The bundle’s “{name}” is too large to open.")
    return data


def _decode_text(raw: bytes, notes: list[str]) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        notes.append("The text is not in UTF-8; it was read as Windows-1252, so check accented letters.")
        return raw.decode("cp1252", errors="replace")


def _known_asset(entry: _Entry, known: AssetInfo, info: _Entry | None) -> ImageAsset:
    """An asset our info.json describes; its bytes are not read until they are needed."""
    data = entry.data
    # A save may link or copy a trusted file without hashing it again (see editor.core.bundle_hashes).
    if entry.zip_time is None:
        if entry.stamp is not None and data.path is not None and trust_on_open(entry.stamp, info and info.stamp):
            data = FileAssetData(data.path, known.sha256, entry.stamp)
    elif info is not None and info.zip_time is not None and entry.zip_time <= info.zip_time:
        where = data.location
        if where is not None and where[1] is not None:
            data = RecordedZipData(where[0], where[1], MAX_ASSET_SIZE, known.sha256, entry.stamp)
    return ImageAsset(
        name=known.name, data=data, sha256=known.sha256, alt=known.alt, caption=known.caption,
        credit=known.credit, source_url=known.source_url, licence=known.licence,
        width=known.width, height=known.height,
    )


def _unknown_asset(name: str, entry: _Entry) -> ImageAsset | None:
    """A file in assets/ that our info.json does not list (put there by another app); None if it is unreadable.

    A zip member is read through once, which checks its CRC; a plain file is hashed later, by the first
    save (off the UI thread), so opening a folder of many new pictures reads only their headers.
    """
    try:
        digest = ""
        if entry.zip_time is not None:
            with entry.open() as stream:
                digest = _hash_stream(stream, entry.size)
        with entry.open() as stream:
            width, height = image_header_size(stream)
    except (BundleError, *ZIP_READ_ERRORS):
        return None
    return ImageAsset(name=name, data=entry.data, sha256=digest, width=width, height=height)


def _build(entries: dict[str, _Entry], notes: list[str]) -> Article:
    info = parse_info(_read_small(entries, "info.json"))
    notes.extend(info.warnings)
    text_name = _pick_text(list(entries))
    if text_name is None:
        notes.append("The bundle has no text file; the article starts empty.")
        text = ""
    else:
        text = _decode_text(_read_small(entries, text_name) or b"", notes)
    sources = {a.name: CaptionSource(a.caption, a.credit) for a in info.assets}
    stripped = strip_captions(text, info.text_sha256, info.injected_lines, sources) if info.ours else None
    body = stripped.body if stripped else text
    if stripped:
        notes.extend(stripped.warnings)
    if not (stripped and stripped.exact) and body.startswith("\ufeff"):
        body = body[1:]
    files = {rel[len("assets/"):]: e for rel, e in entries.items() if rel.startswith("assets/") and rel.count("/") == 1}
    for name in [n for n, e in files.items() if e.size > MAX_ASSET_SIZE]:
        notes.append(f"The image “{name}” is larger than {MAX_ASSET_SIZE // 1024**2} MiB and was left out.")
        del files[name]
    assets = []
    for known in info.assets:
        if known.name in files:
            assets.append(_known_asset(files[known.name], known, entries.get("info.json")))
        else:
            notes.append(f"The image “{known.name}” is missing from the bundle; its caption and credit were dropped.")
    listed = {a.name for a in info.assets}
    for name in sorted(files):
        if name not in listed:
            asset = _unknown_asset(name, files[name])
            if asset is None:
                notes.append(f"The image “{name}” is damaged and was left out.")
            else:
                assets.append(asset)
    metadata = info.metadata
    if not info.ours and isinstance(info.foreign.get("sourceURL"), str):
        metadata.source_url = info.foreign["sourceURL"]
    private = {rel: e.data for rel, e in entries.items() if is_private(rel) and e.size <= MAX_ASSET_SIZE}
    article = Article(body=body, metadata=metadata, assets=assets, foreign_info=info.foreign,
                      private_files=private, comments=info.comments, status_history=info.status_history)
    have = {a.name for a in assets}
    missing = sorted({r.name for r in image_references(body) if r.is_asset and r.name not in have})
    notes.extend(f"The text shows the image “{name}”, which is not in the bundle." for name in missing)
    return article


def open_bundle(path: Path) -> OpenedBundle:
    """Read a .textbundle folder or a .textpack zip; raise BundleError or UnsafeArchiveError if it cannot be read."""
    path = Path(path)
    kind = bundle_kind(path)
    notes: list[str] = []
    if kind == "folder":
        try:
            note = recover_interrupted_save(path)
        except OSError as exc:
            raise BundleError(f"“{path.name}” was left half-saved and cannot be repaired ({exc.strerror}).") from None
        if note:
            notes.append(note)
    fingerprint = bundle_fingerprint(path)
    if fingerprint is None:
        raise BundleError(f"“{path}” does not exist.")
    try:
        if kind == "zip":
            if not path.is_file():
                raise BundleError(f"“{path.name}” is not a file, so it cannot be a TextPack.")
            with SafeZip(path) as archive:
                article = _build(_zip_entries(path, archive), notes)
        else:
            if not path.is_dir():
                raise BundleError(f"“{path.name}” is not a folder, so it cannot be a TextBundle.")
            article = _build(_folder_entries(path, notes), notes)
    except ZIP_READ_ERRORS as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise BundleError(f"“{path.name}” could not be read ({reason}).") from None
    return OpenedBundle(article=article, path=path, kind=kind, fingerprint=fingerprint, warnings=notes)
