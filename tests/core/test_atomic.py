"""The atomic-write helper: the old content survives any failed write, and permissions are kept."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from editor.core.atomic import atomic_open, atomic_write_bytes, atomic_write_text, describe_os_error
from editor.core.errors import EditorError


def test_writes_replace_the_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    atomic_write_text(target, "first version, rather long\n")
    atomic_write_text(target, "second\r\n")
    assert target.read_bytes() == b"second\r\n"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_an_exception_while_writing_keeps_the_old_content(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    atomic_write_bytes(target, b"old")
    with pytest.raises(RuntimeError), atomic_open(target) as handle:
        handle.write(b"half of the new")
        raise RuntimeError("crash in the middle")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["a.txt"]


@pytest.mark.parametrize(
    ("failing", "code", "phrase"),
    [("os.replace", errno.ENOSPC, "disk is full"), ("os.fsync", errno.ENOSPC, "disk is full"),
     ("os.replace", errno.EROFS, "no permission"), ("os.replace", errno.EIO, "could not be written")],
)
def test_a_failing_system_call_keeps_the_old_content_and_explains(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str, code: int, phrase: str
) -> None:
    target = tmp_path / "a.txt"
    atomic_write_bytes(target, b"old")

    def fail(*args: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(failing, fail)
    with pytest.raises(EditorError, match=phrase):
        atomic_write_bytes(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_a_missing_folder_is_reported_in_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(EditorError, match="could not be written"):
        atomic_write_bytes(tmp_path / "nowhere" / "a.txt", b"x")


def test_permissions_of_the_replaced_file_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    atomic_write_bytes(target, b"old")
    target.chmod(0o640)
    atomic_write_bytes(target, b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    atomic_write_bytes(target, b"x")
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_describe_os_error_names_the_file() -> None:
    message = describe_os_error(OSError(errno.EACCES, "Permission denied"), Path("/x/story.textpack"))
    assert "/x/story.textpack" in message
    assert message.endswith(".")
