"""`python -m editor.bench [--quick] [--json] [--only NAME…]`: measure, print a table with same-run baselines."""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

from editor.bench.qt_env import prepare_environment
from editor.bench.report import Row, table, to_json

PARTS = ("preview", "stall", "launch", "files", "import", "memory")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m editor.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer sizes, photos and repeats (about a minute)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--only", nargs="+", choices=PARTS, help="run only these parts")
    parser.add_argument("--keep", type=Path, help="generate the test material in this folder and keep it")
    return parser


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(parts: list[str], quick: bool, work: Path) -> list[Row]:
    """Run the chosen parts and return their rows."""
    from editor.bench import corpus, files, processes

    sizes = [1_000, 10_000, 50_000] if quick else [1_000, 10_000, 50_000, 100_000]
    keystrokes = 12 if quick else 40
    photos = 20 if quick else 100
    repeat = 1 if quick else 3
    rows: list[Row] = []
    big_bundle: Path | None = None
    if "files" in parts or "memory" in parts:
        _say(f"Generating a bundle with {photos} photos…")
        big_bundle = corpus.make_bundle(work, 50_000, photos, photo_size=(2400, 1600))
    memory: list[Row] = []
    if "memory" in parts and big_bundle is not None:
        # Measured before this process loads Qt's GUI and web-engine libraries: proportional set sizes share a
        # library's pages among every process mapping it, so a benchmark process holding them would halve the
        # window's share.
        _say("Measuring memory…")
        memory = processes.memory_rows(big_bundle, 50_000, photos)
    if {"preview", "stall"} & set(parts):
        from editor.ui.app import make_application

        make_application(["article-editor-bench"])
    if "preview" in parts:
        from editor.bench.typing import preview_rows

        _say("Full renders (baseline)…")
        full = files.render_rows(sizes, repeat)
        _say("Keystroke → preview…")
        rows += preview_rows(sizes, keystrokes, full)
    if "stall" in parts:
        from editor.bench.typing import typing_stall_rows

        _say("Typing into the window…")
        rows += typing_stall_rows(50_000, 200, work, repeat)
        if not quick:
            _say("Typing into the window, every word misspelt…")
            rows += typing_stall_rows(50_000, 200, work, repeat, unknown_share=1.0)
    if "launch" in parts:
        _say("Launching…")
        rows += processes.launch_rows(repeat)
    if "files" in parts and big_bundle is not None:
        _say("Opening and saving bundles…")
        rows += files.bundle_rows(big_bundle, photos, repeat, work)
        pack = big_bundle.with_suffix(".textpack")
        from editor.core.bundle import open_bundle, save_bundle

        save_bundle(open_bundle(big_bundle).article, pack)
        rows += files.bundle_rows(pack, photos, repeat, work)
        # The saves leave hundreds of megabytes for the kernel to write back; that work would otherwise
        # land on the figures measured next (about 20 ms on the import).
        os.sync()
    if "import" in parts:
        _say("Importing a 24-megapixel JPEG…")
        rows += files.import_rows(work, repeat)
    return rows + memory


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run, print."""
    args = _parser().parse_args(argv)
    prepare_environment()
    parts = list(args.only or PARTS)
    work = args.keep or Path(tempfile.mkdtemp(prefix="article-editor-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        rows = run(parts, args.quick, work)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    info = {
        "quick": args.quick, "python": platform.python_version(), "machine": platform.machine(),
        "cpus": os.cpu_count(), "seconds": round(time.perf_counter() - started, 1),
    }
    if args.json:
        print(to_json(rows, info))
    else:
        print(table(rows))
        print(f"\n{'Quick run' if args.quick else 'Full run'} in {info['seconds']} s on {info['cpus']} CPUs, "
              f"Python {info['python']}. Ratio = baseline ÷ result (above 1: better than the baseline).")
    missed = [r.measure for r in rows if r.met is False]
    if missed:
        print(f"Targets missed: {', '.join(missed)}.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
