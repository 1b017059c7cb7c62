"""Saves that die or fail at every step: the bundle on disk is always the old one or the new one, whole.

A save runs in a forked child (a trial costs milliseconds) that is killed with SIGKILL either from inside,
at the Nth step it takes on disk, or from outside, after a seeded random number of microseconds. Disk full,
permission denied and the bundle vanishing are injected at every step in this process, and for real on a
tiny tmpfs where the system lets us mount one.
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from editor.core.bundle import BundleError, bundle_fingerprint, save_bundle
from editor.core.bundle_files import OLD_MARK, TMP_MARK
from tests.core.bundle_samples import clone
from tests.core.faultkit import (
    WRITE_STEPS,
    Steps,
    copy_bundle,
    install,
    kill_now,
    new_article,
    old_article,
    on_disk,
    patched,
    snapshot,
)

FORMS = {
    "zip": (".textpack", True),
    "folder-exchange": (".textbundle", True),
    "folder-rename": (".textbundle", False),  # where the system cannot swap two paths atomically
}
STEP_TRIALS = 56  # per form, spread over all steps, plus every step around a move into place
TIMED_TRIALS = 24  # per form, killed from outside after a random delay
SEED = 20261126


@pytest.fixture(scope="module")
def expected() -> dict[str, tuple]:
    """The snapshots a bundle on disk may equal: the old article or the new one."""
    return {"old": snapshot(old_article()), "new": snapshot(new_article())}


def _template(folder: Path, suffix: str) -> Path:
    template = folder / f"template{suffix}"
    save_bundle(old_article(), template)
    return template


def _fork_save(path: Path, steps: Steps | None, atomic_exchange: bool, go_fd: int | None = None) -> int:
    """Start a child that saves the new article over `path`; returns its pid."""
    fingerprint = bundle_fingerprint(path)
    article = clone(new_article())
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:  # the child: never returns into pytest
        with patched() as patch:
            install(patch, steps or Steps(), real_fsync=False, atomic_exchange=atomic_exchange)
            if go_fd is not None:
                os.write(go_fd, b"g")
            save_bundle(article, path, expected_fingerprint=fingerprint)
    except BaseException:
        code = 3
    finally:
        os._exit(code)


def _dry_run(folder: Path, template: Path, atomic_exchange: bool) -> tuple[list[str], float]:
    """The steps an uninterrupted save takes, and how long it takes in a child."""
    path = folder / f"dry{template.suffix}"
    copy_bundle(template, path)
    read_end, write_end = os.pipe()
    fingerprint = bundle_fingerprint(path)
    article = clone(new_article())
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            steps = Steps()
            with patched() as patch:
                install(patch, steps, real_fsync=False, atomic_exchange=atomic_exchange)
                save_bundle(article, path, expected_fingerprint=fingerprint)
            os.write(write_end, json.dumps(steps.log).encode())
        except BaseException:
            code = 3
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        log = json.loads(pipe.read() or b"[]")
    _, status = os.waitpid(pid, 0)
    took = time.perf_counter() - started
    assert os.waitstatus_to_exitcode(status) == 0
    return log, took


def _step_moments(log: list[str], rng: random.Random) -> list[int]:
    total = len(log)
    moves = {i + 1 + d for i, kind in enumerate(log) if kind in {"rename", "replace", "exchange_paths"}
             for d in (-1, 0, 1)}
    spread = {round(1 + k * total / STEP_TRIALS) for k in range(STEP_TRIALS)}
    chosen = sorted(m for m in spread | moves | {1, total, total + 1} if 1 <= m <= total + 1)
    rng.shuffle(chosen)
    return chosen


def _check_after_kill(path: Path, expected: dict[str, tuple], where: str) -> str:
    """The bundle opens as the old or the new article; a later save leaves only the bundle behind."""
    snap, warnings = on_disk(path)
    outcome = next((name for name, value in expected.items() if snap == value), None)
    assert outcome is not None, f"{where}: the bundle on disk is neither the old nor the new article"
    with patched() as patch:
        install(patch, Steps(), real_fsync=False)
        save_bundle(clone(new_article()), path, expected_fingerprint=bundle_fingerprint(path))
    assert sorted(os.listdir(path.parent)) == [path.name], f"{where}: leftovers after the next save"
    return "repaired" if any("interrupted" in w for w in warnings) else outcome


@pytest.mark.parametrize("form", list(FORMS))
def test_a_save_killed_at_any_moment_leaves_the_old_or_the_new_bundle(
    tmp_path: Path, form: str, expected: dict[str, tuple]
) -> None:
    suffix, atomic_exchange = FORMS[form]
    template = _template(tmp_path, suffix)
    log, took = _dry_run(tmp_path, template, atomic_exchange)
    assert len(log) > 20 and "write" in log
    rng = random.Random(f"{SEED}-{form}")
    outcomes: dict[str, int] = {}
    trials = [("step", moment) for moment in _step_moments(log, rng)]
    # From outside, the kill can also land between steps (inside zlib, json, a hash…).
    trials += [("timed", rng.uniform(0, took * 1.2)) for _ in range(TIMED_TRIALS)]
    for number, (how, when) in enumerate(trials):
        path = tmp_path / f"t{number}" / f"Story {form}{suffix}"
        path.parent.mkdir()
        copy_bundle(template, path)
        if how == "step":
            pid = _fork_save(path, Steps(at=int(when), action=kill_now), atomic_exchange)
        else:
            read_end, write_end = os.pipe()
            pid = _fork_save(path, None, atomic_exchange, go_fd=write_end)
            os.close(write_end)
            assert os.read(read_end, 1) == b"g"
            os.close(read_end)
            deadline = time.perf_counter() + when
            while time.perf_counter() < deadline:
                pass  # a busy wait places the kill far more precisely than sleeping would
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        assert code in (0, -signal.SIGKILL), f"{how} {when}: the save failed instead of dying (exit {code})"
        outcome = _check_after_kill(path, expected, f"{form}, {how} kill at {when}")
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        shutil.rmtree(path.parent)
    assert len(trials) >= 80
    assert outcomes.get("old", 0) > 0 and outcomes.get("new", 0) > 0, outcomes
    # Only the rename fallback has a moment with no bundle at the path; opening then puts one back.
    assert ("repaired" in outcomes) == (not atomic_exchange), outcomes


# --- failures during a save: disk full, no permission, the bundle vanishing ---------------------------


def _assert_one_sentence(message: str, path: Path) -> None:
    assert "\n" not in message and message.endswith("."), message
    assert path.name in message, message
    assert "Traceback" not in message and ".tmp" not in message and TMP_MARK not in message
    assert OLD_MARK not in message, message


def _count_steps(tmp_path: Path, template: Path, kinds: frozenset[str]) -> int:
    path = tmp_path / f"count{template.suffix}"
    copy_bundle(template, path)
    steps = Steps(kinds=kinds)
    with patched() as patch:
        install(patch, steps, real_fsync=False)
        save_bundle(clone(new_article()), path, expected_fingerprint=bundle_fingerprint(path))
    shutil.rmtree(path) if path.is_dir() else path.unlink()
    return steps.count


def _raise(code: int) -> Callable[[str], None]:
    def fail(kind: str) -> None:
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize(("form", "code", "phrase"), [
    *((form, errno.ENOSPC, "disk is full") for form in FORMS),
    *((form, errno.EACCES, "no permission") for form in FORMS),
    ("zip", errno.EIO, "could not be written"),
], ids=[*(f"disk-full-{form}" for form in FORMS), *(f"permission-{form}" for form in FORMS), "io-error-zip"])
def test_a_failing_step_anywhere_keeps_the_old_bundle_and_says_why(
    tmp_path: Path, form: str, code: int, phrase: str, expected: dict[str, tuple]
) -> None:
    suffix, atomic_exchange = FORMS[form]
    template = _template(tmp_path, suffix)
    total = _count_steps(tmp_path, template, WRITE_STEPS)
    failures = 0
    for at in range(1, total + 1):
        path = tmp_path / f"t{at}" / f"Story{suffix}"
        path.parent.mkdir()
        copy_bundle(template, path)
        steps = Steps(at=at, action=_raise(code), kinds=WRITE_STEPS)
        try:
            with patched() as patch:
                install(patch, steps, real_fsync=False, atomic_exchange=atomic_exchange)
                save_bundle(clone(new_article()), path, expected_fingerprint=bundle_fingerprint(path))
        except BundleError as exc:
            failures += 1
            _assert_one_sentence(str(exc), path)
            assert phrase in str(exc), f"step {at} ({steps.log[-1]}): {exc}"
            assert on_disk(path)[0] == expected["old"], f"step {at} ({steps.log[-1]})"
            assert os.listdir(path.parent) == [path.name], f"step {at} ({steps.log[-1]}): leftovers"
        else:
            # A failure after the new bundle is in place (while tidying up) does not undo the save.
            assert on_disk(path)[0] == expected["new"], f"step {at} ({steps.log[-1]})"
        shutil.rmtree(path.parent)
    assert failures >= total // 2


def _vanish(target: Path) -> Callable[[str], None]:
    def remove(kind: str) -> None:
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)

    return remove


@pytest.mark.parametrize("form", ["zip", "folder-exchange", "folder-rename"])
@pytest.mark.parametrize("what", ["bundle", "folder"])
def test_the_bundle_or_its_folder_vanishing_mid_save_is_one_sentence(
    tmp_path: Path, form: str, what: str, expected: dict[str, tuple]
) -> None:
    suffix, atomic_exchange = FORMS[form]
    template = _template(tmp_path, suffix)
    total = _count_steps(tmp_path, template, WRITE_STEPS)
    errors = 0
    for at in range(1, total + 1):
        folder = tmp_path / f"t{at}" / "drafts"
        folder.mkdir(parents=True)
        path = folder / f"Story{suffix}"
        copy_bundle(template, path)
        steps = Steps(at=at, action=_vanish(path if what == "bundle" else folder), kinds=WRITE_STEPS)
        try:
            with patched() as patch:
                install(patch, steps, real_fsync=False, atomic_exchange=atomic_exchange)
                save_bundle(clone(new_article()), path, expected_fingerprint=bundle_fingerprint(path))
        except BundleError as exc:
            errors += 1
            _assert_one_sentence(str(exc), path)
            if folder.exists():
                # Whatever is left is never a half-written bundle.
                assert not path.exists() or on_disk(path)[0] in expected.values()
                assert set(os.listdir(folder)) <= {path.name}, f"step {at}: leftovers"
        else:
            # The other program's delete came first and the save wrote the article anew: nothing is lost.
            assert on_disk(path)[0] == expected["new"], f"step {at} ({steps.log[-1]})"
        shutil.rmtree(tmp_path / f"t{at}")
    if what == "folder":
        assert errors > 0


# --- for real: a tiny tmpfs that fills up, and one mounted read-only ------------------------------------


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 192 KiB tmpfs mounted under tmp_path (needs the right to mount; skipped otherwise)."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    try:
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=192k,nr_inodes=200", "tmpfs", str(mount)],
                                capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        pytest.skip("mount cannot be run here")
    if result.returncode != 0:
        pytest.skip("mounting a tmpfs needs privileges this run does not have")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, timeout=10, check=False)


@pytest.mark.parametrize("suffix", [".textpack", ".textbundle"])
def test_a_really_full_disk_keeps_the_old_bundle(tmpfs: Path, suffix: str, expected: dict[str, tuple]) -> None:
    path = tmpfs / f"Story{suffix}"
    fingerprint = save_bundle(old_article(), path)
    big = clone(new_article())
    # Noise does not compress, so this cannot fit beside the old bundle.
    big.assets[0] = type(big.assets[0]).from_bytes("meeting.png", random.Random(1).randbytes(400_000))
    with pytest.raises(BundleError) as failure:
        save_bundle(big, path, expected_fingerprint=fingerprint)
    _assert_one_sentence(str(failure.value), path)
    assert "disk is full" in str(failure.value)
    assert on_disk(path)[0] == expected["old"]
    assert os.listdir(tmpfs) == [path.name]
    # The disk is not left full of half-written files: the smaller new version still fits.
    save_bundle(new_article(), path, expected_fingerprint=fingerprint)
    assert on_disk(path)[0] == expected["new"]


@pytest.mark.parametrize("suffix", [".textpack", ".textbundle"])
def test_a_read_only_disk_keeps_the_old_bundle(tmpfs: Path, suffix: str, expected: dict[str, tuple]) -> None:
    path = tmpfs / f"Story{suffix}"
    fingerprint = save_bundle(old_article(), path)
    remount = subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], capture_output=True, timeout=10)
    if remount.returncode != 0:
        pytest.skip("the tmpfs cannot be made read-only here")
    with pytest.raises(BundleError) as failure:
        save_bundle(new_article(), path, expected_fingerprint=fingerprint)
    _assert_one_sentence(str(failure.value), path)
    assert "no permission" in str(failure.value)
    assert on_disk(path)[0] == expected["old"]
    assert os.listdir(tmpfs) == [path.name]


@pytest.mark.parametrize("suffix", [".textpack", ".textbundle"])
def test_a_read_only_folder_keeps_the_old_bundle(tmp_path: Path, suffix: str, expected: dict[str, tuple]) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / f"Story{suffix}"
    fingerprint = save_bundle(old_article(), path)
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("this user may write into read-only folders (root); the injected EACCES covers it")
        with pytest.raises(BundleError) as failure:
            save_bundle(new_article(), path, expected_fingerprint=fingerprint)
    finally:
        folder.chmod(0o755)
    _assert_one_sentence(str(failure.value), path)
    assert "no permission" in str(failure.value)
    assert on_disk(path)[0] == expected["old"]
    assert os.listdir(folder) == [path.name]
