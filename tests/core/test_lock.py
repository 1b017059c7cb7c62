"""Bundle locks: one instance per bundle, stale locks of crashed instances recognised, read-only folders told apart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from editor.core import lock as lock_module
from editor.core.instance import host_name, process_start
from editor.core.lock import (
    BundleLock,
    LockedError,
    LockInfo,
    ReadOnlyLocationError,
    is_read_only_location,
    lock_path,
    read_lock,
)


def _write_lock(bundle: Path, **changes: object) -> Path:
    now = datetime.now(UTC).isoformat()
    data = {"label": "bo@desk", "host": host_name(), "pid": os.getpid(), "start": process_start(os.getpid()),
            "since": now, "touched": now, "token": "t0", "app": "Article Editor"}
    data.update(changes)
    path = lock_path(bundle)
    path.write_text(json.dumps(data))
    return path


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_lock_file_sits_beside_the_bundle(tmp_path: Path) -> None:
    bundle = tmp_path / "Story.textbundle"
    held = BundleLock.acquire(bundle, "ann@laptop")
    assert held.path == tmp_path / ".~lock.Story.textbundle#"
    info = read_lock(bundle)
    assert info is not None and (info.label, info.pid) == ("ann@laptop", os.getpid())
    assert not held.was_stale and held.held
    held.release()
    held.release()
    assert not held.path.exists() and not held.held
    assert [p.name for p in tmp_path.iterdir()] == []


def test_a_live_holder_is_named_in_one_sentence(tmp_path: Path) -> None:
    bundle = tmp_path / "Story.textbundle"
    first = BundleLock.acquire(bundle, "ann@laptop")
    with pytest.raises(LockedError) as caught:
        BundleLock.acquire(bundle, "ann@laptop")
    since = datetime.fromisoformat(first.info.since).astimezone().strftime("%H:%M")
    assert str(caught.value) == (
        f"“Story.textbundle” is already open in Article Editor (ann@laptop, process {os.getpid()}, since {since}); "
        "open it read-only or close it there."
    )
    first.release()
    with BundleLock.acquire(bundle, "ann@laptop") as again:
        assert again.held
    assert not lock_path(bundle).exists()


def test_a_lock_held_by_another_running_process(tmp_path: Path) -> None:
    bundle = tmp_path / "Story.textpack"
    parent = os.getppid()
    _write_lock(bundle, pid=parent, start=process_start(parent))
    with pytest.raises(LockedError, match=rf"bo@desk, process {parent}, since"):
        BundleLock.acquire(bundle, "ann@laptop")


@pytest.mark.parametrize("why", ["dead pid", "reused pid"])
def test_a_stale_lock_is_taken_over(tmp_path: Path, why: str) -> None:
    bundle = tmp_path / "Story.textbundle"
    if why == "dead pid":
        _write_lock(bundle, pid=_dead_pid())
    else:
        _write_lock(bundle, start="12345-not-the-real-start")
    held = BundleLock.acquire(bundle, "ann@laptop")
    assert held.was_stale
    assert read_lock(bundle).label == "ann@laptop"  # type: ignore[union-attr]
    held.release()


def test_another_hosts_lock_is_respected_until_the_limit(tmp_path: Path) -> None:
    bundle = tmp_path / "Story.textbundle"
    _write_lock(bundle, host="other.example", pid=1)
    with pytest.raises(LockedError):
        BundleLock.acquire(bundle, "ann@laptop")
    old = (datetime.now(UTC) - lock_module.OTHER_HOST_LIMIT - timedelta(minutes=5)).isoformat()
    _write_lock(bundle, host="other.example", pid=1, since=old, touched=old)
    assert BundleLock.acquire(bundle, "ann@laptop").was_stale


def test_an_unreadable_lock_counts_until_it_is_old(tmp_path: Path) -> None:
    bundle = tmp_path / "Story.textbundle"
    path = lock_path(bundle)
    path.write_bytes(b"{half-writ")
    with pytest.raises(LockedError, match="already open in another copy of Article Editor"):
        BundleLock.acquire(bundle, "ann@laptop")
    old = (datetime.now(UTC) - timedelta(hours=1)).timestamp()
    os.utime(path, (old, old))
    assert BundleLock.acquire(bundle, "ann@laptop").was_stale


def test_release_leaves_a_lock_that_is_no_longer_ours(tmp_path: Path) -> None:
    bundle = tmp_path / "Story.textbundle"
    held = BundleLock.acquire(bundle, "ann@laptop")
    _write_lock(bundle, token="someone-else")
    assert not held.held
    held.refresh()
    held.release()
    assert read_lock(bundle).token == "someone-else"  # type: ignore[union-attr]


def test_refresh_updates_the_time_seen_by_other_hosts(tmp_path: Path) -> None:
    bundle = tmp_path / "Story.textbundle"
    held = BundleLock.acquire(bundle, "ann@laptop")
    data = json.loads(held.path.read_text())
    data["touched"] = "2000-01-01T00:00:00+00:00"
    held.path.write_text(json.dumps(data))
    held.refresh()
    info = read_lock(bundle)
    assert info is not None and info.touched > "2020" and info.since == held.info.since
    held.release()


def test_racing_instances_cannot_both_win(tmp_path: Path) -> None:
    bundle = tmp_path / "Story.textbundle"
    _write_lock(bundle, pid=_dead_pid())
    winners: list[BundleLock] = []
    losers: list[BaseException] = []
    start = threading.Barrier(8)

    def race() -> None:
        start.wait()
        try:
            winners.append(BundleLock.acquire(bundle, "ann@laptop"))
        except LockedError as exc:
            losers.append(exc)

    threads = [threading.Thread(target=race) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1 and len(losers) == 7
    assert read_lock(bundle).token == winners[0].info.token  # type: ignore[union-attr]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".~lock.Story.textbundle#"]


def test_racing_processes_cannot_both_win(tmp_path: Path) -> None:
    bundle = tmp_path / "Story.textbundle"
    script = (
        "import sys, time\n"
        "from editor.core.lock import BundleLock, LockedError\n"
        "try:\n"
        "    BundleLock.acquire(sys.argv[1], 'child')\n"
        "    print('won', flush=True)\n"
        "    sys.stdin.read()\n"
        "except LockedError:\n"
        "    print('lost', flush=True)\n"
    )
    children = [subprocess.Popen([sys.executable, "-c", script, str(bundle)], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, text=True) for _ in range(4)]
    results = [child.stdout.readline().strip() for child in children]  # type: ignore[union-attr]
    for child in children:
        child.communicate("")
    assert sorted(results) == ["lost", "lost", "lost", "won"]
    # The winner exited without releasing: its lock is now stale and is taken over.
    assert BundleLock.acquire(bundle, "ann@laptop").was_stale


def test_a_read_only_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = tmp_path / "Story.textbundle"
    bundle.mkdir()
    assert not is_read_only_location(bundle)
    monkeypatch.setattr(lock_module, "_writable", lambda path: Path(path) != tmp_path)
    assert is_read_only_location(bundle)
    with pytest.raises(ReadOnlyLocationError, match=r"^The folder of “Story\.textbundle” cannot be written"):
        BundleLock.acquire(bundle, "ann@laptop")
    assert not lock_path(bundle).exists()


def test_a_read_only_bundle_or_textpack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pack = tmp_path / "Story.textpack"
    pack.write_bytes(b"PK")
    monkeypatch.setattr(lock_module, "_writable", lambda path: Path(path) != pack)
    assert is_read_only_location(pack)
    assert not is_read_only_location(tmp_path / "New.textpack")


@pytest.mark.skipif(os.geteuid() == 0, reason="the superuser may write anywhere")
def test_a_truly_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        assert is_read_only_location(folder / "Story.textbundle")
        with pytest.raises(ReadOnlyLocationError):
            BundleLock.acquire(folder / "Story.textbundle", "ann@laptop")
    finally:
        folder.chmod(0o755)


def test_permission_denied_while_writing_is_read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(path: Path, data: bytes) -> None:
        raise lock_module.EditorError("no") from PermissionError(13, "Permission denied")

    monkeypatch.setattr(lock_module, "atomic_write_bytes", denied)
    with pytest.raises(ReadOnlyLocationError):
        BundleLock.acquire(tmp_path / "Story.textbundle", "ann@laptop")


def test_lock_info_rejects_strangers_files() -> None:
    assert LockInfo.parse(b"[]") is None
    assert LockInfo.parse(b'{"label": 1}') is None
    assert LockInfo.parse(b"\xff") is None
