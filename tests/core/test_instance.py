"""Telling whether the instance that wrote a lock or a recovery copy still runs."""

from __future__ import annotations

import os
import subprocess
import sys

from editor.core.instance import Instance, host_name, process_start, this_instance


def test_this_process_is_running() -> None:
    me = this_instance()
    assert (me.host, me.pid) == (host_name(), os.getpid())
    assert me.is_running() is True
    assert Instance.parse(str(me)) == me


def test_a_finished_process_is_not_running() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert Instance(host_name(), child.pid, "").is_running() is False


def test_a_reused_pid_is_not_the_same_instance() -> None:
    assert process_start(os.getpid())
    assert Instance(host_name(), os.getpid(), "0").is_running() is False


def test_another_host_cannot_be_told() -> None:
    assert Instance("elsewhere.example", os.getpid(), "").is_running() is None


def test_parse_refuses_other_text() -> None:
    assert Instance.parse("window-1") is None
    assert Instance.parse("host:abc:1") is None
    assert Instance.parse("my:host:12:34") == Instance("my:host", 12, "34")
