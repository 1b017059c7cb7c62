"""Saving an article as a TextBundle folder or TextPack zip, atomically: a crash leaves the old or the new bundle.

Unchanged images cost next to nothing: their hashes are on record (editor.core.bundle_hashes), so a folder
save hard-links them from the old bundle without reading them, and a TextPack save copies their stored bytes
from the old pack (editor.core.zip_copy) without decompressing, hashing or recompressing. Pictures come first
in a pack, so on a file system that can clone files (editor.core.zip_clone) the new pack starts as a clone of
the old one and only what follows its unchanged pictures is written; elsewhere a pack is rewritten whole, and
its save time follows the bytes it holds.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import secrets
import shutil
import stat
import sys
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from editor.core.atomic import atomic_open, atomic_write_bytes, describe_os_error, fsync_dir
from editor.core.bundle_files import (
    MAX_ASSET_SIZE,
    OLD_MARK,
    TMP_MARK,
    bundle_fingerprint,
    bundle_kind,
    leftover_name,
    remove_leftovers,
)
from editor.core.bundle_hashes import FileAssetData, RecordedZipData, file_stamp, known_sha256
from editor.core.bundle_read import is_extra, is_private, zip_members
from editor.core.bundle_text import CaptionSource, inject_captions
from editor.core.errors import BundleError, ConflictError, EditorError
from editor.core.info_json import AssetInfo, build_info
from editor.core.model import Article, AssetData, ImageAsset, sha256_hex
from editor.core.safezip import SafeZip, ZipAssetData, check_entry_name
from editor.core.zip_clone import clone_into, keep_front, reusable_front
from editor.core.zip_copy import ArchiveSources, archive_sources, copy_entry

# Pictures are already compressed; deflating them again costs time and saves nothing.
_STORED_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@dataclass
class _Payload:
    """The bytes of one asset as they will be written, checked against the article."""

    asset: ImageAsset
    data: bytes


def _check_names(article: Article) -> None:
    seen: dict[str, str] = {}
    for asset in article.assets:
        name = asset.name
        bad = check_entry_name(name) or "/" in name or name in {".", "..", ".DS_Store"} or name.startswith("._")
        if bad or len(name.encode("utf-8", "surrogatepass")) > 255:
            raise BundleError(f"The image name “{name}” cannot be used in a bundle; rename the image.")
        folded = name.casefold()
        if folded in seen:
            raise BundleError(
                f"Two images are named “{seen[folded]}” and “{name}”; rename one, as some disks cannot tell them apart."
            )
        seen[folded] = name


def _check_private(article: Article) -> None:
    for rel in article.private_files:
        parts = rel.split("/")
        if not is_private(rel) or check_entry_name(rel) or any(p in {"", ".", ".."} for p in parts):
            raise BundleError(f"The bundle file “{rel}” has a name that cannot be saved; this is a bug.")


def _private_bytes(rel: str, data: AssetData) -> bytes:
    raw = data.read_bytes()
    if len(raw) > MAX_ASSET_SIZE:
        raise BundleError(f"The bundle file “{rel}” is too large to save.")
    return raw


def _read_asset(asset: ImageAsset) -> _Payload:
    data = asset.data.read_bytes()
    if len(data) > MAX_ASSET_SIZE:
        raise BundleError(f"The image “{asset.name}” is too large to save in a bundle.")
    digest = sha256_hex(data)
    if asset.sha256 and asset.sha256 != digest:
        raise BundleError(f"The image “{asset.name}” no longer matches the picture that was added; add it again.")
    asset.sha256 = digest
    return _Payload(asset, data)


def _trusted(asset: ImageAsset) -> bool:
    """Whether the asset's bytes are known to match its hash without reading them (a record still valid)."""
    known = known_sha256(asset.data)
    if not known:
        return False
    if asset.sha256 and asset.sha256 != known:
        raise BundleError(f"The image “{asset.name}” no longer matches the picture that was added; add it again.")
    asset.sha256 = known
    return True


def _encode(text: str, what: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise BundleError(f"The {what} holds characters that cannot be stored as UTF-8; retype the odd ones.") from None


def _text_bytes(article: Article) -> tuple[bytes, list[int]]:
    sources = {a.name: CaptionSource(a.caption, a.credit) for a in article.assets}
    text, injected = inject_captions(article.body, sources)
    return _encode(text, "text"), injected


def _info_bytes(article: Article, text: bytes, injected: list[int]) -> bytes:
    assets = [
        AssetInfo(
            name=a.name, alt=a.alt, caption=a.caption, credit=a.credit, source_url=a.source_url,
            licence=a.licence, sha256=a.sha256, width=a.width, height=a.height,
        )
        for a in article.assets
    ]
    try:
        return build_info(article.metadata, assets, article.foreign_info, sha256_hex(text), injected,
                          article.comments, article.status_history)
    except UnicodeEncodeError:
        raise BundleError("The metadata holds characters that cannot be stored as UTF-8; retype them.") from None
    except (TypeError, ValueError) as exc:
        raise BundleError(f"The article’s data cannot be written as JSON ({exc}).") from None


def zip_root(path: Path) -> str:
    """The folder inside a TextPack: the bundle's name with .textbundle, as the TextPack spec zips the folder."""
    stem = "".join("_" if c in '\\/:\x00' else c for c in Path(path).stem) or "text"
    return f"{stem}.textbundle/"


def _copy_zip_extras(old_path: Path, archive: zipfile.ZipFile, root: str, sources: ArchiveSources,
                     done: set[str]) -> None:
    """Carry over files other apps put in the TextPack being replaced; an unreadable old pack has none to give."""
    old = sources.get(old_path) if old_path.is_file() else None
    if old is None:
        return
    for rel, member in zip_members(old).items():
        if is_extra(rel) and root + rel not in done:
            copy_entry(old, member, archive, root + rel)


def _copy_from_zip(data: AssetData, archive: zipfile.ZipFile, name: str, sources: ArchiveSources) -> bool:
    """Copy bytes that already sit in a zip member as they are stored; False when they do not or cannot."""
    where = data.location
    if where is None or where[1] is None or not Path(where[0]).is_file():
        return False
    source = sources.get(Path(where[0]))
    if source is None or where[1] not in source.names() or source.size(where[1]) > MAX_ASSET_SIZE:
        return False
    copy_entry(source, where[1], archive, name)
    return True


def _copy_folder_extras(old_path: Path, tmp: Path) -> None:
    """Carry over files and folders other apps put in the bundle being replaced (hard-linked where possible)."""
    if not old_path.is_dir() or old_path.is_symlink():
        return
    with os.scandir(old_path) as listing:
        entries = list(listing)
    for entry in entries:
        if not is_extra(entry.name) or entry.is_symlink():
            continue
        if entry.is_dir():
            shutil.copytree(entry.path, tmp / entry.name, symlinks=True, copy_function=_link_or_copy)
        elif entry.is_file():
            _link_or_copy(entry.path, tmp / entry.name)


def _link_or_copy(source: str, dest: str | Path) -> None:
    try:
        os.link(source, dest)
    except OSError:
        shutil.copy2(source, dest)
        with open(dest, "rb") as handle:
            os.fsync(handle.fileno())


def _kept_as_is(path: Path, old: SafeZip, root: str, article: Article, trusted: dict[str, bool]) -> set[str]:
    """Entries of the pack being replaced that the save copies byte for byte under the same name."""
    here = path.resolve()
    names = set(old.names())

    def from_here(where: tuple[str | Path, str | None] | None, member: str) -> bool:
        return where is not None and where[1] == member and Path(where[0]).resolve() == here

    same = {root + "assets/" + asset.name for asset in article.assets
            if trusted[asset.name] and from_here(asset.data.location, root + "assets/" + asset.name)}
    same |= {member for rel, member in zip_members(old).items() if is_extra(rel) and member == root + rel}
    same |= {root + rel for rel, data in article.private_files.items() if from_here(data.location, root + rel)}
    return {name for name in same if name in names and old.size(name) <= MAX_ASSET_SIZE}


def _write_zip(path: Path, article: Article, text: bytes, injected: list[int]) -> None:
    root = zip_root(path)
    with atomic_open(path, "w+b") as handle, archive_sources() as sources:
        trusted = {asset.name: _trusted(asset) for asset in article.assets}
        old = sources.get(path) if path.is_file() else None
        front: list[str] = []
        end = 0
        if old is not None:
            # Pictures come first in a pack this program writes, so after a text edit they form its front.
            front, end = reusable_front(old, _kept_as_is(path, old, root, article, trusted).__contains__)
            if front and not clone_into(old.raw_file(), handle):
                front = []
        # Deflate's fastest level: on a long article it is about six times quicker than the default and the
        # pack grows by a few tens of kilobytes, next to megabytes of pictures.
        with zipfile.ZipFile(handle, "a" if front else "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            if front:
                keep_front(archive, front, end)
            done = set(front)
            for asset in article.assets:
                name = root + "assets/" + asset.name
                # Unchanged pictures are copied as stored, never read into memory, hashed or recompressed.
                if name in done or (trusted[asset.name] and _copy_from_zip(asset.data, archive, name, sources)):
                    continue
                payload = _read_asset(asset)
                stored = asset.name.lower().endswith(_STORED_SUFFIXES)
                archive.writestr(name, payload.data,
                                 compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
                del payload
            _copy_zip_extras(path, archive, root, sources, done)
            for rel, data in sorted(article.private_files.items()):
                if root + rel not in done and not _copy_from_zip(data, archive, root + rel, sources):
                    archive.writestr(root + rel, _private_bytes(rel, data))
            archive.writestr(root + "text.md", text)
            archive.writestr(root + "info.json", _info_bytes(article, text, injected))
        handle.truncate()  # nothing may follow the zip's end record


@cache
def _renameat2() -> object | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange_paths(first: Path, second: Path) -> bool:
    """Swap two existing paths in one atomic step (Linux renameat2); False when the system cannot do it."""
    function = _renameat2()
    if function is None:
        return False
    result = function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)  # type: ignore[operator]
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _remove(path: Path) -> None:
    """Delete what a swap left behind, a folder or (when a file was replaced by force) a file."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def _synced(folder: Path) -> None:
    """Flush a folder after the new bundle is in place; failing then must not report the save as failed."""
    with contextlib.suppress(OSError):
        fsync_dir(folder)


def _swap_in(tmp: Path, path: Path, token: str) -> None:
    """Put the finished folder `tmp` at `path`; the old folder, if any, is removed afterwards."""
    if not os.path.lexists(path):
        os.rename(tmp, path)
        _synced(path.parent)
        return
    if exchange_paths(tmp, path):
        _synced(path.parent)
        _remove(tmp)  # it now holds the old bundle
        return
    # Without an atomic exchange: move the old one aside, then the new one in (open_bundle repairs a crash between).
    old = leftover_name(path, OLD_MARK, token)
    os.rename(path, old)
    try:
        os.rename(tmp, path)
    except OSError:
        os.rename(old, path)
        raise
    _synced(path.parent)
    _remove(old)


def _link_old(source: Path | None, dest: Path, old_assets: Path) -> bool:
    """Hard-link a file of the bundle being replaced into the new one; False when it is not one or cannot be."""
    # Only files of the bundle being replaced are shared; linking a file from elsewhere would tie the two together.
    if source is None or source.parent != old_assets or source.is_symlink():
        return False
    try:
        os.link(source, dest)
    except OSError:
        return False
    return True


def _link_or_write(payload: _Payload, dest: Path, old_assets: Path) -> None:
    if not _link_old(payload.asset.data.path, dest, old_assets):
        atomic_write_bytes(dest, payload.data)


def _write_private_folder(article: Article, tmp: Path, old: Path) -> None:
    """Our own files (saved versions…): hard-linked from the bundle being replaced where they come from it."""
    for rel, data in sorted(article.private_files.items()):
        dest = tmp / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        source = data.path
        if source is not None and source == old / rel and not source.is_symlink():
            try:
                os.link(source, dest)
                continue
            except OSError:
                pass
        atomic_write_bytes(dest, _private_bytes(rel, data))


def _write_folder(path: Path, article: Article, text: bytes, injected: list[int]) -> None:
    token = secrets.token_hex(4)
    tmp = leftover_name(path, TMP_MARK, token)
    remove_leftovers(path)
    try:
        os.mkdir(tmp)
        with contextlib.suppress(OSError):
            # The new folder takes the place of the old one, so it keeps the old one's permissions.
            os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))
        os.mkdir(tmp / "assets")
        _copy_folder_extras(path, tmp)
        atomic_write_bytes(tmp / "text.md", text)
        for asset in article.assets:
            dest = tmp / "assets" / asset.name
            # A file of the old bundle whose hash is on record is linked without being read.
            if _trusted(asset) and _link_old(asset.data.path, dest, path / "assets"):
                continue
            payload = _read_asset(asset)
            _link_or_write(payload, dest, path / "assets")
            del payload
        _write_private_folder(article, tmp, path)
        atomic_write_bytes(tmp / "info.json", _info_bytes(article, text, injected))
        fsync_dir(tmp / "assets")
        fsync_dir(tmp)
        _swap_in(tmp, path, token)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise BundleError(describe_os_error(exc, path)) from exc
        raise


def _check_conflict(path: Path, expected: str | None, force: bool) -> None:
    if force:
        return
    current = bundle_fingerprint(path)
    if expected is None and current is not None:
        raise ConflictError(f"“{path.name}” already exists; saving here would replace it.")
    if expected is not None and current != expected:
        if current is None:
            raise ConflictError(f"“{path.name}” was moved or deleted by another program since it was opened.")
        message = f"“{path.name}” was changed by another program since it was opened; saving would undo that."
        raise ConflictError(message)


def _rebind(article: Article, path: Path, kind: str) -> None:
    """Point the article's assets at the saved copies, so the old files may go."""
    # Every asset's hash was checked (or trusted on record) by the save, so it is recorded with the new files.
    archive = file_stamp(path) if kind == "zip" else None
    for asset in article.assets:
        if kind == "zip":
            member = zip_root(path) + "assets/" + asset.name
            asset.data = RecordedZipData(path, member, MAX_ASSET_SIZE, asset.sha256, archive)
        else:
            file = path / "assets" / asset.name
            asset.data = FileAssetData(file, asset.sha256, file_stamp(file))
    for rel in article.private_files:
        article.private_files[rel] = (
            ZipAssetData(path, zip_root(path) + rel, MAX_ASSET_SIZE) if kind == "zip" else AssetData(path / rel)
        )


def save_bundle(article: Article, path: Path, *, expected_fingerprint: str | None = None, force: bool = False) -> str:
    """Write the article as a bundle at `path` atomically and return the new fingerprint.

    expected_fingerprint is what open_bundle (or the last save) returned; None means a new place, where an
    existing bundle is not replaced. Raises ConflictError when the disk does not match (unless force),
    BundleError for anything else (the old bundle is then unchanged). After a save the article's assets read
    their bytes from the saved bundle, and assets without a sha256 have it filled in.
    """
    path = Path(path)
    kind = bundle_kind(path)
    if not path.parent.is_dir():
        raise BundleError(f"The folder “{path.parent}” does not exist; choose another place to save.")
    _check_names(article)
    _check_private(article)
    _check_conflict(path, expected_fingerprint, force)
    text, injected = _text_bytes(article)
    try:
        if kind == "zip":
            _write_zip(path, article, text, injected)
        else:
            _write_folder(path, article, text, injected)
    except BundleError:
        raise
    except EditorError as exc:
        cause = exc.__cause__
        # Name the bundle, not the hidden temporary file the error happened in.
        raise BundleError(describe_os_error(cause, path) if isinstance(cause, OSError) else str(exc)) from exc
    except OSError as exc:
        raise BundleError(describe_os_error(exc, path)) from exc
    _rebind(article, path, kind)
    fingerprint = bundle_fingerprint(path)
    if fingerprint is None:
        raise BundleError(f"“{path.name}” vanished right after it was saved.")
    with contextlib.suppress(OSError):
        remove_leftovers(path)
    return fingerprint
