"""Figures measured in child processes: launch time and memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from editor.bench.probe import START_ENV
from editor.bench.report import Row, median

LAUNCH_TARGET_MS = 1000.0
MEMORY_TARGET_MB = 400.0


def run_probe(*args: str) -> dict:
    """Start a probe process and return what it printed."""
    env = dict(os.environ)
    env[START_ENV] = repr(time.time())
    done = subprocess.run([sys.executable, "-m", "editor.bench.probe", *args], env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"The benchmark probe {' '.join(args)} failed: {done.stderr.strip()[-500:]}")


def launch_rows(repeat: int) -> list[Row]:
    """Launch → editable text, against a bare Qt window with a text box started the same way."""
    runs = [run_probe("launch") for _ in range(repeat)]
    ours = median([run["ms"] for run in runs])
    built = median([run["built_ms"] for run in runs])
    stall = max(run["build_stall_ms"] for run in runs)
    plain = median([run_probe("plain")["ms"] for _ in range(repeat)])
    return [
        Row("launch → editable text", ours, "ms", "bare Qt window with a text box", plain,
            f"≤ {LAUNCH_TARGET_MS:.0f} ms", ours <= LAUNCH_TARGET_MS, "text painted"),
        Row("launch → preview and review panels built", built, "ms", "bare Qt window with a text box", plain,
            note=f"built after the first paint; longest UI stall meanwhile {stall:.0f} ms"),
    ]


def memory_rows(bundle: Path, words: int, photos: int) -> list[Row]:
    """Memory of the window with a big article and its photos open, against the empty window.

    The figure is the proportional set size (shared pages divided among the processes sharing them) of the
    window's process and all its helpers: the web engine's and the render process. The plain sum of their
    resident sizes, which counts shared libraries once per process, is given in the note.
    """
    loaded = run_probe("memory", str(bundle))
    empty = run_probe("memory")
    return [Row(f"memory, {words // 1000}k words and {photos} photos open", loaded["mb"], "MB", "empty window",
                empty["mb"], f"≤ {MEMORY_TARGET_MB:.0f} MB", loaded["mb"] <= MEMORY_TARGET_MB,
                f"all processes, shared pages shared out; summed resident sizes {loaded['rss_mb']:.0f} MB")]
