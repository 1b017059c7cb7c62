"""How a recovered article differs from the saved bundle, in a few short sentences for the recovery dialog."""

from __future__ import annotations

import difflib
import re
from dataclasses import fields

from editor.core.model import Article, ImageAsset, Metadata

_WORD = re.compile(r"\S+")
_FIELD_NAMES = {
    "title": "title", "subtitle": "subtitle", "authors": "authors", "date": "publication date",
    "updated": "last-updated date", "slug": "slug", "section": "section", "tags": "tags", "summary": "summary",
    "language": "language", "status": "status", "featured_image": "featured image", "source_url": "source link",
    "custom": "custom fields",
}
_ASSET_FIELDS = (("alt", "alt text"), ("caption", "caption"), ("credit", "credit"), ("source_url", "source link"),
                 ("licence", "licence"))
_SHOWN = 5  # names listed before "and N more"
_BIG = 4000  # words in one changed stretch beyond which they are counted rather than aligned
_SENTENCE = re.compile(r"(?<=[.!?…])\s+")


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


def _names(items: list[str]) -> str:
    shown = ", ".join(items[:_SHOWN])
    return shown if len(items) <= _SHOWN else f"{shown} and {len(items) - _SHOWN} more"


def _short(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _units(text: str, level: int) -> list[str]:
    if level == 0:
        return text.splitlines()
    if level == 1:
        return _SENTENCE.split(text)
    return _WORD.findall(text)


def _trimmed(before: list[str], after: list[str]) -> tuple[list[str], list[str]]:
    """The two lists without the start and end they share."""
    start, shortest = 0, min(len(before), len(after))
    while start < shortest and before[start] == after[start]:
        start += 1
    end = 0
    while end < shortest - start and before[-1 - end] == after[-1 - end]:
        end += 1
    return before[start : len(before) - end], after[start : len(after) - end]


def _count_changes(before: list[str], after: list[str], level: int) -> tuple[int, int]:
    """Words added and removed, aligning paragraphs, then sentences, then words of what differs."""
    added = removed = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after).get_opcodes():
        if tag == "equal":
            continue
        old, new = "\n".join(before[i1:i2]), "\n".join(after[j1:j2])
        if tag == "replace" and level < 2:
            old_units, new_units = _trimmed(_units(old, level + 1), _units(new, level + 1))
            # Aligning a long stretch word by word can take seconds; past this size it is counted whole.
            if level == 0 or len(old_units) + len(new_units) <= _BIG:
                plus, minus = _count_changes(old_units, new_units, level + 1)
                added, removed = added + plus, removed + minus
                continue
        added += len(_WORD.findall(new)) if level < 2 else j2 - j1
        removed += len(_WORD.findall(old)) if level < 2 else i2 - i1
    return added, removed


def text_change(old: str, new: str) -> str | None:
    """One sentence on how the body changed, counted in words; None when it is the same."""
    if old == new:
        return None
    added, removed = _count_changes(_units(old, 0), _units(new, 0), 0)
    if added and removed:
        return f"{_count(added, 'word')} added and {removed:,} removed in the text."
    if added:
        return f"{_count(added, 'word')} added to the text."
    if removed:
        return f"{_count(removed, 'word')} removed from the text."
    return "Only spacing or line breaks changed in the text."


def _metadata_changes(old: Metadata, new: Metadata) -> list[str]:
    result = []
    if old.title != new.title:
        result.append(f"The title changed from “{_short(old.title)}” to “{_short(new.title)}”.")
    if old.status != new.status:
        result.append(f"The status changed from {old.status.label} to {new.status.label}.")
    others = [_FIELD_NAMES.get(f.name, f.name) for f in fields(Metadata)
              if f.name not in ("title", "status") and getattr(old, f.name) != getattr(new, f.name)]
    if len(others) == 1:
        result.append(f"The {others[0]} changed.")
    elif others:
        result.append(f"The {', '.join(others[:-1])} and {others[-1]} changed.")
    return result


def _asset_changes(old: list[ImageAsset], new: list[ImageAsset]) -> list[str]:
    before = {a.name: a for a in old}
    after = {a.name: a for a in new}
    added = [a.name for a in new if a.name not in before]
    removed = [a.name for a in old if a.name not in after]
    result = []
    if added:
        result.append(f"{_count(len(added), 'image')} added: {_names(added)}.")
    if removed:
        result.append(f"{_count(len(removed), 'image')} removed: {_names(removed)}.")
    for asset in new:
        was = before.get(asset.name)
        if was is None:
            continue
        if was.sha256 != asset.sha256 or (was.width, was.height) != (asset.width, asset.height):
            result.append(f"The picture “{asset.name}” was replaced.")
        for attribute, label in _ASSET_FIELDS:
            if getattr(was, attribute) != getattr(asset, attribute):
                result.append(f"The {label} of “{asset.name}” changed.")
    kept_old = [a.name for a in old if a.name in after]
    kept_new = [a.name for a in new if a.name in before]
    if kept_old != kept_new:
        result.append("The images are in a different order.")
    return result


def _review_changes(old: Article, new: Article) -> list[str]:
    result = []
    before = {c.id: c for c in old.comments}
    after = {c.id: c for c in new.comments}
    added = sum(1 for key in after if key not in before)
    removed = sum(1 for key in before if key not in after)
    edited = sum(1 for key, c in after.items() if key in before and before[key] != c)
    if added:
        result.append(f"{_count(added, 'comment')} added.")
    if removed:
        result.append(f"{_count(removed, 'comment')} removed.")
    if edited:
        result.append(f"{_count(edited, 'comment')} changed or answered.")
    if old.status_history != new.status_history:
        grown = new.status_history[: len(old.status_history)] == old.status_history
        steps = len(new.status_history) - len(old.status_history)
        if grown and steps > 0:
            result.append(f"The status history has {_count(steps, 'new step')}.")
        else:
            result.append("The status history changed.")
    return result


def describe_changes(recovered: Article, saved: Article | None) -> list[str]:
    """Short sentences saying how the recovered copy differs from the saved bundle (None: it was never saved)."""
    if saved is None:
        words = len(recovered.body.split())
        images = len(recovered.assets)
        return ["Never saved.", f"It holds {_count(words, 'word')} and {_count(images, 'image')}."]
    result = []
    text = text_change(saved.body, recovered.body)
    if text:
        result.append(text)
    result += _metadata_changes(saved.metadata, recovered.metadata)
    result += _asset_changes(saved.assets, recovered.assets)
    result += _review_changes(saved, recovered)
    if saved.foreign_info != recovered.foreign_info:
        result.append("Data kept for other apps changed.")
    return result or ["No differences from the saved version."]
