"""Front matter of Markdown files (YAML `---`, TOML `+++`, JSON `{`) and how metadata maps to Hugo and Jekyll keys.

Hugo keys written for an article (see docs/cli.md): `title`, `date`, `lastmod` (updated), `draft` (status is
not "published"), `slug` (the effective slug), `summary`, `description` (the subtitle), `tags`,
`categories` (the section), `images` (the featured image), and under `params`: `subtitle`, `authors`,
`language`, `status`, `source_url`, `custom` (the custom fields). Hugo reads a page's language from its
file name or folder, never from front matter, so the language lives in `params`. Dates Hugo cannot read
as written (e.g. `2024-01-16T09:30`) are written in a form it can read and kept as written under
`params.written_dates`, so importing gives them back unchanged.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import yaml

from editor.core.errors import EditorError
from editor.core.model import ImageAsset, Metadata, Status, make_slug, parse_date


class FrontMatterError(EditorError):
    """The front matter of a Markdown file cannot be read; the sentence says why."""

MAX_FRONT_MATTER = 1024 * 1024

_YAML_OPEN = re.compile(r"---[ \t]*\r?\n")
_YAML_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.MULTILINE)
_TOML_OPEN = re.compile(r"\+\+\+[ \t]*\r?\n")
_TOML_CLOSE = re.compile(r"^\+\+\+[ \t]*(?:\r?\n|\Z)", re.MULTILINE)
_SPACED_DATE = re.compile(
    r"^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d(?::\d\d(?:\.\d+)?)?)\s*(Z|[+-]\d\d:?\d\d)?$"
)
_HUGO_DATE = re.compile(r"^\d{4}-\d\d-\d\d(?:T\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?)?$")

# Keys read into named fields, so they are not also kept as custom fields.
_KNOWN = frozenset({
    "title", "date", "lastmod", "updated", "last_modified_at", "modified", "draft", "published", "slug",
    "summary", "excerpt", "description", "subtitle", "dek", "tags", "categories", "category", "section",
    "authors", "author", "images", "image", "featured_image", "feature_image", "language", "lang",
    "languagecode", "status", "source_url", "canonical_url", "canonicalurl", "custom", "params",
    "resources", "written_dates",
})


def _end_of_block(text: str, start: int, close: re.Pattern[str], what: str) -> tuple[str, str]:
    match = close.search(text, start)
    if match is None:
        raise FrontMatterError(f"The {what} front matter is never closed.")
    if match.start() - start > MAX_FRONT_MATTER:
        raise FrontMatterError(f"The front matter is larger than {MAX_FRONT_MATTER // 1024} KB, so it was not read.")
    return text[start:match.start()], _drop_blank_line(text[match.end():])


def _drop_blank_line(body: str) -> str:
    # Writers put one blank line after the front matter; it belongs to neither part.
    if body.startswith("\r\n"):
        return body[2:]
    return body[1:] if body.startswith("\n") else body


def split_front_matter(text: str) -> tuple[dict, str, str]:
    """(data, body, kind) where kind is "yaml", "toml", "json" or "" when the text has no front matter."""
    text = text.removeprefix("\ufeff")
    if _YAML_OPEN.match(text):
        raw, body = _end_of_block(text, _YAML_OPEN.match(text).end(), _YAML_CLOSE, "YAML")
        data = _load_yaml(raw)
        # Plain words between two rules are Markdown text, not front matter.
        return (data, body, "yaml") if data is not None else ({}, text, "")
    if _TOML_OPEN.match(text):
        raw, body = _end_of_block(text, _TOML_OPEN.match(text).end(), _TOML_CLOSE, "TOML")
        try:
            return tomllib.loads(raw), body, "toml"
        except tomllib.TOMLDecodeError as exc:
            raise FrontMatterError(f"The TOML front matter cannot be read ({exc}).") from None
    if text.startswith("{"):
        return _load_json(text)
    return {}, text, ""


def _load_yaml(raw: str) -> dict | None:
    try:
        # Aliases let a few bytes stand for a huge tree; front matter has no use for them.
        if any(isinstance(token, yaml.AliasToken) for token in yaml.scan(raw)):
            raise FrontMatterError("The YAML front matter uses aliases (*name), which are not accepted.")
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "it is not valid YAML"
        raise FrontMatterError(f"The YAML front matter cannot be read{where}: {problem}.") from None
    if data is None:
        return {}
    if isinstance(data, str | int | float):
        return None
    if not isinstance(data, dict):
        raise FrontMatterError("The YAML front matter is not a set of keys and values.")
    return data


def _load_json(text: str) -> tuple[dict, str, str]:
    try:
        data, end = json.JSONDecoder().raw_decode(text[: MAX_FRONT_MATTER + 1])
    except json.JSONDecodeError as exc:
        if len(text) > MAX_FRONT_MATTER:
            raise FrontMatterError(
                f"The front matter is larger than {MAX_FRONT_MATTER // 1024} KB, so it was not read."
            ) from None
        raise FrontMatterError(f"The JSON front matter cannot be read ({exc.msg} at line {exc.lineno}).") from None
    if not isinstance(data, dict):
        raise FrontMatterError("The JSON front matter is not a set of keys and values.")
    rest = _drop_blank_line(text[end:])  # the end of the object's own line
    return data, _drop_blank_line(rest), "json"


class _Dumper(yaml.SafeDumper):
    """YAML writer that quotes strings holding characters YAML would otherwise read back differently."""


def _string(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    risky = any(char in "\x85\u2028\u2029\ufeff" or not char.isprintable() for char in value if char not in " ")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"' if risky else None)


_Dumper.add_representer(str, _string)


def yaml_front_matter(data: Mapping[str, Any], body: str) -> str:
    """A Markdown file: `---`, the data as YAML, `---`, a blank line, then the body."""
    dumped = yaml.dump(dict(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
                       width=4096)
    return f"---\n{dumped}---\n\n{body}"


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


# Shared by export and import so both leave code blocks alone.
def fenced_lines(lines: list[str]) -> set[int]:
    """Indexes of lines inside fenced code blocks (fences included), whose text is never rewritten."""
    inside: set[int] = set()
    fence = ""
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence:
            inside.add(index)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
        elif match:
            fence = match.group(1)
            inside.add(index)
    return inside


# ---- writing ----------------------------------------------------------------------------------------------


def hugo_date(value: str) -> str:
    """The date in a form Hugo reads, or "" when it is not a date at all."""
    text = value.strip()
    if _HUGO_DATE.match(text):
        return text
    try:
        parsed = parse_date(text)
    except EditorError:
        return ""
    return parsed.isoformat() if parsed is not None else ""


def _dates(meta: Metadata) -> tuple[dict[str, str], dict[str, str]]:
    shown: dict[str, str] = {}
    written: dict[str, str] = {}
    for key, value in (("date", meta.date), ("lastmod", meta.updated)):
        if not value:
            continue
        readable = hugo_date(value)
        if readable:
            shown[key] = readable
        if readable != value:
            written[key] = value
    return shown, written


def resource_entry(asset: ImageAsset) -> dict[str, Any]:
    """One Hugo `resources` item: the file, its caption as `title`, the other words in `params`."""
    entry: dict[str, Any] = {"src": asset.name}
    if asset.caption:
        entry["title"] = asset.caption
    params = {key: getattr(asset, key) for key in ("alt", "credit", "source_url", "licence") if getattr(asset, key)}
    if params:
        entry["params"] = params
    return entry


def metadata_to_hugo(meta: Metadata, assets: Iterable[ImageAsset] = ()) -> dict[str, Any]:
    """Hugo front matter for an article's metadata, with a `resources` entry for each asset."""
    shown, written = _dates(meta)
    data: dict[str, Any] = {"title": meta.title}
    if "date" in shown:
        data["date"] = shown["date"]
    if "lastmod" in shown:
        data["lastmod"] = shown["lastmod"]
    data["draft"] = meta.status is not Status.PUBLISHED
    data["slug"] = meta.effective_slug
    for key, value in (("summary", meta.summary), ("description", meta.subtitle)):
        if value:
            data[key] = value
    if meta.tags:
        data["tags"] = list(meta.tags)
    if meta.section:
        data["categories"] = [meta.section]
    if meta.featured_image:
        data["images"] = [meta.featured_image]
    params: dict[str, Any] = {"status": str(meta.status), "language": meta.language}
    for key, value in (("subtitle", meta.subtitle), ("authors", list(meta.authors)),
                       ("source_url", meta.source_url), ("custom", dict(meta.custom))):
        if value:
            params[key] = value
    if written:
        params["written_dates"] = written
    data["params"] = params
    resources = [resource_entry(asset) for asset in assets]
    if resources:
        data["resources"] = resources
    return data


def metadata_to_jekyll(meta: Metadata) -> dict[str, Any]:
    """Jekyll front matter for an article's metadata; custom fields become top-level keys where free."""
    data: dict[str, Any] = {"layout": "post", "title": meta.title}
    if meta.date:
        data["date"] = meta.date
    if meta.updated:
        data["last_modified_at"] = meta.updated
    data["published"] = meta.status is Status.PUBLISHED
    data["status"] = str(meta.status)
    data["slug"] = meta.effective_slug
    for key, value in (("description", meta.subtitle), ("excerpt", meta.summary), ("image", meta.featured_image),
                       ("lang", meta.language), ("source_url", meta.source_url)):
        if value:
            data[key] = value
    if meta.authors:
        data["author"] = meta.authors[0] if len(meta.authors) == 1 else list(meta.authors)
    if meta.section:
        data["categories"] = [meta.section]
    if meta.tags:
        data["tags"] = list(meta.tags)
    for key, value in meta.custom.items():
        if key == "layout" or key.lower() not in _KNOWN:
            data[key] = value
    return data


# ---- reading ----------------------------------------------------------------------------------------------


def normalize_date(value: Any) -> str:
    """A front matter date as an ISO 8601 string; text that is not a recognisable date is kept as it is."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = _text(value)
    match = _SPACED_DATE.match(text)
    if match is None:
        return text
    zone = match.group(3) or ""
    if zone and zone != "Z" and ":" not in zone:
        zone = f"{zone[:3]}:{zone[3:]}"
    return f"{match.group(1)}T{match.group(2)}{zone}"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, date):
        return normalize_date(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _words(value: Any, split_spaces: bool) -> list[str]:
    """A list of words from a YAML list or a "a, b" / "a b" string."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        items = [_text(item) for item in value if not isinstance(item, dict)]
        items += [_text(item.get("name")) for item in value if isinstance(item, dict)]
    elif isinstance(value, dict):
        items = [_text(value.get("name"))]
    else:
        text = _text(value)
        items = text.split(",") if "," in text or not split_spaces else text.split()
    return [item.strip() for item in items if item.strip()]


def _first(sources: Iterable[Mapping[str, Any]], *keys: str) -> Any:
    for source in sources:
        for key in keys:
            if key in source and source[key] not in (None, "", []):
                return source[key]
    return None


def _lowered(data: Mapping[Any, Any]) -> dict[str, Any]:
    # Hugo reads front matter keys without regard to case.
    return {str(key).lower(): value for key, value in data.items()}


def _status(top: Mapping[str, Any], params: Mapping[str, Any]) -> Status:
    named = _text(params.get("status") or top.get("status")).lower()
    if named in {item.value for item in Status}:
        return Status(named)
    if "draft" in top:
        return Status.DRAFT if _truthy(top["draft"]) else Status.PUBLISHED
    if "published" in top:
        return Status.PUBLISHED if _truthy(top["published"]) else Status.DRAFT
    return Status.DRAFT


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"true", "yes", "on", "1"}
    return bool(value)


def _file_name(value: Any) -> str:
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("path") or value.get("src") or ""
    return _text(value).replace("\\", "/").rsplit("/", 1)[-1]


def metadata_from_front_matter(data: Mapping[str, Any]) -> Metadata:
    """Metadata from Hugo or Jekyll front matter; keys it does not know become custom fields."""
    top = _lowered(data)
    params = _lowered(top["params"]) if isinstance(top.get("params"), dict) else {}
    both = (params, top)
    written = params.get("written_dates") if isinstance(params.get("written_dates"), dict) else {}
    meta = Metadata()
    meta.title = _text(top.get("title"))
    meta.date = _text(written.get("date")) or normalize_date(_first((top,), "date", "publishdate"))
    meta.updated = _text(written.get("lastmod")) or normalize_date(
        _first((top,), "lastmod", "updated", "last_modified_at", "modified"))
    meta.status = _status(top, params)
    meta.slug = _text(top.get("slug"))
    if meta.slug == make_slug(meta.title):
        meta.slug = ""  # the derived slug; keeping it empty lets it follow later title edits
    meta.summary = _text(_first((top,), "summary", "excerpt"))
    meta.subtitle = _text(_first(both, "subtitle", "dek") or top.get("description"))
    meta.tags = _words(top.get("tags"), split_spaces=True)
    sections = _words(_first((top,), "categories", "category", "section"), split_spaces=True)
    meta.section = sections[0] if sections else ""
    meta.authors = _words(_first(both, "authors", "author"), split_spaces=False)
    meta.featured_image = _file_name(_first(both, "featured_image", "images", "image", "feature_image"))
    language = _text(_first(both, "language", "lang", "languagecode"))
    if language or isinstance(params.get("language"), str):
        meta.language = language
    meta.source_url = _text(_first(both, "source_url", "canonical_url", "canonicalurl"))
    meta.custom = _custom(data, params, sections)
    return meta


def _custom(data: Mapping[str, Any], params: Mapping[str, Any], sections: list[str]) -> dict[str, str]:
    custom: dict[str, str] = {}
    for source in (data, data.get("params") if isinstance(data.get("params"), dict) else {}):
        for key, value in source.items():
            if str(key).lower() not in _KNOWN and value is not None:
                custom[str(key)] = _text(value)
    if isinstance(params.get("custom"), dict):
        custom.update({str(key): _text(value) for key, value in params["custom"].items()})
    if len(sections) > 1:
        custom["categories"] = ", ".join(sections)
    return custom
