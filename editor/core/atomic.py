"""The one atomic-write helper every writer in the project uses."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from editor.core.errors import EditorError


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries to disk so a rename inside it survives a power cut."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def describe_os_error(exc: OSError, path: Path) -> str:
    """One sentence for a failed write, naming the usual causes plainly."""
    import errno

    if exc.errno == errno.ENOSPC:
        return f"The disk is full; “{path}” was not saved and the old version is unchanged."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"There is no permission to write “{path}”; the old version is unchanged."
    return f"“{path}” could not be written ({exc.strerror or exc}); the old version is unchanged."


@contextlib.contextmanager
def atomic_open(path: Path, mode: str = "wb", encoding: str | None = None) -> Iterator[IO]:
    """Open a temporary file beside `path`; on success it replaces `path` atomically, on error it is removed.

    A crash at any moment leaves either the old file or the complete new one, never a mix.
    Raises EditorError with a readable sentence when the write fails.
    """
    path = Path(path)
    folder = path.parent
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise EditorError(describe_os_error(exc, path)) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline="" if "b" not in mode else None) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            # Keep the permissions of the file being replaced; new files get the usual umask.
            os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise EditorError(describe_os_error(exc, path)) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    # The new file is in place now; failing to flush the folder (some disks refuse) must not report it unsaved.
    with contextlib.suppress(OSError):
        fsync_dir(folder)


def _umask() -> int:
    # os.umask() can only be read by setting it, which races with other threads; Linux shows it here.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write bytes to `path` atomically."""
    with atomic_open(path, "wb") as handle:
        handle.write(data)


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write text to `path` atomically (UTF-8, no BOM, newlines as given)."""
    atomic_write_bytes(path, text.encode(encoding))
