"""Starting the window: opening a file given on the command line, failures, and a clean exit."""

from __future__ import annotations

import os
import platform
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from editor.core.bundle import save_bundle
from editor.core.model import Article, Metadata
from editor.ui import app
from tests.ui.window_helpers import HEADLESS_NOISE, make_settings, track_window

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)
ROOT = Path(__file__).resolve().parents[2]


def test_make_application_reuses_the_running_application(qapp):
    assert app.make_application(["x"]) is qapp


def test_start_window_opens_the_given_bundle(qtbot, answers, tmp_path):
    path = tmp_path / "given.textbundle"
    save_bundle(Article(body="From the command line.\n", metadata=Metadata(title="Given")), path)
    window = app.start_window(path, make_settings(tmp_path))
    track_window(qtbot, window)
    assert window.isVisible()
    assert window.document.path == path
    assert "From the command line." in window.document.text_document.toPlainText()
    assert answers.errors == []


def test_start_window_with_unreadable_file_reports_one_sentence_and_still_shows(qtbot, answers, tmp_path):
    broken = tmp_path / "broken.textpack"
    broken.write_bytes(b"\x00" * 64)
    window = app.start_window(broken, make_settings(tmp_path))
    track_window(qtbot, window)
    assert window.isVisible()
    assert len(answers.errors) == 1 and "\n" not in answers.errors[0]
    assert window.document.path is None


def test_start_window_reads_preferences_from_settings(qtbot, answers, tmp_path):
    settings = make_settings(tmp_path)
    settings.setValue("author/name", "Ann Writer")
    settings.sync()
    window = app.start_window(None, settings)
    track_window(qtbot, window)
    assert window.preferences.author_name == "Ann Writer"
    assert window.document.metadata.authors == ["Ann Writer"]


# run_gui ends with the event loop, and WebEngine cannot start again in the same process once its loop
# has ended, so the whole program runs in a child process here, as it does for a user.
CHILD = """
import signal, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from editor.ui import app

def main():
    mode = sys.argv[1]
    install = app.install_interrupt_handler

    def installed(qt_app, window):
        ticker = install(qt_app, window)
        if mode == "close":
            QTimer.singleShot(0, window.close)
        else:
            print("ready", flush=True)
        return ticker

    app.install_interrupt_handler = installed
    path = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    sys.exit(app.run_gui(path, ["article-editor"]))

if __name__ == "__main__":
    main()
"""


def run_child(tmp_path: Path, *args: str) -> subprocess.Popen:
    """Start the program in a child process whose settings live in tmp_path."""
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "config"), HOME=str(tmp_path),
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen([sys.executable, str(script), *args], cwd=tmp_path, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_run_gui_opens_the_file_and_returns_zero_when_the_window_closes(tmp_path):
    path = tmp_path / "given.textbundle"
    save_bundle(Article(body="Hello.\n"), path)
    child = run_child(tmp_path, "close", str(path))
    _out, err = child.communicate(timeout=90)
    assert child.returncode == 0, err
    stored = (tmp_path / "config" / "Article Editor" / "Article Editor.conf").read_text(encoding="utf-8")
    assert "given.textbundle" in stored  # recent files and window state went to the usual settings file


def test_ctrl_c_in_the_terminal_closes_the_window_cleanly(tmp_path):
    child = run_child(tmp_path, "wait")
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    child.send_signal(signal.SIGINT)
    _out, err = child.communicate(timeout=90)
    assert child.returncode == 0, err



@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the setting is glibc's")
def test_the_engine_processes_are_asked_to_give_large_blocks_back(monkeypatch):
    monkeypatch.delenv(app.MMAP_ENV, raising=False)
    app.limit_engine_heap_growth()
    # The web engine's processes are started later and read the setting from the environment.
    assert os.environ[app.MMAP_ENV] == str(app.MMAP_THRESHOLD)


@pytest.fixture
def switch_interval():
    before = sys.getswitchinterval()
    yield
    sys.setswitchinterval(before)


def test_background_threads_hand_the_interpreter_to_the_ui_thread_sooner(switch_interval):
    sys.setswitchinterval(0.005)  # Python's default
    app.favour_ui_thread()
    assert sys.getswitchinterval() == pytest.approx(app.UI_SWITCH_INTERVAL)
    sys.setswitchinterval(0.0002)
    app.favour_ui_thread()  # a shorter interval someone chose is not made longer
    assert sys.getswitchinterval() < app.UI_SWITCH_INTERVAL / 2


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the setting is glibc's")
def test_a_threshold_chosen_by_the_user_is_kept(monkeypatch):
    monkeypatch.setenv(app.MMAP_ENV, "131072")
    app.limit_engine_heap_growth()
    assert os.environ[app.MMAP_ENV] == "131072"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the setting is glibc's")
def test_the_preview_render_process_is_kept_out_of_the_engine_setting_but_not_of_the_users(monkeypatch):
    monkeypatch.delenv(app.MMAP_ENV, raising=False)
    app.limit_engine_heap_growth()
    assert app.engine_only_environment() == {app.MMAP_ENV: str(app.MMAP_THRESHOLD)}
    monkeypatch.setenv(app.MMAP_ENV, "131072")
    assert app.engine_only_environment() == {}


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="trimming the heap is glibc's")
def test_the_heap_trimmer_trims_now_and_then_off_the_ui_thread(qtbot, qapp):
    trimmer = app.HeapTrimmer(qapp, every_ms=20)
    try:
        assert trimmer.active
        qtbot.waitUntil(lambda: trimmer._running is not None, timeout=5_000)
        thread = trimmer._running
        assert thread is not None and thread is not threading.main_thread()
        thread.join(5)
        assert trimmer.trim() is True  # the previous one has finished, so another may start
    finally:
        trimmer.deleteLater()


def test_the_heap_trimmer_does_nothing_without_glibc(qtbot, qapp, monkeypatch):
    monkeypatch.setattr(app, "_malloc_trim", lambda: None)
    trimmer = app.HeapTrimmer(qapp, every_ms=20)
    assert not trimmer.active and trimmer.trim() is False
    trimmer.deleteLater()
