"""Child processes of the benchmark: launch to an editable window, and memory with a big article open.

Run as `python -m editor.bench.probe launch|plain|memory [BUNDLE]`; prints one JSON line.
"""

from __future__ import annotations

import itertools
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
    """Peak resident memory of this process plus the current memory of its helpers (WebEngine), in MB.

    Counts every page as often as a process maps it: the web engine's library, mapped by each of its
    processes, is counted several times. `tree_pss_mb` shares such pages out instead.
    """
    own = _rss_kb(os.getpid(), "VmHWM")
    helpers = sum(_rss_kb(child) for child in _descendants(os.getpid()))
    return (own + helpers) / 1024


def _rollup_kb(pid: int, *fields: str) -> int:
    """The sum of these fields of /proc/PID/smaps_rollup, in kB; 0 when the process is gone."""
    total = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name, _sep, rest = line.partition(":")
            if name in fields:
                total += int(rest.split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return total


def _pss_kb(pid: int) -> int:
    return _rollup_kb(pid, "Pss")


def _own_kb(pid: int) -> int:
    """Memory the process allocated itself (anonymous and shared-memory pages), not its mapped files."""
    return _rollup_kb(pid, "Anonymous", "Pss_Shmem")


def tree_pss_mb() -> float:
    """Memory of this process and its helpers now, each shared page divided among the processes sharing it."""
    return sum(_pss_kb(pid) for pid in [os.getpid(), *_descendants(os.getpid())]) / 1024


def tree_own_mb() -> float:
    """Memory this process and its helpers allocated themselves now (libraries and other mapped files left out).

    Unlike the proportional figure it does not change with what other programs on the machine share with
    ours (another window of the web engine, say), so it is the steadier one for comparing two runs.
    """
    return sum(_own_kb(pid) for pid in [os.getpid(), *_descendants(os.getpid())]) / 1024


def launch() -> dict:
    """Start the real window and report when its text can take typing."""
    from editor.bench.qt_env import prepare_environment, wait_until

    prepare_environment()
    from PySide6.QtCore import QSettings, QTimer

    from editor.ui.app import make_application, start_window
    from editor.ui.features import is_built

    _app = make_application(["article-editor"])
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "bench.ini"), QSettings.Format.IniFormat)
    window = start_window(None, settings)
    editor = window.text_pane.editor
    painted = _PaintWatch(editor.viewport())
    # Editable: shown, enabled, writable and its first frame painted (so a keystroke is seen at once).
    wait_until(lambda: painted.done and editor.isEnabled() and not editor.isReadOnly(), 30_000, 1)
    ready = painted.at
    ticks: list[float] = []
    beat = QTimer()
    beat.setInterval(1)
    beat.timeout.connect(lambda: ticks.append(time.perf_counter()))
    beat.start()
    wait_until(lambda: is_built(window), 30_000, 1)
    built = _since_start()
    beat.stop()
    # The longest the UI thread stayed busy while the rest was built: how long a keystroke may wait then.
    stall = max(((b - a) * 1000 for a, b in itertools.pairwise(ticks)), default=0.0)
    window.document.undo_stack.setClean()
    window.close()
    return {"ms": ready, "built_ms": built, "build_stall_ms": stall}


class _PaintWatch:
    """Notes when a widget has finished its first paint."""

    def __init__(self, widget: object) -> None:
        from PySide6.QtCore import QEvent, QObject, QTimer

        watch = self

        class Filter(QObject):
            def eventFilter(self, watched: object, event: QEvent) -> bool:  # noqa: N802
                if event.type() == QEvent.Type.Paint and watch.at is None:
                    # The paint handler runs after the filters; a zero timer fires once the frame is done.
                    # Filters run newest first, so this one is queued before the window's own deferred work.
                    QTimer.singleShot(0, watch.finished)
                return False

        self.at: float | None = None
        self.done = False
        self._filter = Filter()
        widget.installEventFilter(self._filter)  # type: ignore[attr-defined]

    def finished(self) -> None:
        """Called in the loop turn after the first paint."""
        if self.at is None:
            self.at = _since_start()
            self.done = True


def plain() -> dict:
    """The baseline: a bare Qt window with a plain text box, started the same way."""
    from editor.bench.qt_env import prepare_environment, wait_until

    prepare_environment()
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    _app = QApplication(["plain"])
    box = QPlainTextEdit()
    box.resize(1280, 800)
    painted = _PaintWatch(box.viewport())
    box.show()
    wait_until(lambda: painted.done, 30_000, 1)
    return {"ms": painted.at}


def memory(bundle: str | None) -> dict:
    """Open the window (with `bundle`, if given), let the preview and thumbnails settle, report memory."""
    from editor.bench.qt_env import prepare_environment, spin, wait_for_signal, wait_until

    prepare_environment()
    from PySide6.QtCore import QSettings

    from editor.ui.app import make_application, start_window
    from editor.ui.features import is_built

    app = make_application(["article-editor"])
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "bench.ini"), QSettings.Format.IniFormat)
    window = start_window(Path(bundle) if bundle else None, settings)
    wait_until(lambda: is_built(window), 30_000)
    pane = window.preview
    wait_for_signal(getattr(pane, "updated", None) or pane.rendered, 60_000)
    pss = own = 0.0
    for _ in range(6):  # thumbnails fill in meanwhile; the highest total seen counts
        spin(500)
        pss, own = max(pss, tree_pss_mb()), max(own, tree_own_mb())
    peak = tree_memory_mb()
    if os.environ.get("ARTICLE_EDITOR_BENCH_DETAIL"):
        _print_detail()  # while the window is still open: after the close the helpers have shrunk or gone
    window.document.undo_stack.setClean()
    window.close()
    app.processEvents()
    return {"mb": pss, "rss_mb": peak, "own_mb": own}


def _process_kind(pid: int) -> str:
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    for arg in args:
        if arg.startswith(b"--type="):
            return arg[7:].decode(errors="replace")
    return Path(args[0].decode(errors="replace")).name if args and args[0] else "?"


def _print_detail() -> None:
    """Per process memory on stderr, and the largest Python allocations when tracemalloc is on."""
    for pid in [os.getpid(), *_descendants(os.getpid())]:
        print(f"{pid} {_pss_kb(pid) / 1024:7.1f} MB PSS {_own_kb(pid) / 1024:7.1f} MB own "
              f"{_rss_kb(pid) / 1024:7.1f} MB RSS  {_process_kind(pid)}", file=sys.stderr)
    import tracemalloc

    if tracemalloc.is_tracing():
        current, top = tracemalloc.get_traced_memory()
        print(f"python heap {current / 2**20:.1f} MB (peak {top / 2**20:.1f} MB)", file=sys.stderr)
        for stat in tracemalloc.take_snapshot().statistics("lineno")[:15]:
            print(f"  {stat}", file=sys.stderr)


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
