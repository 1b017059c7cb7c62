"""A copy of the previous version of a bundle, taken just before a save replaces it; the last few are kept.

Backups of `/some/where/Story.textbundle` go to `<backups_root>/Story.textbundle-<8 hex digits>/`, the digits
being a hash of the bundle's full path so two bundles with the same name in different folders stay apart. Each
backup is one TextPack named by the UTC time it was taken, e.g. `20240116T093000.123456Z.textpack`; a folder
bundle is zipped, a TextPack is copied as it is.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import stat
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from editor.core.atomic import atomic_open
from editor.core.bundle_write import zip_root
from editor.core.errors import EditorError

_NAME = re.compile(r"^\d{8}T\d{6}\.\d{6}Z(-\d+)?\.textpack$")
_STORED_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".zip", ".textpack")
_CHUNK = 1024 * 1024


class BackupError(EditorError):
    """The previous version could not be backed up."""


def backup_folder(bundle: Path, backups_root: Path) -> Path:
    """The folder holding the backups of one bundle."""
    full = os.path.abspath(bundle)
    with contextlib.suppress(OSError):
        full = os.path.realpath(full)
    digest = hashlib.sha256(os.fsencode(full)).hexdigest()[:8]
    return Path(backups_root) / f"{Path(bundle).name}-{digest}"


def list_backups(bundle: Path, backups_root: Path) -> list[Path]:
    """The backups of a bundle, newest first."""
    folder = backup_folder(bundle, backups_root)
    try:
        names = [entry.name for entry in os.scandir(folder) if _NAME.match(entry.name) and entry.is_file()]
    except OSError:
        return []
    return [folder / name for name in sorted(names, key=_sort_key, reverse=True)]


def _sort_key(name: str) -> tuple[str, int]:
    stamp, _, rest = name.removesuffix(".textpack").partition("-")
    return stamp, int(rest or 0)


def _zip_folder(source: Path, handle: object, root: str) -> None:
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:  # type: ignore[arg-type]
        for folder, dirs, files in os.walk(source):
            dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(folder, d)))
            for name in sorted(files):
                full = Path(folder, name)
                info = os.lstat(full)
                if not stat.S_ISREG(info.st_mode):
                    continue  # links and devices are not part of an article
                rel = full.relative_to(source).as_posix()
                method = zipfile.ZIP_STORED if name.lower().endswith(_STORED_SUFFIXES) else zipfile.ZIP_DEFLATED
                entry = zipfile.ZipInfo.from_file(full, root + rel, strict_timestamps=False)
                entry.compress_type = method
                with open(full, "rb") as src, archive.open(entry, "w", force_zip64=info.st_size > 2**31) as dest:
                    shutil.copyfileobj(src, dest, _CHUNK)


def _target(folder: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    target = folder / f"{stamp}.textpack"
    number = 1
    while target.exists():
        target = folder / f"{stamp}-{number}.textpack"
        number += 1
    return target


def keep_backup(bundle: Path, backups_root: Path, keep: int = 5) -> Path | None:
    """Copy what is on disk at `bundle` into the backups folder before a save replaces it; None if nothing is there.

    Backups beyond the newest `keep` are removed. Raises BackupError (one sentence) when the copy fails; the bundle
    itself is never touched.
    """
    if keep < 1:
        raise ValueError("keep must be at least 1")
    bundle = Path(bundle)
    try:
        info = os.stat(bundle)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise BackupError(f"“{bundle.name}” could not be backed up ({exc.strerror or exc}).") from exc
    folder = backup_folder(bundle, backups_root)
    target = folder
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = _target(folder)
        with atomic_open(target, "wb") as handle:
            if stat.S_ISDIR(info.st_mode):
                _zip_folder(bundle, handle, zip_root(bundle))
            else:
                with open(bundle, "rb") as src:
                    shutil.copyfileobj(src, handle, _CHUNK)
    except (EditorError, OSError, ValueError, zipfile.LargeZipFile) as exc:
        raise BackupError(_backup_failed(bundle, exc, folder)) from exc
    for old in list_backups(bundle, backups_root)[keep:]:
        with contextlib.suppress(OSError):
            old.unlink()
    return target


def _backup_failed(bundle: Path, exc: BaseException, folder: Path) -> str:
    cause = exc.__cause__ if isinstance(exc, EditorError) and isinstance(exc.__cause__, OSError) else exc
    start = f"The previous version of “{bundle.name}” could not be backed up"
    if isinstance(cause, OSError):
        if cause.filename and os.fsdecode(cause.filename).startswith(os.fsdecode(bundle)):
            return f"{start} because part of it could not be read ({cause.strerror or cause})."
        if cause.errno == errno.ENOSPC:
            return f"{start} because the disk is full."
        if cause.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return f"{start} because there is no permission to write in “{folder}”."
        return f"{start} ({cause.strerror or cause})."
    return f"{start} ({str(exc).rstrip('.')})."
