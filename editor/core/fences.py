"""Which lines of Markdown sit inside fenced code blocks, where prose tools (spelling, checks) do not look."""

from __future__ import annotations

import re

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")


def code_fence_lines(lines: list[str], start: int = 0) -> set[int]:
    """Indexes (from `start` on) of the lines of fenced code blocks, the fences themselves included."""
    inside: set[int] = set()
    fence = ""
    for index in range(start, len(lines)):
        opening = _FENCE.match(lines[index])
        if fence:
            inside.add(index)
            # Only a bare fence of the same kind, at least as long, closes the block.
            if (opening and not opening.group(2).strip() and opening.group(1)[0] == fence[0]
                    and len(opening.group(1)) >= len(fence)):
                fence = ""
        elif opening:
            fence = opening.group(1)
            inside.add(index)
    return inside
