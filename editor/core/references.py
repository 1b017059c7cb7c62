"""Finding image references (`![alt](assets/name.jpg)`) in Markdown text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

# ![alt](dest "title") where dest is <...> or a run without spaces; alt may hold escaped brackets.
_IMAGE = re.compile(
    r"!\[(?P<alt>(?:\\.|[^\\\]])*)\]"
    r"\(\s*(?:<(?P<angle>[^>\n]*)>|(?P<plain>[^\s)]+))"
    r"(?:\s+(?P<title>\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
)


@dataclass(frozen=True)
class ImageRef:
    """One image reference in the text."""

    target: str  # the destination as written, unquoted
    name: str  # the asset file name when target is assets/<name>, else ""
    alt: str
    start: int  # character offsets of the whole reference
    end: int
    line: int  # 1-based line number

    @property
    def is_asset(self) -> bool:
        """Whether the reference points into the bundle's assets/ folder."""
        return bool(self.name)


def asset_name_from_target(target: str) -> str:
    """The asset name for a destination like assets/a%20b.jpg or ./assets/a.jpg; "" if not an asset."""
    path = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if path.startswith("./"):
        path = path[2:]
    if not path.startswith("assets/"):
        return ""
    name = path[len("assets/"):]
    if not name or "/" in name or "\\" in name or name in {".", ".."}:
        return ""
    return name


def image_references(text: str) -> list[ImageRef]:
    """All inline image references in the text, in order."""
    refs = []
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    line = 0
    for match in _IMAGE.finditer(text):
        while line + 1 < len(line_starts) and line_starts[line + 1] <= match.start():
            line += 1
        target = match.group("angle") if match.group("angle") is not None else match.group("plain")
        refs.append(
            ImageRef(
                target=unquote(target),
                name=asset_name_from_target(target),
                alt=match.group("alt"),
                start=match.start(),
                end=match.end(),
                line=line + 1,
            )
        )
    return refs


def image_markdown(name: str, alt: str = "") -> str:
    """The Markdown that inserts an asset, with its name escaped so spaces and parentheses survive."""
    safe_alt = alt.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace("\n", " ")
    target = name.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    return f"![{safe_alt}](assets/{target})"
