"""The recovery copy's article file: an Article as JSON, pictures named by blob or by the bundle file they are in."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from editor.core.errors import EditorError
from editor.core.model import Article, AssetData, Comment, ImageAsset, Metadata, Reply, Status, StatusChange
from editor.core.safezip import ZipAssetData

FORMAT = 1
BLOBS = "blobs"
_ZIP_LIMIT = 1024**3
_BLOB_NAME = re.compile(r"^[0-9a-f]{64}$")
_STAT_KEYS = ("size", "mtime_ns", "ino")


class CheckedData(AssetData):
    """Bytes in a file the recovery copy did not write: refused if the file is no longer the one recorded."""

    def __init__(self, record: dict[str, Any], label: str) -> None:
        path, member = Path(record["file"]), record.get("member")
        super().__init__(path, member)
        self._reader = ZipAssetData(path, member, _ZIP_LIMIT) if member else AssetData(path)
        self._record = record
        self._label = label

    def read_bytes(self) -> bytes:
        """The bytes, when they are still the ones the copy referred to; else EditorError."""
        same = stat_record(Path(self._record["file"])) == {k: self._record.get(k) for k in _STAT_KEYS}
        data = self._reader.read_bytes()
        wanted = self._record.get("sha256", "")
        if not same and (not wanted or hashlib.sha256(data).hexdigest() != wanted):
            raise EditorError(f"The image “{self._label}” was changed on disk after the recovery copy was made.")
        return data


def stat_record(path: Path) -> dict[str, Any]:
    """Size, time and inode of a file: unchanged, they show the file still holds the same bytes ({} if gone)."""
    try:
        info = os.stat(path)
    except OSError:
        return {}
    return {"size": info.st_size, "mtime_ns": info.st_mtime_ns, "ino": info.st_ino}


def _data_from(record: dict[str, Any], blobs: Path, label: str) -> AssetData:
    if "blob" in record:
        digest = str(record["blob"])
        if not _BLOB_NAME.match(digest):
            raise ValueError("bad blob name")
        path = blobs / digest
        if not path.is_file():
            raise ValueError(f"missing picture {label}")
        return AssetData(path)
    if not isinstance(record.get("file"), str):
        raise ValueError("bad record")
    return CheckedData(record, label)


def article_from_json(data: dict[str, Any], blobs: Path) -> Article:
    """The article an article file describes; ValueError, KeyError or TypeError when it is damaged."""
    if data.get("format") != FORMAT or not isinstance(data["body"], str):
        raise ValueError("unknown format")
    meta = dict(data["metadata"])
    meta["status"] = Status(meta["status"])
    assets = []
    for item in data["assets"]:
        record = item.pop("data")
        assets.append(ImageAsset(**item, data=_data_from(record, blobs, item["name"])))
    comments = []
    for item in data["comments"]:
        replies = [Reply(**r) for r in item.pop("replies")]
        comments.append(Comment(**item, replies=replies))
    history = [StatusChange(**{**s, "status": Status(s["status"])}) for s in data["status_history"]]
    private = {str(rel): _data_from(rec, blobs, str(rel)) for rel, rec in data["private_files"].items()}
    if not isinstance(data["foreign_info"], dict):
        raise ValueError("bad foreign data")
    return Article(
        body=data["body"], metadata=Metadata(**meta), assets=assets, foreign_info=data["foreign_info"],
        comments=comments, status_history=history, private_files=private,
    )


def article_to_json(article: Article, record: Callable[[AssetData, str], dict[str, Any]]) -> dict[str, Any]:
    """The article as JSON-ready data; `record` says how the bytes of each picture or private file are kept."""
    assets = []
    for asset in article.assets:
        item = {f.name: getattr(asset, f.name) for f in fields(ImageAsset) if f.name != "data"}
        item["data"] = {**record(asset.data, asset.name), "sha256": asset.sha256}
        assets.append(item)
    return {
        "format": FORMAT,
        "body": article.body,
        "metadata": asdict(article.metadata),
        "assets": assets,
        "foreign_info": article.foreign_info,
        "comments": [asdict(c) for c in article.comments],
        "status_history": [asdict(s) for s in article.status_history],
        "private_files": {rel: record(d, rel) for rel, d in article.private_files.items()},
    }
