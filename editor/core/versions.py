"""Named versions of an article, kept inside its bundle.

Each version is one small JSON file, org.article-editor/versions/<id>.json, holding the text, the metadata,
every image's words and its sha256, the comments and the status history. Image bytes are not copied: an
image the article still has (under any name, matched by sha256) serves every version that shows it. An image
that a version needs but the article no longer has is kept once, by content, as org.article-editor/objects/
<sha256>; keep_objects() puts it there (the window calls it whenever the images change) and drops objects
no version needs any more. Version ids begin with the UTC time, so sorting them sorts by age.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import zipfile
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from editor import APP_ID
from editor.core.bundle_files import MAX_ASSET_SIZE, bundle_kind
from editor.core.bundle_write import zip_root
from editor.core.errors import EditorError
from editor.core.model import (
    Article,
    AssetData,
    Comment,
    ImageAsset,
    Metadata,
    Reply,
    Status,
    StatusChange,
    sha256_hex,
)
from editor.core.safezip import SafeZip, ZipAssetData

VERSIONS_DIR = f"{APP_ID}/versions/"
OBJECTS_DIR = f"{APP_ID}/objects/"
VERSION_FORMAT = 1
_ASSET_TEXT = ("alt", "caption", "credit", "source_url", "licence")
_HEX = frozenset("0123456789abcdef")


class VersionError(EditorError):
    """A version cannot be found, read or restored."""


@dataclass(frozen=True)
class VersionInfo:
    """What the list of versions shows about one version."""

    id: str
    name: str
    author: str
    created: str  # ISO 8601 date-time, UTC
    words: int = 0
    automatic: bool = False  # kept by "a version on every save" rather than by hand


@dataclass
class RestoredVersion:
    """The article as a version had it, with what could not be brought back."""

    article: Article
    missing_images: list[str] = field(default_factory=list)


class _MissingImage(AssetData):
    """Stands in for the bytes of an image this version names but the bundle no longer keeps."""

    def __init__(self, name: str) -> None:
        super().__init__(b"")
        self._name = name

    def read_bytes(self) -> bytes:
        """Always fails: the bytes are gone."""
        raise VersionError(f"The image “{self._name}” of this version is no longer kept in the bundle.")


def version_path(version_id: str) -> str:
    """The bundle-relative path of a version's file."""
    return f"{VERSIONS_DIR}{version_id}.json"


def object_path(sha256: str) -> str:
    """The bundle-relative path where an image no longer in the article is kept by content."""
    return f"{OBJECTS_DIR}{sha256}"


def new_version_id(when: datetime) -> str:
    """A unique id that sorts by time: the UTC instant to the microsecond, then a random tail."""
    utc = when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)
    return f"{utc:%Y%m%dT%H%M%S%fZ}-{secrets.token_hex(3)}"


def _metadata_json(meta: Metadata) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for item in fields(Metadata):
        value = getattr(meta, item.name)
        data[item.name] = value.value if isinstance(value, Status) else value
    return data


def _metadata_from(data: Any) -> Metadata:
    meta = Metadata()
    if not isinstance(data, dict):
        return meta
    for item in fields(Metadata):
        value, default = data.get(item.name), getattr(meta, item.name)
        if isinstance(default, Status):
            with contextlib.suppress(ValueError):
                meta.status = Status(value)
        elif isinstance(default, list) and isinstance(value, list):
            setattr(meta, item.name, [str(v) for v in value])
        elif isinstance(default, dict) and isinstance(value, dict):
            setattr(meta, item.name, {str(k): str(v) for k, v in value.items()})
        elif isinstance(default, str) and isinstance(value, str):
            setattr(meta, item.name, value)
    return meta


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _comment_from(data: Any) -> Comment | None:
    if not isinstance(data, dict):
        return None
    replies = [Reply(author=_text(r, "author"), created=_text(r, "created"), text=_text(r, "text"))
               for r in data.get("replies", []) if isinstance(r, dict)] if isinstance(data.get("replies"), list) else []
    number = {k: v if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else 0
              for k, v in ((k, data.get(k)) for k in ("start", "end"))}
    return Comment(id=_text(data, "id"), author=_text(data, "author"), created=_text(data, "created"),
                   text=_text(data, "text"), start=number["start"], end=number["end"], quote=_text(data, "quote"),
                   resolved=data.get("resolved") is True, detached=data.get("detached") is True, replies=replies)


def _status_from(data: Any) -> StatusChange | None:
    if not isinstance(data, dict):
        return None
    try:
        status = Status(data.get("status"))
    except ValueError:
        return None
    return StatusChange(status=status, author=_text(data, "author"), when=_text(data, "when"))


def _asset_json(asset: ImageAsset) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": asset.name, "sha256": asset.sha256 or sha256_hex(asset.data.read_bytes())}
    entry.update({key: getattr(asset, key) for key in _ASSET_TEXT})
    entry.update(width=asset.width, height=asset.height)
    return entry


def _word_count(text: str) -> int:
    return len(text.split())


def snapshot_bytes(article: Article, info: VersionInfo) -> bytes:
    """The JSON file of a version of this article."""
    data = {
        "formatVersion": VERSION_FORMAT,
        "id": info.id,
        "name": info.name,
        "author": info.author,
        "created": info.created,
        "automatic": info.automatic,
        "body": article.body,
        "metadata": _metadata_json(article.metadata),
        "assets": [_asset_json(asset) for asset in article.assets],
        "comments": [_comment_json(c) for c in article.comments],
        "statusHistory": [{"status": s.status.value, "author": s.author, "when": s.when}
                          for s in article.status_history],
    }
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _comment_json(comment: Comment) -> dict[str, Any]:
    data = {item.name: getattr(comment, item.name) for item in fields(Comment) if item.name != "replies"}
    data["replies"] = [{"author": r.author, "created": r.created, "text": r.text} for r in comment.replies]
    return data


def save_version(article: Article, name: str, author: str, when: datetime, *,
                 automatic: bool = False) -> VersionInfo:
    """Keep the article's current state as a named version in article.private_files; returns what was kept."""
    utc = when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)
    info = VersionInfo(id=new_version_id(utc), name=" ".join(name.split()) or _default_name(utc),
                       author=author.strip(), created=utc.isoformat(timespec="seconds"),
                       words=_word_count(article.body), automatic=automatic)
    article.private_files[version_path(info.id)] = AssetData(snapshot_bytes(article, info))
    return info


def _default_name(when: datetime) -> str:
    return f"Version of {when:%Y-%m-%d %H:%M} UTC"


def _read_json(article: Article, version_id: str) -> dict[str, Any]:
    data = article.private_files.get(version_path(version_id))
    if data is None:
        raise VersionError("That version is not in this article any more.")
    try:
        parsed = json.loads(data.read_bytes().decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise VersionError("The saved version is damaged and cannot be read.") from None
    if not isinstance(parsed, dict) or not isinstance(parsed.get("body"), str):
        raise VersionError("The saved version is damaged and cannot be read.")
    return parsed


def _info_from(version_id: str, data: dict[str, Any]) -> VersionInfo:
    return VersionInfo(id=version_id, name=_text(data, "name") or version_id, author=_text(data, "author"),
                       created=_text(data, "created"), words=_word_count(_text(data, "body")),
                       automatic=data.get("automatic") is True)


def version_ids(article: Article) -> list[str]:
    """The ids of the article's versions, oldest first."""
    ids = []
    for rel in article.private_files:
        if rel.startswith(VERSIONS_DIR) and rel.endswith(".json") and rel.count("/") == 2:
            ids.append(rel[len(VERSIONS_DIR):-len(".json")])
    return sorted(ids)


def list_versions(article: Article) -> list[VersionInfo]:
    """The article's versions, oldest first; a damaged version file is left out."""
    found = []
    for version_id in version_ids(article):
        try:
            found.append(_info_from(version_id, _read_json(article, version_id)))
        except EditorError:
            continue
    return found


def _asset_from(entry: Any, sources: dict[str, AssetData]) -> ImageAsset | None:
    if not isinstance(entry, dict) or not _text(entry, "name") or "/" in entry["name"]:
        return None
    sha = _text(entry, "sha256")
    name = entry["name"]
    asset = ImageAsset(name=name, data=sources.get(sha) or _MissingImage(name), sha256=sha)
    for key in _ASSET_TEXT:
        setattr(asset, key, _text(entry, key))
    for key in ("width", "height"):
        value = entry.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            setattr(asset, key, value)
    return asset


def image_sources(article: Article) -> dict[str, AssetData]:
    """Where the bytes of each known image live, by sha256: the article's images, then kept objects."""
    sources: dict[str, AssetData] = {}
    for rel, data in article.private_files.items():
        if rel.startswith(OBJECTS_DIR) and _is_sha(rel[len(OBJECTS_DIR):]):
            sources[rel[len(OBJECTS_DIR):]] = data
    for asset in article.assets:
        if asset.sha256:
            sources[asset.sha256] = asset.data
    return sources


def _is_sha(text: str) -> bool:
    return len(text) == 64 and set(text) <= _HEX


def load_version(article: Article, version_id: str) -> Article:
    """The article as the version had it (sharing image bytes with `article`); raise VersionError if unreadable.

    An image whose bytes are no longer kept is still listed, but reading it raises VersionError.
    """
    data = _read_json(article, version_id)
    sources = image_sources(article)
    assets: list[ImageAsset] = []
    seen: set[str] = set()
    for entry in data.get("assets", []) if isinstance(data.get("assets"), list) else []:
        asset = _asset_from(entry, sources)
        if asset is not None and asset.name not in seen:
            seen.add(asset.name)
            assets.append(asset)
    comments = [c for c in map(_comment_from, _list(data, "comments")) if c is not None]
    history = [s for s in map(_status_from, _list(data, "statusHistory")) if s is not None]
    return Article(body=data["body"], metadata=_metadata_from(data.get("metadata")), assets=assets,
                   foreign_info=dict(article.foreign_info), comments=comments, status_history=history,
                   private_files=dict(article.private_files))


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    return value if isinstance(value, list) else []


def version_text(article: Article, version_id: str) -> str:
    """The Markdown text of a version."""
    return str(_read_json(article, version_id)["body"])


def restore_version(article: Article, version_id: str) -> RestoredVersion:
    """The article with the version's text, metadata and images put back; review data stays as it is now.

    The comments, the status history and the current status belong to the review, not to the text, so
    they are kept; images whose bytes are gone are left out and named in missing_images.
    """
    old = load_version(article, version_id)
    missing = [a.name for a in old.assets if isinstance(a.data, _MissingImage)]
    old.metadata.status = article.metadata.status
    restored = Article(body=old.body, metadata=old.metadata,
                       assets=[a for a in old.assets if not isinstance(a.data, _MissingImage)],
                       foreign_info=dict(article.foreign_info), comments=list(article.comments),
                       status_history=list(article.status_history), private_files=dict(article.private_files))
    return RestoredVersion(restored, missing)


def delete_version(article: Article, version_id: str) -> None:
    """Forget a version (the next save leaves it out of the bundle); objects it alone needed go too."""
    article.private_files.pop(version_path(version_id), None)
    keep_objects(article.private_files, article.assets, {})


def needed_images(private_files: dict[str, AssetData], cache: dict[str, frozenset[str]] | None = None) -> set[str]:
    """The sha256 of every image some version shows; `cache` (by version file) spares reading a file twice."""
    needed: set[str] = set()
    probe = Article(private_files=private_files)
    cache = {} if cache is None else cache
    for version_id in version_ids(probe):
        rel = version_path(version_id)
        if rel not in cache:
            # A version file never changes once written (ids are unique), so its images can be remembered.
            try:
                data = _read_json(probe, version_id)
            except EditorError:
                continue
            cache[rel] = frozenset(entry["sha256"] for entry in _list(data, "assets")
                                   if isinstance(entry, dict) and _is_sha(_text(entry, "sha256")))
        needed |= cache[rel]
    return needed


def keep_objects(private_files: dict[str, AssetData], assets: list[ImageAsset], known: dict[str, AssetData],
                 cache: dict[str, frozenset[str]] | None = None) -> list[str]:
    """Make private_files keep, by content, every image a version needs that `assets` lacks; drop unneeded ones.

    `known` maps sha256 to bytes seen earlier (an image just removed from the article). Returns the sha256
    of needed images whose bytes could not be found anywhere.
    """
    needed = needed_images(private_files, cache)
    present = {a.sha256 for a in assets if a.sha256}
    lost = []
    for rel in [r for r in private_files if r.startswith(OBJECTS_DIR)]:
        sha = rel[len(OBJECTS_DIR):]
        if sha not in needed or sha in present:
            del private_files[rel]
    for sha in sorted(needed - present):
        rel = object_path(sha)
        if rel in private_files:
            continue
        if sha in known:
            private_files[rel] = known[sha]
        else:
            lost.append(sha)
    return lost


def rebind_private_files(private_files: dict[str, AssetData], path: Path) -> None:
    """Point our own files at their copies in the bundle just saved at `path`, so older copies may go.

    Files the saved bundle does not hold (added while it was being written) keep their bytes where they are.
    """
    path = Path(path)
    if bundle_kind(path) == "zip":
        try:
            with SafeZip(path) as archive:
                members = set(archive.names())
        except (EditorError, OSError, zipfile.BadZipFile):
            return
        root = zip_root(path)
        for rel in list(private_files):
            if root + rel in members:
                private_files[rel] = ZipAssetData(path, root + rel, MAX_ASSET_SIZE)
        return
    for rel in list(private_files):
        if (path / rel).is_file():
            private_files[rel] = AssetData(path / rel)
