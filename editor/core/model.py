"""The article: Markdown body, metadata and image assets. Plain data, no I/O beyond reading asset bytes."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from slugify import slugify

from editor.core.errors import EditorError


class Status(StrEnum):
    """Where an article stands in the editorial workflow."""

    DRAFT = "draft"
    IN_REVIEW = "in-review"
    CHANGES_REQUESTED = "changes-requested"
    APPROVED = "approved"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        """Human-readable name of the status."""
        return self.value.replace("-", " ").capitalize()


def make_slug(text: str) -> str:
    """URL slug for a title: lower-case ASCII words joined by hyphens."""
    return slugify(text, max_length=80, word_boundary=True)


def parse_date(value: str) -> date | datetime | None:
    """Parse an ISO 8601 date or date-time; None for an empty string; raise EditorError if invalid."""
    text = value.strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise EditorError(f"“{value}” is not a date; use the form 2024-01-16 or 2024-01-16T09:30.") from None


@dataclass
class Metadata:
    """Everything the metadata form holds. Dates are ISO 8601 strings so an invalid entry is kept, not lost."""

    title: str = ""
    subtitle: str = ""  # the dek
    authors: list[str] = field(default_factory=list)
    date: str = ""  # publication date
    updated: str = ""  # last-updated date
    slug: str = ""  # empty: derived from the title
    section: str = ""  # section / category
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    language: str = "en"  # BCP 47
    status: Status = Status.DRAFT
    featured_image: str = ""  # an asset name, or empty
    source_url: str = ""
    custom: dict[str, str] = field(default_factory=dict)

    @property
    def effective_slug(self) -> str:
        """The slug to publish under: the one set by hand, else one derived from the title."""
        return self.slug or make_slug(self.title)


class AssetData:
    """Where an asset's bytes live: in memory, in a file, or in a zip member. Read on demand."""

    def __init__(self, source: bytes | Path, member: str | None = None) -> None:
        self._source = source
        self._member = member

    @property
    def path(self) -> Path | None:
        """The file holding the bytes when they are a plain file on disk, else None."""
        return self._source if isinstance(self._source, Path) and self._member is None else None

    @property
    def location(self) -> tuple[Path, str | None] | None:
        """The file, and the zip member inside it if any, holding the bytes; None when they are held in memory."""
        return None if isinstance(self._source, bytes) else (self._source, self._member)

    def read_bytes(self) -> bytes:
        """The asset's bytes; raise EditorError if its file is gone."""
        if isinstance(self._source, bytes):
            return self._source
        try:
            if self._member is None:
                return self._source.read_bytes()
            with zipfile.ZipFile(self._source) as zf:
                return zf.read(self._member)
        except (OSError, KeyError, zipfile.BadZipFile) as exc:
            where = self._member or self._source.name
            raise EditorError(f"The image file behind “{where}” can no longer be read: {exc}.") from None

    def __repr__(self) -> str:
        kind = f"{len(self._source)} bytes" if isinstance(self._source, bytes) else str(self._source)
        return f"AssetData({kind}{', ' + self._member if self._member else ''})"


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


@dataclass
class ImageAsset:
    """One image in the bundle with the words that go with it. Equal when metadata and content are equal."""

    name: str  # file name inside assets/, e.g. "putin-meets-choe.jpg"
    data: AssetData = field(compare=False, repr=False)
    sha256: str = ""  # of the stored bytes
    alt: str = ""
    caption: str = ""
    credit: str = ""  # e.g. "photo by TASS Russian News Agency"
    source_url: str = ""
    licence: str = ""
    width: int = 0
    height: int = 0

    @property
    def path(self) -> str:
        """The reference used in the text: assets/<name>."""
        return f"assets/{self.name}"

    @classmethod
    def from_bytes(cls, name: str, data: bytes, **fields: Any) -> ImageAsset:
        """An asset held in memory, its hash computed."""
        return cls(name=name, data=AssetData(data), sha256=sha256_hex(data), **fields)


@dataclass
class Reply:
    """An answer in a comment's thread."""

    author: str = ""
    created: str = ""  # ISO 8601 date-time
    text: str = ""


@dataclass
class Comment:
    """A reviewer's remark on a stretch of the text; `detached` once the text it was on is gone."""

    id: str = ""
    author: str = ""
    created: str = ""  # ISO 8601 date-time
    text: str = ""
    start: int = 0  # character offsets into the body
    end: int = 0
    quote: str = ""  # the text the comment was made on, to find it again
    resolved: bool = False
    detached: bool = False
    replies: list[Reply] = field(default_factory=list)


@dataclass
class StatusChange:
    """One step of the status history: who set which status, and when."""

    status: Status = Status.DRAFT
    author: str = ""
    when: str = ""  # ISO 8601 date-time
    previous: Status | None = None  # the status it replaced, when known


@dataclass
class Article:
    """One article: body text, metadata, images, and data of other apps kept as found."""

    body: str = ""
    metadata: Metadata = field(default_factory=Metadata)
    assets: list[ImageAsset] = field(default_factory=list)
    # Keys of info.json that belong to other apps; written back unchanged.
    foreign_info: dict[str, Any] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)
    status_history: list[StatusChange] = field(default_factory=list)
    # Our own files inside the bundle under the APP_ID folder (e.g. saved versions), by bundle-relative path.
    # Other apps ignore the folder; it is read and written as found.
    private_files: dict[str, AssetData] = field(default_factory=dict, compare=False, repr=False)

    def asset(self, name: str) -> ImageAsset | None:
        """The asset with this file name, or None."""
        for item in self.assets:
            if item.name == name:
                return item
        return None

    def used_asset_names(self) -> set[str]:
        """Names of assets that the text refers to."""
        from editor.core.references import image_references

        names = {asset.name for asset in self.assets}
        return {ref.name for ref in image_references(self.body) if ref.name in names}

    def is_used(self, name: str) -> bool:
        """Whether the text refers to the asset with this name."""
        return name in self.used_asset_names()
