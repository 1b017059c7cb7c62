"""Runs many `article-editor` command lines quickly: each in its own forked process, with a time limit.

Started as `python cli_runner.py JOBS.json` (by the hostile-input tests, under a memory limit that every
forked run inherits). Each run is the command-line entry point in a fresh process whose standard output and
error go to files; the program and its libraries are imported once, before forking, so a run costs
milliseconds instead of an interpreter start. Prints one JSON object: id → exit code, output, timing.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import traceback
from pathlib import Path

# Everything the commands import, loaded once here so each forked run starts warm.
import editor.cli
import editor.cli_batch
import editor.cli_commands
import editor.cli_export
import editor.core.bundle
import editor.core.check
import editor.core.export.html
import editor.core.images
import editor.core.importers
import editor.core.importers.html
import editor.core.render

KILLED_BY_ALARM = -signal.SIGALRM


def _child(args: list[str], cwd: str, out: Path, err: Path, time_limit: int) -> None:
    """Become one run of the command line; never returns."""
    code = 99
    try:
        os.dup2(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 1)
        os.dup2(os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)
        os.chdir(cwd)
        signal.alarm(time_limit)
        sys.argv = ["article-editor", *args]
        try:
            code = editor.cli.main(args)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def main() -> int:
    """Run every job of the file named on the command line, a few at a time."""
    spec = json.loads(Path(sys.argv[1]).read_text())
    jobs = list(spec["jobs"])
    parallel = int(spec["parallel"])
    time_limit = int(spec["time_limit"])
    outputs = Path(spec["outputs"])
    running: dict[int, tuple[str, float]] = {}
    results = {}
    sys.stdout.flush()
    sys.stderr.flush()
    while jobs or running:
        while jobs and len(running) < parallel:
            job = jobs.pop(0)
            out, err = outputs / f"{job['id']}.out", outputs / f"{job['id']}.err"
            pid = os.fork()
            if pid == 0:
                _child(job["args"], job["cwd"], out, err, time_limit)
            running[pid] = (job["id"], time.monotonic())
        pid, status = os.wait()
        if pid not in running:
            continue  # a grandchild re-parented to us
        job_id, started = running.pop(pid)
        code = os.waitstatus_to_exitcode(status)
        results[job_id] = {
            "code": code,
            "timed_out": code == KILLED_BY_ALARM,
            "seconds": time.monotonic() - started,
            "stdout": (outputs / f"{job_id}.out").read_bytes().decode("utf-8", errors="replace"),
            "stderr": (outputs / f"{job_id}.err").read_bytes().decode("utf-8", errors="replace"),
        }
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
