"""Child processes of the benchmark: launch to an editable window, and memory with a big article open.

Run as `python -m editor.bench.probe launch|plain|memory [BUNDLE]`; prints one JSON line.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

START_ENV = "ARTICLE_EDITOR_BENCH_START"


def _since_start() -> float:
    """Milliseconds since the parent started this process (wall clock, the only clock both share)."""
    return (time.time() - float(os.environ[START_ENV])) * 1000


def _rss_kb(pid: int, field: str = "VmRSS") -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        for child in children.get(current, []):
            found.append(child)
            todo.append(child)
    return found


def tree_memory_mb() -> float:
    """Peak resident memory of this process plus the current memory of its helpers (WebEngine), in MB."""
    own = _rss_kb(os.getpid(), "VmHWM")
    helpers = sum(_rss_kb(child) for child in _descendants(os.getpid()))
    return (own + helpers) / 1024


def launch() -> dict:
    """Start the real window and report when its text can take typing."""
    from editor.bench.qt_env import prepare_environment, wait_until

    prepare_environment()
    from PySide6.QtCore import QSettings

    from editor.ui.app import make_application, start_window

    app = make_application(["article-editor"])
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "bench.ini"), QSettings.Format.IniFormat)
    window = start_window(None, settings)
    editor = window.text_pane.editor
    wait_until(lambda: editor.isVisible() and editor.isEnabled() and not editor.isReadOnly(), 30_000, 1)
    app.processEvents()
    ready = _since_start()
    window.document.undo_stack.setClean()
    window.close()
    return {"ms": ready}


def plain() -> dict:
    """The baseline: a bare Qt window with a plain text box, started the same way."""
    from editor.bench.qt_env import prepare_environment, wait_until

    prepare_environment()
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    app = QApplication(["plain"])
    box = QPlainTextEdit()
    box.resize(1280, 800)
    box.show()
    wait_until(box.isVisible, 30_000, 1)
    app.processEvents()
    return {"ms": _since_start()}


def memory(bundle: str | None) -> dict:
    """Open the window (with `bundle`, if given), let the preview and thumbnails settle, report memory."""
    from editor.bench.qt_env import prepare_environment, spin, wait_for_signal

    prepare_environment()
    from PySide6.QtCore import QSettings

    from editor.ui.app import make_application, start_window

    app = make_application(["article-editor"])
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "bench.ini"), QSettings.Format.IniFormat)
    window = start_window(Path(bundle) if bundle else None, settings)
    pane = window.preview
    wait_for_signal(getattr(pane, "updated", None) or pane.rendered, 60_000)
    spin(3000)  # thumbnails fill in
    peak = tree_memory_mb()
    window.document.undo_stack.setClean()
    window.close()
    app.processEvents()
    return {"mb": peak}


def main() -> int:
    """Run the probe named on the command line."""
    kind = sys.argv[1]
    if kind == "launch":
        result = launch()
    elif kind == "plain":
        result = plain()
    else:
        result = memory(sys.argv[2] if len(sys.argv) > 2 else None)
    print(json.dumps(result), flush=True)
    os._exit(0)  # WebEngine's shutdown adds nothing to the figures


if __name__ == "__main__":
    sys.exit(main())
