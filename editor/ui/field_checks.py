"""Loose checks of metadata fields; each returns one sentence saying what is wrong, or None."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from PySide6.QtCore import QCoreApplication

from editor.core.errors import EditorError
from editor.core.model import make_slug, parse_date

COMMON_LANGUAGES = [
    "en", "en-US", "en-GB", "de", "fr", "es", "it", "pt", "pt-BR", "nl", "sv", "da", "nb", "fi", "pl", "cs",
    "hu", "ro", "el", "ru", "uk", "tr", "ar", "he", "fa", "hi", "ja", "ko", "zh-Hans", "zh-Hant",
]
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


def tr(text: str) -> str:
    """Translate a user-visible string of the field checks."""
    return QCoreApplication.translate("FieldChecks", text)


def date_problem(text: str) -> str | None:
    """Why this is not an ISO date (the model's own sentence), or None; empty is fine."""
    try:
        parse_date(text)
    except EditorError as exc:
        return str(exc)
    return None


def language_problem(text: str) -> str | None:
    """Why this does not look like a language tag such as en or pt-BR, or None; empty is fine."""
    if not text.strip() or _LANGUAGE.fullmatch(text.strip()):
        return None
    return tr("“{text}” is not a language code; use one like en, de or pt-BR.").format(text=text)


def url_problem(text: str) -> str | None:
    """Why this is not an http(s) address, or None; empty is fine."""
    value = text.strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        return tr("The address must start with http:// or https:// and contain no spaces.")
    return None


def slug_problem(text: str) -> str | None:
    """Why a slug typed by hand would not survive in a web address, or None; empty means automatic."""
    if not text or make_slug(text) == text:
        return None
    return tr("Use lower-case letters, digits and hyphens, like “{slug}”.").format(slug=make_slug(text) or "my-article")
