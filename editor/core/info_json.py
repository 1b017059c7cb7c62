"""info.json of a TextBundle: the standard keys, other apps' keys, and our own data under editor.APP_ID."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any

from editor import APP_ID
from editor.core.model import Comment, Metadata, Reply, Status, StatusChange

# 2: review data (comments, statusHistory) added.
FORMAT_VERSION = 2
TEXT_TYPE = "net.daringfireball.markdown"
# Keys the TextBundle spec defines and we write ourselves; everything else at the top level is another app's.
STANDARD_KEYS = ("version", "type", "transient", "creatorURL", "creatorIdentifier")
ASSET_STR_FIELDS = ("alt", "caption", "credit", "source_url", "licence", "sha256")
ASSET_INT_FIELDS = ("width", "height")


@dataclass
class AssetInfo:
    """What our info.json says about one asset."""

    name: str
    alt: str = ""
    caption: str = ""
    credit: str = ""
    source_url: str = ""
    licence: str = ""
    sha256: str = ""
    width: int = 0
    height: int = 0


@dataclass
class BundleInfo:
    """The parsed info.json: other apps' keys, and our data when present."""

    foreign: dict[str, Any] = field(default_factory=dict)
    ours: bool = False  # whether our key was present
    format_version: int = 0
    metadata: Metadata = field(default_factory=Metadata)
    assets: list[AssetInfo] = field(default_factory=list)
    text_sha256: str = ""
    injected_lines: list[int] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    status_history: list[StatusChange] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def strip_trailing_commas(text: str) -> str:
    """JSON text with commas before a closing bracket removed, leaving string contents alone."""
    out = []
    in_string = False
    escaped = False
    i = 0
    while i < len(text):
        char = text[i]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == ",":
            j = i + 1
            while j < len(text) and text[j] in " \t\r\n":
                j += 1
            if j < len(text) and text[j] in "}]":
                i += 1
                continue
        out.append(char)
        i += 1
    return "".join(out)


def loads_tolerant(raw: bytes) -> Any:
    """Parse JSON as other apps write it (BOM, trailing commas); raise ValueError if still unreadable."""
    text = raw.decode("utf-8-sig")
    try:
        try:
            return json.loads(text)
        except ValueError:
            return json.loads(strip_trailing_commas(text))
    except RecursionError:
        # Thousands of nested brackets are no app's data; the parser recurses once per level.
        raise ValueError("The JSON is nested too deeply.") from None


def _metadata_to_json(meta: Metadata) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for item in fields(Metadata):
        value = getattr(meta, item.name)
        if isinstance(value, Status):
            value = value.value
        elif isinstance(value, list):
            value = list(value)
        elif isinstance(value, dict):
            value = dict(value)
        data[item.name] = value
    return data


def _metadata_from_json(data: Any, warnings: list[str]) -> Metadata:
    meta = Metadata()
    if not isinstance(data, dict):
        return meta
    for item in fields(Metadata):
        if item.name not in data:
            continue
        value = data[item.name]
        default = getattr(meta, item.name)
        if isinstance(default, Status):
            try:
                meta.status = Status(value)
            except ValueError:
                warnings.append(f"The status “{value}” is unknown; the article is marked as a draft.")
        elif isinstance(default, list):
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                setattr(meta, item.name, list(value))
        elif isinstance(default, dict):
            if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
                setattr(meta, item.name, dict(value))
        elif isinstance(value, str):
            setattr(meta, item.name, value)
    return meta


def _asset_from_json(data: Any) -> AssetInfo | None:
    if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not data["name"]:
        return None
    asset = AssetInfo(name=data["name"])
    for key in ASSET_STR_FIELDS:
        if isinstance(data.get(key), str):
            setattr(asset, key, data[key])
    for key in ASSET_INT_FIELDS:
        value = data.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            setattr(asset, key, value)
    return asset


def _upgrade(data: dict[str, Any], version: int) -> dict[str, Any]:
    """Bring our data from an older formatVersion to the current one."""
    # Version 0 is data written before formatVersion existed; its layout is that of version 1.
    data = dict(data)
    if version <= 1:
        # Version 2 added review data; older bundles have none.
        data["comments"] = []
        data["statusHistory"] = []
    return data


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _offset(data: dict[str, Any], key: str) -> int:
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _comment_to_json(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.id, "author": comment.author, "created": comment.created, "text": comment.text,
        "start": comment.start, "end": comment.end, "quote": comment.quote,
        "resolved": comment.resolved, "detached": comment.detached,
        "replies": [{"author": r.author, "created": r.created, "text": r.text} for r in comment.replies],
    }


def _comment_from_json(data: Any) -> Comment | None:
    if not isinstance(data, dict):
        return None
    replies = data.get("replies")
    start = _offset(data, "start")
    return Comment(
        id=_text(data, "id"), author=_text(data, "author"), created=_text(data, "created"),
        text=_text(data, "text"), start=start, end=max(start, _offset(data, "end")), quote=_text(data, "quote"),
        resolved=data.get("resolved") is True, detached=data.get("detached") is True,
        replies=[Reply(author=_text(r, "author"), created=_text(r, "created"), text=_text(r, "text"))
                 for r in (replies if isinstance(replies, list) else []) if isinstance(r, dict)],
    )


def _status_change_to_json(change: StatusChange) -> dict[str, Any]:
    # Status(...) also accepts the plain strings that data read back from elsewhere may hold.
    data: dict[str, Any] = {"status": Status(change.status).value, "author": change.author, "when": change.when}
    if change.previous is not None:
        data["previous"] = Status(change.previous).value
    return data


def _status_change_from_json(data: Any) -> StatusChange | None:
    if not isinstance(data, dict):
        return None
    try:
        status = Status(data.get("status"))
        previous = Status(data["previous"]) if "previous" in data else None
    except ValueError:
        return None
    return StatusChange(status=status, author=_text(data, "author"), when=_text(data, "when"), previous=previous)


def _review_from_json(ours: dict[str, Any], info: BundleInfo) -> None:
    comments = ours.get("comments")
    for item in comments if isinstance(comments, list) else []:
        comment = _comment_from_json(item)
        if comment is not None:
            info.comments.append(comment)
    history = ours.get("statusHistory")
    skipped = 0
    for item in history if isinstance(history, list) else []:
        change = _status_change_from_json(item)
        if change is None:
            skipped += 1
        else:
            info.status_history.append(change)
    if skipped:
        info.warnings.append("Some steps of the status history name an unknown status and were left out.")


def parse_info(raw: bytes | None) -> BundleInfo:
    """Read info.json bytes (None when the file is missing) into a BundleInfo; never raises on bad content."""
    info = BundleInfo()
    if raw is None:
        info.warnings.append("The bundle has no info.json; captions and metadata start empty.")
        return info
    try:
        data = loads_tolerant(raw)
    except (ValueError, UnicodeDecodeError):
        info.warnings.append("The bundle’s info.json is unreadable; captions and metadata start empty.")
        return info
    if not isinstance(data, dict):
        info.warnings.append("The bundle’s info.json is not a JSON object; captions and metadata start empty.")
        return info
    info.foreign = {k: v for k, v in data.items() if k not in STANDARD_KEYS and k != APP_ID}
    ours = data.get(APP_ID)
    if not isinstance(ours, dict):
        return info
    info.ours = True
    version = ours.get("formatVersion", 0)
    if not isinstance(version, int) or isinstance(version, bool):
        version = 0
    info.format_version = version
    if version > FORMAT_VERSION:
        info.warnings.append(
            "This bundle was saved by a newer version of the editor; details it added will be lost if you save it here."
        )
    elif version < FORMAT_VERSION:
        ours = _upgrade(ours, version)
    info.metadata = _metadata_from_json(ours.get("metadata"), info.warnings)
    seen: set[str] = set()
    for item in ours.get("assets", []) if isinstance(ours.get("assets"), list) else []:
        asset = _asset_from_json(item)
        if asset and asset.name not in seen:
            seen.add(asset.name)
            info.assets.append(asset)
    if isinstance(ours.get("textSha256"), str):
        info.text_sha256 = ours["textSha256"]
    lines = ours.get("injectedLines")
    if isinstance(lines, list) and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in lines):
        info.injected_lines = sorted(set(lines))
    _review_from_json(ours, info)
    return info


def build_info(
    metadata: Metadata,
    assets: list[AssetInfo],
    foreign: dict[str, Any],
    text_sha256: str,
    injected_lines: list[int],
    comments: list[Comment] | None = None,
    status_history: list[StatusChange] | None = None,
) -> bytes:
    """The info.json bytes for a bundle we write."""
    data: dict[str, Any] = {
        "version": 2,
        "type": TEXT_TYPE,
        "transient": False,
        "creatorIdentifier": APP_ID,
    }
    for key, value in foreign.items():
        if key not in STANDARD_KEYS and key != APP_ID:
            data[key] = value
    data[APP_ID] = {
        "formatVersion": FORMAT_VERSION,
        "metadata": _metadata_to_json(metadata),
        "assets": [
            {"name": a.name, **{k: getattr(a, k) for k in ASSET_STR_FIELDS + ASSET_INT_FIELDS}} for a in assets
        ],
        "textSha256": text_sha256,
        "injectedLines": list(injected_lines),
        "comments": [_comment_to_json(c) for c in comments or []],
        "statusHistory": [_status_change_to_json(c) for c in status_history or []],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
