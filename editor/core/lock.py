"""“This bundle is open in another instance”: a small lock file beside the bundle, and stale ones recognised.

The lock of `Story.textbundle` is `.~lock.Story.textbundle#` in the same folder: JSON naming the user, host,
process and its start time. It is created complete and exclusively (written to a temporary file with
atomic_write_bytes, then hard-linked into place, which fails if a lock already exists), so two instances racing for
the same bundle cannot both win.

A lock is stale when its process no longer runs on this host, or its pid now belongs to another process (the
start time differs). A lock written on another host cannot be checked and is respected until it has not been
refreshed for OTHER_HOST_LIMIT; a running instance refreshes its locks (BundleLock.refresh) well within that.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType

from editor import APP_NAME
from editor.core.atomic import atomic_write_bytes, fsync_dir
from editor.core.errors import EditorError
from editor.core.instance import Instance, this_instance

OTHER_HOST_LIMIT = timedelta(hours=24)
# A lock file that cannot be parsed may be one being written right now by a system without hard links.
UNREADABLE_GRACE = timedelta(minutes=1)
_ATTEMPTS = 3
_READ_LIMIT = 64 * 1024
_NO_LINKS = (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK)
_READ_ONLY = (errno.EACCES, errno.EPERM, errno.EROFS)


class LockedError(EditorError):
    """The bundle is open in another running instance."""


class ReadOnlyLocationError(EditorError):
    """The bundle's folder cannot be written, so the bundle can only be opened read-only."""


@dataclass
class LockInfo:
    """What a lock file says about its holder."""

    label: str  # e.g. "ann@laptop"
    host: str
    pid: int
    start: str
    since: str  # ISO 8601 UTC, when the lock was taken
    touched: str  # ISO 8601 UTC, last refresh
    token: str  # tells this lock apart from any other, even of the same process
    app: str = APP_NAME

    @property
    def instance(self) -> Instance:
        """The process holding the lock."""
        return Instance(host=self.host, pid=self.pid, start=self.start)

    @classmethod
    def parse(cls, raw: bytes) -> LockInfo | None:
        """The lock described by a file's bytes; None when they are not a lock of ours."""
        try:
            data = json.loads(raw)
            info = cls(**data)
            datetime.fromisoformat(info.since)
            datetime.fromisoformat(info.touched)
        except (ValueError, TypeError):
            return None
        if not isinstance(info.pid, int) or not all(isinstance(v, str) for v in (info.host, info.label, info.token)):
            return None
        return info

    def to_bytes(self) -> bytes:
        """The lock file's content."""
        return (json.dumps(asdict(self), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def lock_path(bundle: Path) -> Path:
    """Where the lock of a bundle lives: a hidden file beside it in the same folder."""
    bundle = Path(bundle)
    return bundle.with_name(f".~lock.{bundle.name}#")


def _writable(path: Path) -> bool:
    """Whether the current user may write `path` (on a file system mounted for writing)."""
    if hasattr(os, "statvfs"):
        try:
            if os.statvfs(path).f_flag & os.ST_RDONLY:
                return False
        except OSError:
            return False
    return os.path.exists(path) and os.access(path, os.W_OK)


def is_read_only_location(bundle: Path) -> bool:
    """Whether a bundle cannot be saved where it is: its folder, or the bundle itself, is not writable."""
    bundle = Path(bundle)
    parent = bundle.parent if str(bundle.parent) else Path(".")
    if not _writable(parent):
        return True
    return os.path.lexists(bundle) and not _writable(bundle)


def _now() -> datetime:
    return datetime.now(UTC)


def _since_text(when: datetime) -> str:
    local = when.astimezone()
    if local.date() == datetime.now().astimezone().date():
        return local.strftime("%H:%M")
    return f"{local.day} {local:%b %H:%M}"


def _locked_message(bundle: Path, holder: LockInfo | None) -> str:
    if holder is None:
        return f"“{bundle.name}” is already open in another copy of {APP_NAME}; open it read-only or close it there."
    since = _since_text(datetime.fromisoformat(holder.since))
    return (
        f"“{bundle.name}” is already open in {APP_NAME} ({holder.label}, process {holder.pid}, since {since}); "
        "open it read-only or close it there."
    )


def _is_stale(holder: LockInfo) -> bool:
    running = holder.instance.is_running()
    if running is None:
        return _now() - datetime.fromisoformat(holder.touched).astimezone(UTC) > OTHER_HOST_LIMIT
    return not running


def _read(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read(_READ_LIMIT)
    except FileNotFoundError:
        return None


def _publish(path: Path, data: bytes) -> bool:
    """Create the lock file with `data` unless one exists; False when it exists."""
    tmp = path.with_name(f"{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        atomic_write_bytes(tmp, data)
    except EditorError as exc:
        cause = exc.__cause__
        raise cause if isinstance(cause, OSError) else OSError(errno.EIO, str(exc)) from exc
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        return _publish_without_links(path, data)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(path.parent)
    return True


def _publish_without_links(path: Path, data: bytes) -> bool:
    """For file systems without hard links: exclusive creation, then the content (readers allow for the gap)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return True


def _take_away(path: Path, expected: bytes) -> None:
    """Remove a stale lock, but only if it is still the one that was judged stale (another may have replaced it).

    Only the holder of a short-lived breaker file may remove a lock, and it re-reads the lock first, so an
    instance that judged the old lock stale can never remove the fresh lock another instance just took.
    """
    breaker = path.with_name(path.name + ".breaking")
    try:
        handle = os.open(breaker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        with contextlib.suppress(OSError):
            if time.time() - breaker.stat().st_mtime > _BREAKER_STALE_S:
                breaker.unlink()  # left by an instance that died while breaking a lock
        time.sleep(0.005)
        return
    os.close(handle)
    try:
        if _read(path) == expected:
            path.unlink(missing_ok=True)
    finally:
        breaker.unlink(missing_ok=True)


_BREAKER_STALE_S = 10.0


class BundleLock:
    """A held lock on one bundle; release() it when the window closes."""

    def __init__(self, bundle: Path, path: Path, info: LockInfo, was_stale: bool) -> None:
        self.bundle = bundle
        self.path = path
        self.info = info
        self.was_stale = was_stale  # True when a crashed instance's lock was taken over
        self._released = False

    @classmethod
    def acquire(cls, bundle: Path, owner_label: str) -> BundleLock:
        """Lock `bundle` for this instance; LockedError when a live instance holds it, ReadOnlyLocationError when
        its folder cannot be written."""
        bundle = Path(bundle).absolute()
        path = lock_path(bundle)
        if not _writable(bundle.parent):
            raise ReadOnlyLocationError(f"The folder of “{bundle.name}” cannot be written, so it opens read-only.")
        me = this_instance()
        stamp = _now().isoformat()
        info = LockInfo(label=owner_label, host=me.host, pid=me.pid, start=me.start, since=stamp, touched=stamp,
                        token=secrets.token_hex(8))
        data = info.to_bytes()
        was_stale = False
        holder: LockInfo | None = None
        for _ in range(_ATTEMPTS):
            try:
                if _publish(path, data):
                    return cls(bundle, path, info, was_stale)
                raw = _read(path)
            except OSError as exc:
                if exc.errno in _READ_ONLY:
                    raise ReadOnlyLocationError(
                        f"The folder of “{bundle.name}” cannot be written, so it opens read-only."
                    ) from exc
                raise EditorError(f"“{bundle.name}” could not be locked for editing ({exc.strerror or exc}).") from exc
            if raw is None:
                continue  # released in the meantime
            holder = LockInfo.parse(raw)
            if holder is None:
                if not _old_enough(path):
                    raise LockedError(_locked_message(bundle, None))
            elif not _is_stale(holder):
                raise LockedError(_locked_message(bundle, holder))
            _take_away(path, raw)
            was_stale = True
        raise LockedError(_locked_message(bundle, holder))

    @property
    def held(self) -> bool:
        """Whether this lock still stands (not released, and not taken over by another instance)."""
        if self._released:
            return False
        current = LockInfo.parse(_read(self.path) or b"")
        return current is not None and current.token == self.info.token

    def refresh(self) -> None:
        """Mark the lock as still in use (for instances on other hosts, which cannot check this process)."""
        if not self.held:
            return
        self.info.touched = _now().isoformat()
        with contextlib.suppress(EditorError):
            atomic_write_bytes(self.path, self.info.to_bytes())

    def release(self) -> None:
        """Remove the lock if it is still ours; calling it again does nothing."""
        if self._released:
            return
        self._released = True
        with contextlib.suppress(OSError):
            current = LockInfo.parse(_read(self.path) or b"")
            if current is not None and current.token == self.info.token:
                self.path.unlink()

    def __enter__(self) -> BundleLock:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.release()


def _old_enough(path: Path) -> bool:
    try:
        mtime = datetime.fromtimestamp(os.stat(path).st_mtime, UTC)
    except OSError:
        return True
    return _now() - mtime > UNREADABLE_GRACE


def read_lock(bundle: Path) -> LockInfo | None:
    """Who holds the lock of a bundle, if anyone (a stale lock is reported too); for showing, not for deciding."""
    try:
        raw = _read(lock_path(bundle))
    except OSError:
        return None
    return LockInfo.parse(raw) if raw else None
