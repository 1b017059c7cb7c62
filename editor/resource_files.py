"""Locating files under resources/ both in a checkout and in an installed package."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Traversable:
    """A file under resources/, e.g. resource("style", "article.css")."""
    base: Traversable = _CHECKOUT if _CHECKOUT.is_dir() else resources.files("editor._resources")
    for part in parts:
        base = base / part
    return base


def resource_text(*parts: str) -> str:
    """The UTF-8 text of a file under resources/."""
    return resource(*parts).read_text(encoding="utf-8")
