"""Which running copy of the app owns something: host, process id and process start time, and whether it still runs."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from functools import cache
from pathlib import Path


def process_start(pid: int) -> str:
    """When a process started, as an opaque string that differs for a reused pid; "" when it cannot be told."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_bytes().decode("ascii", "replace")
    except OSError:
        return ""
    # The command name in parentheses may hold spaces and brackets; the fields after the last ")" are fixed.
    fields = raw.rsplit(")", 1)[-1].split()
    # Field 22 of the file (start time in clock ticks since boot) is the 20th after the name.
    return fields[19] if len(fields) > 19 else ""


def host_name() -> str:
    """This machine's name as other instances record it."""
    return socket.gethostname() or "localhost"


@dataclass(frozen=True)
class Instance:
    """One running copy of the app."""

    host: str
    pid: int
    start: str  # process_start(pid) when it was recorded

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}:{self.start}"

    @classmethod
    def parse(cls, text: str) -> Instance | None:
        """Read the form written by str(); None when the text is not one."""
        host, sep, rest = str(text).rpartition(":")
        host, sep2, pid = host.rpartition(":")
        if not (sep and sep2 and host and pid.isdigit()):
            return None
        return cls(host=host, pid=int(pid), start=rest)

    def on_this_host(self) -> bool:
        """Whether the instance ran on this machine (only then can its liveness be checked)."""
        return self.host == host_name()

    def is_running(self) -> bool | None:
        """True or False for an instance on this host; None for another host, where it cannot be told."""
        if not self.on_this_host():
            return None
        if self.pid <= 0:
            return False
        if os.name == "nt":
            return _windows_process_exists(self.pid)
        try:
            os.kill(self.pid, 0)  # signal 0 only asks whether the process exists
        except ProcessLookupError:
            return False
        except PermissionError:
            pass  # it exists but belongs to another user
        except OSError:
            return False
        now = process_start(self.pid)
        # A different start time means the pid was reused by an unrelated process after a crash.
        return not (self.start and now and now != self.start)


def _windows_process_exists(pid: int) -> bool:
    """Whether a process runs on Windows, where os.kill would end it instead of asking."""
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        # Access denied means it exists but belongs to someone else.
        return ctypes.GetLastError() == 5  # type: ignore[attr-defined]
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


@cache
def current_instance() -> Instance:
    """This process."""
    return Instance(host=host_name(), pid=os.getpid(), start=process_start(os.getpid()))


def this_instance() -> Instance:
    """This process, recomputed after a fork (the pid changes)."""
    found = current_instance()
    if found.pid != os.getpid():
        current_instance.cache_clear()
        found = current_instance()
    return found
