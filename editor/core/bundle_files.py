"""Where a bundle lives on disk: its kind, a fingerprint of its state, and the leftovers of an interrupted save."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
from pathlib import Path
from typing import Any

MAX_TEXT_SIZE = 64 * 1024**2  # text.md and info.json
MAX_ASSET_SIZE = 1024**3
_TAIL = 64 * 1024
TMP_MARK = ".tmp-"
OLD_MARK = ".old-"


def bundle_kind(path: Path) -> str:
    """'zip' for a .textpack file, else 'folder'."""
    return "zip" if Path(path).suffix.lower() == ".textpack" else "folder"


def _hash_small_file(digest: Any, path: Path) -> None:
    with contextlib.suppress(OSError), open(path, "rb") as handle:
        digest.update(handle.read(MAX_TEXT_SIZE))


def bundle_fingerprint(path: Path) -> str | None:
    """A short string that changes whenever the bundle on disk changes; None when nothing is there."""
    path = Path(path)
    try:
        info = os.stat(path)
    except OSError:
        return None
    digest = hashlib.sha256()
    if stat.S_ISREG(info.st_mode):
        digest.update(f"file {info.st_size} {info.st_mtime_ns} {info.st_ino}".encode())
        # The central directory at the end lists every entry's CRC, so content changes show there too.
        with contextlib.suppress(OSError), open(path, "rb") as handle:
            handle.seek(max(0, info.st_size - _TAIL))
            digest.update(handle.read(_TAIL))
        return digest.hexdigest()
    if not stat.S_ISDIR(info.st_mode):
        return digest.hexdigest()
    for folder, dirs, files in os.walk(path):
        dirs.sort()
        for name in sorted(files):
            full = Path(folder, name)
            rel = full.relative_to(path).as_posix()
            try:
                item = os.lstat(full)
            except OSError:
                continue
            digest.update(f"{rel}\0{item.st_mode} {item.st_size} {item.st_mtime_ns} {item.st_ino}\n".encode())
            # Only plain files are read: a named pipe would block forever, a link could lead anywhere.
            if folder == str(path) and stat.S_ISREG(item.st_mode) and (name == "info.json" or name.startswith("text.")):
                _hash_small_file(digest, full)
    return digest.hexdigest()


def leftover_name(path: Path, mark: str, token: str) -> Path:
    """A hidden sibling used while a folder bundle is swapped, e.g. `.Name.textbundle.tmp-1a2b`."""
    return path.with_name(f".{path.name}{mark}{token}")


def _leftovers(path: Path, mark: str) -> dict[str, Path]:
    prefix = f".{path.name}{mark}"
    found = {}
    with contextlib.suppress(OSError), os.scandir(path.parent) as listing:
        for entry in listing:
            if entry.name.startswith(prefix) and entry.is_dir(follow_symlinks=False):
                found[entry.name[len(prefix):]] = Path(entry.path)
    return found


def recover_interrupted_save(path: Path) -> str | None:
    """Put a folder bundle back in place when a save died mid-swap; return a sentence saying what was done."""
    path = Path(path)
    if os.path.lexists(path):
        return None
    olds = _leftovers(path, OLD_MARK)
    if not olds:
        return None
    tmps = _leftovers(path, TMP_MARK)
    token = max(olds, key=lambda t: olds[t].stat().st_mtime_ns)
    # The old bundle is moved aside only once the new one is complete, so a matching new one is whole.
    if token in tmps:
        os.rename(tmps[token], path)
        return "A save of this bundle was interrupted; the new version it was writing has been put in place."
    os.rename(olds[token], path)
    return "A save of this bundle was interrupted; the previous version has been put back."


def _remove_temp_files(path: Path) -> None:
    """Delete the hidden `.Name.textpack.<random>.tmp` files that a save killed mid-write leaves beside a TextPack."""
    prefix = f".{path.name}."
    with contextlib.suppress(OSError), os.scandir(path.parent) as listing:
        for entry in listing:
            if entry.name.startswith(prefix) and entry.name.endswith(".tmp") and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def remove_leftovers(path: Path) -> None:
    """Delete hidden copies left by interrupted saves of this bundle (only while the bundle itself exists)."""
    if Path(path).is_file():
        _remove_temp_files(Path(path))
        return
    if not Path(path).is_dir():
        return
    for mark in (TMP_MARK, OLD_MARK):
        for leftover in _leftovers(Path(path), mark).values():
            shutil.rmtree(leftover, ignore_errors=True)
