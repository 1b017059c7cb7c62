"""text.md as other Markdown apps see it: a caption paragraph under each standalone image, removed again on reading."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from editor.core.model import sha256_hex
from editor.core.references import image_references

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ESCAPE = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~])")


@dataclass(frozen=True)
class CaptionSource:
    """The words shown under an image."""

    caption: str = ""
    credit: str = ""


def escape_markdown(text: str) -> str:
    """Text made literal in Markdown, on one line."""
    return _ESCAPE.sub(r"\\\1", " ".join(text.split()))


def caption_line(source: CaptionSource) -> str:
    """The caption paragraph we put under an image, e.g. `*Caption* — Credit`; "" when there is nothing to say."""
    caption = escape_markdown(source.caption)
    credit = escape_markdown(source.credit)
    if caption and credit:
        return f"*{caption}* — {credit}"
    if caption:
        return f"*{caption}*"
    if credit:
        return f"— {credit}"
    return ""


def standalone_images(lines: list[str]) -> list[tuple[int, str]]:
    """(line index, asset name) for each line that holds nothing but an image from assets/, outside code blocks."""
    found = []
    fence = ""
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
            continue
        if match:
            fence = match.group(1)
            continue
        if len(line) - len(line.lstrip(" ")) >= 4 or "\t" in line[: len(line) - len(line.lstrip())]:
            continue
        stripped = line.strip()
        if not stripped.startswith("!["):
            continue
        refs = image_references(stripped)
        if len(refs) == 1 and refs[0].start == 0 and refs[0].end == len(stripped) and refs[0].is_asset:
            found.append((index, refs[0].name))
    return found


def inject_captions(body: str, sources: Mapping[str, CaptionSource]) -> tuple[str, list[int]]:
    """text.md for a body: each standalone image followed by a blank line and its caption; also the injected lines."""
    lines = body.split("\n")
    targets = {}
    for index, name in standalone_images(lines):
        text = caption_line(sources[name]) if name in sources else ""
        if text:
            targets[index] = text
    out: list[str] = []
    injected: list[int] = []
    for index, line in enumerate(lines):
        out.append(line)
        if index in targets:
            injected.extend((len(out), len(out) + 1))
            out.extend(("", targets[index]))
            if index + 1 < len(lines) and lines[index + 1].strip():
                # Keep the caption a paragraph of its own when text follows the image directly.
                injected.append(len(out))
                out.append("")
    return "\n".join(out), injected


@dataclass
class StrippedText:
    """The body recovered from text.md, and what a user should know about it."""

    body: str
    warnings: list[str]
    exact: bool  # text.md was exactly as we wrote it


def strip_captions(
    text: str, text_sha256: str, injected: list[int], sources: Mapping[str, CaptionSource]
) -> StrippedText:
    """Remove the caption lines we injected; if text.md was edited elsewhere, remove only lines that still match."""
    lines = text.split("\n")
    unchanged = text_sha256 and sha256_hex(text.encode("utf-8")) == text_sha256
    if unchanged and all(n < len(lines) for n in injected):
        drop = set(injected)
        return StrippedText("\n".join(line for i, line in enumerate(lines) if i not in drop), [], True)
    warnings: list[str] = []
    if not sources:
        return StrippedText(text, warnings, False)
    drop = set()
    removed = edited = 0
    for index, name in standalone_images(lines):
        if name not in sources or index + 2 >= len(lines) or lines[index + 1].strip():
            continue
        expected = caption_line(sources[name])
        below = lines[index + 2]
        if expected and below == expected:
            drop.update((index + 1, index + 2))
            removed += 1
        elif below.startswith(("*", "— ")):
            edited += 1
            warnings.append(
                f"The caption under “{name}” was changed in another app; the caption in the image details is kept."
            )
    if text_sha256 and (removed or edited):
        note = "text.md was edited in another app; caption lines under images were removed if they matched."
        warnings.insert(0, note)
    return StrippedText("\n".join(line for i, line in enumerate(lines) if i not in drop), warnings, False)
