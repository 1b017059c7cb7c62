"""Recovery copies of open articles, written while the user types, so a crash or a kill loses at most a moment.

Layout of the store (a folder chosen by the caller):

    <root>/<key>/entry.json            the description, written last: owner, title, time, words, which article file
    <root>/<key>/article-<gen>.json    text, metadata, captions, comments, status history, other apps' data
    <root>/<key>/blobs/<sha256>        pictures held only in memory or outside the bundle, each written once

Pictures already in the saved bundle are not copied: the copy names the bundle file (and zip member) with its
size, time and sha256, and reading it later checks that it is still the same picture.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import secrets
import shutil
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from editor.core.atomic import atomic_write_bytes
from editor.core.errors import EditorError
from editor.core.instance import Instance, this_instance
from editor.core.model import Article, AssetData
from editor.core.recovery_diff import describe_changes
from editor.core.recovery_format import BLOBS, FORMAT, article_from_json, article_to_json, stat_record

__all__ = ["OTHER_HOST_LIMIT", "RecoveryEntry", "RecoveryError", "RecoveryStore", "describe_changes"]

ENTRY = "entry.json"
CLAIM = "claim.json"
# An entry written on another machine (a shared home folder) cannot be checked for a live owner; it is offered
# only once it has been left alone this long.
OTHER_HOST_LIMIT = timedelta(hours=24)
_KEY = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_MARKER_GRACE = 10.0  # seconds
_ARTICLE = re.compile(r"^article-[0-9a-f-]+\.json$")


class RecoveryError(EditorError):
    """A recovery copy cannot be written, read or taken over."""


@dataclass
class RecoveryEntry:
    """What the start-up dialog shows about one recovery copy."""

    key: str
    source: Path | None  # the bundle the article came from; None if never saved
    title: str
    changed: datetime  # UTC, when the copy was written
    words: int
    fingerprint: str | None  # of the bundle as it was opened or last saved


def _inside(path: Path, folder: Path) -> bool:
    try:
        return os.path.commonpath([os.path.abspath(path), os.path.abspath(folder)]) == os.path.abspath(folder)
    except ValueError:
        return False


def _title_of(article: Article) -> str:
    if article.metadata.title.strip():
        return article.metadata.title.strip()
    for line in article.body.splitlines():
        text = line.strip().lstrip("#").strip()
        if text:
            return text[:80]
    return "Untitled"


class RecoveryStore:
    """Recovery copies kept in one folder; safe to use from several threads for different keys."""

    def __init__(self, root: Path, owner: str | None = None) -> None:
        self.root = Path(root)
        self.owner = owner or str(this_instance())
        self._lock = threading.Lock()
        self._key_locks: dict[str, threading.Lock] = {}
        # Per key: id(data) -> (data, record); keeping `data` alive keeps its id from being reused.
        self._memo: dict[str, dict[int, tuple[AssetData, dict[str, Any]]]] = {}
        self._counter = 0

    # -- writing ---------------------------------------------------------------------------------------------

    def new_key(self) -> str:
        """A fresh key for an article that has no recovery copy yet."""
        return f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(6)}"

    def _folder(self, key: str) -> Path:
        if not isinstance(key, str) or not _KEY.match(key):
            raise RecoveryError(f"“{key}” is not the name of a recovery copy.")
        return self.root / key

    def _key_lock(self, key: str) -> threading.Lock:
        with self._lock:
            return self._key_locks.setdefault(key, threading.Lock())

    def write(self, key: str, article: Article, source: Path | None, fingerprint: str | None) -> None:
        """Write (or replace) the recovery copy under `key`; a crash meanwhile leaves the previous copy whole."""
        folder = self._folder(key)
        with self._key_lock(key):
            try:
                (folder / BLOBS).mkdir(parents=True, exist_ok=True)
                self._write(key, folder, article, source, fingerprint)
            except RecoveryError:
                raise
            except (EditorError, OSError) as exc:
                raise RecoveryError(f"The recovery copy could not be written because {_why(exc, self.root)}.") from exc

    def _write(self, key: str, folder: Path, article: Article, source: Path | None, fingerprint: str | None) -> None:
        with self._lock:
            old_memo = self._memo.get(key, {})
        memo: dict[int, tuple[AssetData, dict[str, Any]]] = {}

        def record(data: AssetData, label: str) -> dict[str, Any]:
            known = old_memo.get(id(data))
            if known is not None and known[0] is data:
                memo[id(data)] = known
                return known[1]
            result = self._record(folder, data, label, source)
            memo[id(data)] = (data, result)
            return result

        payload = article_to_json(article, record)
        try:
            raw = json.dumps(payload, ensure_ascii=True, allow_nan=False).encode("ascii")
        except (TypeError, ValueError) as exc:
            raise RecoveryError(f"The article’s data cannot be stored ({exc}).") from None
        with self._lock:
            self._counter += 1
            name = f"article-{time.time_ns():x}-{self._counter:x}.json"
        atomic_write_bytes(folder / name, raw)
        entry = {
            "format": FORMAT,
            "key": key,
            "owner": self.owner,
            "source": str(source) if source is not None else None,
            "title": _title_of(article),
            "changed": datetime.now(UTC).isoformat(),
            "words": len(article.body.split()),
            "fingerprint": fingerprint,
            "article": name,
            "article_sha256": hashlib.sha256(raw).hexdigest(),
        }
        atomic_write_bytes(folder / ENTRY, json.dumps(entry, ensure_ascii=True, indent=1).encode("ascii"))
        with self._lock:
            self._memo[key] = memo
        self._tidy(folder, name, {r["blob"] for _, r in memo.values() if "blob" in r})

    def _record(self, folder: Path, data: AssetData, label: str, source: Path | None) -> dict[str, Any]:
        """How the copy refers to some bytes: a file of the source bundle, or a blob of its own."""
        where = data.location
        if where is not None:
            path, member = where
            from_bundle = source is not None and (
                (member is None and _inside(path, source))
                or (member is not None and os.path.abspath(path) == os.path.abspath(source))
            )
            if from_bundle:
                return {"file": str(path), "member": member, **stat_record(path)}
            if member is None and path.parent.name == BLOBS and _inside(path, self.root):
                digest = path.name
                target = folder / BLOBS / digest
                if path == target:
                    return {"blob": digest}
                with contextlib.suppress(OSError):
                    if not target.exists():
                        os.link(path, target)
                    return {"blob": digest}
        raw = data.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        target = folder / BLOBS / digest
        if not target.exists():
            atomic_write_bytes(target, raw)
        return {"blob": digest}

    def _tidy(self, folder: Path, current: str, blobs: set[str]) -> None:
        """Remove article files and blobs the entry no longer needs (the entry naming them is already replaced)."""
        with contextlib.suppress(OSError), os.scandir(folder) as listing:
            for item in listing:
                if _ARTICLE.match(item.name) and item.name != current:
                    with contextlib.suppress(OSError):
                        os.unlink(item.path)
        with contextlib.suppress(OSError), os.scandir(folder / BLOBS) as listing:
            for item in listing:
                if item.name not in blobs and not item.name.startswith("."):
                    with contextlib.suppress(OSError):
                        os.unlink(item.path)

    def discard(self, key: str) -> None:
        """Remove the recovery copy (after a successful save, or when the user discards it)."""
        folder = self._folder(key)
        with self._key_lock(key):
            with self._lock:
                self._memo.pop(key, None)
            if folder.exists():
                # Remove the description first, so a half-removed copy is never offered.
                (folder / ENTRY).unlink(missing_ok=True)
                shutil.rmtree(folder, ignore_errors=True)

    # -- reading ---------------------------------------------------------------------------------------------

    def _read_entry(self, key: str) -> dict[str, Any]:
        folder = self._folder(key)
        try:
            entry = json.loads((folder / ENTRY).read_bytes())
            if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("key") != key:
                raise ValueError("not an entry")
            return entry
        except FileNotFoundError:
            raise RecoveryError(f"There is no recovery copy “{key}”.") from None
        except (OSError, ValueError) as exc:
            raise RecoveryError(f"The recovery copy “{key}” is damaged and cannot be read.") from exc

    def _describe(self, key: str, entry: dict[str, Any]) -> RecoveryEntry:
        try:
            changed = datetime.fromisoformat(entry["changed"])
            if changed.tzinfo is None:
                raise ValueError("no time zone")
            source, fingerprint = entry.get("source"), entry.get("fingerprint")
            result = RecoveryEntry(
                key=key, source=Path(source) if source is not None else None, title=str(entry["title"]),
                changed=changed.astimezone(UTC), words=int(entry["words"]),
                fingerprint=str(fingerprint) if fingerprint is not None else None,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise RecoveryError(f"The recovery copy “{key}” is damaged and cannot be read.") from exc
        return result

    def entry(self, key: str) -> RecoveryEntry:
        """The description of one recovery copy; RecoveryError when it is missing or damaged."""
        return self._describe(key, self._read_entry(key))

    def keys(self) -> list[str]:
        """Keys of every copy in the store that has a description, whoever owns it."""
        try:
            names = sorted(p.name for p in self.root.iterdir() if _KEY.match(p.name) and (p / ENTRY).is_file())
        except OSError:
            return []
        return names

    def _is_orphan(self, entry: dict[str, Any], changed: datetime) -> bool:
        owner = entry.get("owner")
        if owner == self.owner:
            return False
        instance = Instance.parse(owner) if isinstance(owner, str) else None
        running = instance.is_running() if instance else None
        if running is None:
            return datetime.now(UTC) - changed > OTHER_HOST_LIMIT
        return not running

    def orphans(self) -> list[RecoveryEntry]:
        """Copies whose instance is no longer running, newest first; unreadable ones are skipped."""
        self._sweep_unfinished()
        found = []
        for key in self.keys():
            try:
                raw = self._read_entry(key)
                described = self._describe(key, raw)
            except RecoveryError:
                continue
            if self._is_orphan(raw, described.changed) and (self.root / key / str(raw.get("article"))).is_file():
                found.append(described)
        found.sort(key=lambda e: e.changed, reverse=True)
        return found

    def _sweep_unfinished(self) -> None:
        """Remove folders whose first copy never completed (a crash within it), once they are a day old."""
        limit = time.time() - OTHER_HOST_LIMIT.total_seconds()
        with contextlib.suppress(OSError), os.scandir(self.root) as listing:
            for item in listing:
                if not _KEY.match(item.name) or not item.is_dir(follow_symlinks=False):
                    continue
                folder = Path(item.path)
                with contextlib.suppress(OSError):
                    if not (folder / ENTRY).exists() and item.stat(follow_symlinks=False).st_mtime < limit:
                        shutil.rmtree(folder, ignore_errors=True)

    def claim(self, key: str) -> RecoveryEntry:
        """Take an orphaned copy over for this instance, so no other window offers it; RecoveryError if taken."""
        folder = self._folder(key)
        with self._key_lock(key):
            entry = self._read_entry(key)
            described = self._describe(key, entry)
            if entry.get("owner") != self.owner and not self._is_orphan(entry, described.changed):
                raise RecoveryError("This recovered article is open in another window.")
            self._take_claim(folder)
            entry["owner"] = self.owner
            try:
                atomic_write_bytes(folder / ENTRY, json.dumps(entry, ensure_ascii=True, indent=1).encode("ascii"))
            except EditorError as exc:
                why = _why(exc, self.root)
                raise RecoveryError(f"The recovered article could not be taken over because {why}.") from exc
            return described

    def _take_claim(self, folder: Path) -> None:
        """Win the race against another instance claiming the same copy at the same moment."""
        marker = folder / CLAIM
        for _ in range(2):
            try:
                fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                try:
                    holder = marker.read_text(encoding="utf-8").strip()
                except OSError:
                    continue
                if holder == self.owner:
                    return
                instance = Instance.parse(holder)
                # An unreadable marker is one being written this instant, or left by a crash long ago.
                gone = instance.is_running() is False if instance is not None else _age(marker) > _MARKER_GRACE
                if gone:
                    marker.unlink(missing_ok=True)
                    continue
                raise RecoveryError("This recovered article is being restored in another window.") from None
            except OSError as exc:
                raise RecoveryError(f"The recovered article could not be taken over ({exc.strerror}).") from exc
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(self.owner)
            return
        raise RecoveryError("This recovered article is being restored in another window.")

    def load(self, key: str) -> Article:
        """The article exactly as last written under `key`; RecoveryError (one sentence) when it is damaged."""
        folder = self._folder(key)
        entry = self._read_entry(key)
        damaged = f"The recovery copy “{key}” is damaged and cannot be read."
        try:
            name = str(entry["article"])
            if not _ARTICLE.match(name):
                raise ValueError("bad article file name")
            raw = (folder / name).read_bytes()
            if hashlib.sha256(raw).hexdigest() != entry.get("article_sha256"):
                raise ValueError("article file does not match its description")
            return article_from_json(json.loads(raw), folder / BLOBS)
        except (OSError, KeyError, TypeError, ValueError, AttributeError) as exc:
            raise RecoveryError(damaged) from exc


def _age(path: Path) -> float:
    try:
        return time.time() - os.stat(path).st_mtime
    except OSError:
        return 0.0


def _why(exc: BaseException, root: Path) -> str:
    """The cause of a failed write as a clause, naming the store's folder rather than a hidden temporary file."""
    cause = exc if isinstance(exc, OSError) else exc.__cause__
    if isinstance(cause, OSError):
        if cause.errno == errno.ENOSPC:
            return "the disk is full"
        if cause.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return f"there is no permission to write in “{root}”"
        return f"of an error ({cause.strerror or cause})"
    return f"of an error ({str(exc).rstrip('.')})"
