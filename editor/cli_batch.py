"""Running a command over several bundles: finding them, a progress bar on a terminal, one line per failure."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from editor.core.errors import EditorError

PROG = "article-editor"
BUNDLE_SUFFIXES = (".textbundle", ".textpack")
BAR_WIDTH = 30
# A folder holding these is a bundle even without the .textbundle suffix, not a folder of bundles.
_BUNDLE_MARKERS = ("info.json",)
# What a bundle's text could use to move the cursor, retitle or clear a terminal, or reorder a line.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text from a bundle made safe to print: control characters and direction overrides become escapes."""
    return _UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


def is_collection(path: Path) -> bool:
    """Whether the path is a folder of bundles rather than one bundle."""
    if not path.is_dir() or path.suffix.lower() in BUNDLE_SUFFIXES:
        return False
    return not any((path / marker).is_file() for marker in _BUNDLE_MARKERS)


def is_batch(paths: Sequence[Path]) -> bool:
    """Whether the command line names several bundles (more than one path, or a folder of them)."""
    return len(paths) > 1 or any(is_collection(Path(path)) for path in paths)


def collect_bundles(paths: Sequence[Path]) -> list[Path]:
    """The bundles the paths name: each path itself, or every bundle inside a folder of bundles, sorted by name."""
    found: list[Path] = []
    for path in map(Path, paths):
        if not is_collection(path):
            found.append(path)
            continue
        inside = sorted((child for child in path.iterdir()
                         if child.suffix.lower() in BUNDLE_SUFFIXES and not child.name.startswith(".")),
                        key=lambda child: child.name)
        if not inside:
            raise EditorError(f"The folder “{path}” holds no .textbundle or .textpack.")
        found.extend(inside)
    return found


class ProgressBar:
    """A one-line bar such as "[=====     ] 3/7 name", redrawn in place; silent unless the stream is a terminal."""

    def __init__(self, stream: TextIO | None = None, width: int = BAR_WIDTH) -> None:
        self.stream = sys.stderr if stream is None else stream
        self.width = width
        self.enabled = _is_terminal(self.stream)
        self._shown = 0  # characters on the line now, to wipe them

    def show(self, done: int, total: int, name: str = "") -> None:
        """Draw the bar for `done` of `total` steps, followed by a name."""
        if not self.enabled:
            return
        total = max(total, 1)
        done = max(0, min(done, total))
        filled = round(self.width * done / total)
        line = f"[{'=' * filled}{' ' * (self.width - filled)}] {done}/{total} {name}".rstrip()
        self.stream.write("\r" + line + " " * max(0, self._shown - len(line)))
        self.stream.flush()
        self._shown = len(line)

    def clear(self) -> None:
        """Wipe the bar so that another line can be printed in its place."""
        if self.enabled and self._shown:
            self.stream.write("\r" + " " * self._shown + "\r")
            self.stream.flush()
            self._shown = 0


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except (OSError, ValueError):
        return False


@dataclass
class BatchOutcome:
    """How a batch went: what each bundle's work returned, and which bundles failed."""

    results: dict[Path, object] = field(default_factory=dict)
    failed: dict[Path, str] = field(default_factory=dict)

    @property
    def succeeded(self) -> int:
        """How many bundles were done without a failure."""
        return len(self.results)


def report_failure(name: str, sentence: str, bar: ProgressBar | None = None) -> None:
    """Print one failure as the single line every failure uses, naming the bundle."""
    if bar is not None:
        bar.clear()
    print(f"{PROG}: error: {printable(name)}: {printable(sentence)}", file=sys.stderr)


def run_batch(bundles: Sequence[Path], work: Callable[[Path], object], *, bar: ProgressBar | None = None,
              describe: Callable[[BaseException], str] | None = None) -> BatchOutcome:
    """Do `work` on each bundle in turn; a failure is reported in one line and the rest are still done.

    EditorError and OSError count as a failure of that bundle; anything else is a bug and propagates.
    """
    outcome = BatchOutcome()
    total = len(bundles)
    for index, bundle in enumerate(bundles):
        if bar is not None:
            bar.show(index, total, bundle.name)
        try:
            outcome.results[bundle] = work(bundle)
        except (EditorError, OSError) as exc:
            sentence = (describe or describe_os_error)(exc)
            outcome.failed[bundle] = sentence
            report_failure(bundle.name, sentence, bar)
    if bar is not None:
        bar.show(total, total)
        bar.clear()
    return outcome


def describe_os_error(exc: BaseException) -> str:
    """One sentence for a failure: an EditorError's own, or an OSError's reason and file."""
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        return f"{reason}: {exc.filename}." if exc.filename else f"{reason}."
    return str(exc)


def plural(count: int, word: str) -> str:
    """"1 bundle", "2 bundles"."""
    return f"{count} {word}{'' if count == 1 else 's'}"
