"""Recovery copies written off the UI thread (newest wins, never two at once) and the optional autosave."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from editor.core.bundle import bundle_fingerprint, open_bundle, save_bundle
from editor.core.model import Article, Metadata
from editor.ui import autosave
from editor.ui.autosave import RecoveryWriter
from tests.ui.recovery_helpers import copy_text, quick_window
from tests.ui.window_helpers import (
    HEADLESS_NOISE,
    make_settings,
    type_text,
)

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)


class GatedStore:
    """A store whose writes wait for the test to let them through, and which counts overlapping writes."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.started = threading.Event()
        self.written: list[tuple[str, str]] = []
        self.discarded: list[str] = []
        self.running = 0
        self.most_at_once = 0
        self._count = threading.Lock()

    def write(self, key, article, source, fingerprint) -> None:
        with self._count:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        self.started.set()
        self.gate.wait(10)
        with self._count:
            self.running -= 1
        self.written.append((key, article.body))

    def discard(self, key) -> None:
        self.discarded.append(key)


def test_writer_carries_out_only_the_newest_snapshot_of_a_key_and_never_two_at_once(qtbot):
    store = GatedStore()
    writer = RecoveryWriter(store)
    writer.write("k", Article(body="one"), None, None)
    assert store.started.wait(10)  # the first write is now under way and held
    writer.write("k", Article(body="two"), None, None)
    writer.write("k", Article(body="three"), None, None)
    writer.write("other", Article(body="elsewhere"), None, None)
    store.gate.set()
    writer.wait()
    assert store.written == [("k", "one"), ("k", "three"), ("other", "elsewhere")]
    assert store.most_at_once == 1


def test_discard_after_a_running_write_wins(qtbot):
    store = GatedStore()
    writer = RecoveryWriter(store)
    writer.write("k", Article(body="one"), None, None)
    assert store.started.wait(10)
    writer.write("k", Article(body="two"), None, None)
    writer.discard("k")
    store.gate.set()
    writer.wait()
    assert store.written == [("k", "one")] and store.discarded == ["k"]


def test_a_failing_store_is_reported_once_and_later_copies_still_go(qtbot, tmp_path, answers):
    window = quick_window(qtbot, make_settings(tmp_path))
    copies = window.features["recovery_ui"].copies
    calls = []

    def broken(key, article, source, fingerprint):
        calls.append(article.body)
        raise OSError(28, "No space left on device")

    copies.writer.store.write = broken
    type_text(window, "a")
    qtbot.waitUntil(lambda: "No space left" in window.statusBar().currentMessage())
    type_text(window, "b")
    qtbot.waitUntil(lambda: "ab" in calls)


def test_typing_on_keeps_the_two_second_deadline_instead_of_postponing_it(qtbot, tmp_path, answers):
    window = quick_window(qtbot, make_settings(tmp_path), fast_copies=False)
    copies = window.features["recovery_ui"].copies
    assert (copies.idle.interval(), copies.cap.interval()) == (autosave.IDLE_MS, autosave.MAX_DELAY_MS)
    type_text(window, "a")
    first_deadline = copies.cap.remainingTime()
    type_text(window, "b")
    assert copies.idle.isActive() and copies.cap.isActive()
    assert copies.cap.remainingTime() <= first_deadline  # not restarted by the second keystroke


def test_an_unmodified_article_gets_no_copy(qtbot, tmp_path, answers):
    window = quick_window(qtbot, make_settings(tmp_path))
    copies = window.features["recovery_ui"].copies
    copies.snapshot()
    copies.writer.wait()
    assert copies.store.keys() == []


def test_metadata_changes_alone_are_copied(qtbot, tmp_path, answers):
    window = quick_window(qtbot, make_settings(tmp_path))
    copies = window.features["recovery_ui"].copies
    window.document.set_metadata("title", "Only a title")
    qtbot.waitUntil(lambda: copies.store.entry(copies.key).title == "Only a title" if copies.store.keys() else False)


# --- autosave into the bundle ----------------------------------------------------------------
def opened_window(qtbot, tmp_path, on: bool):
    """A window with a saved bundle open and autosave on or off."""
    path = tmp_path / "auto.textbundle"
    save_bundle(Article(body="Start.\n", metadata=Metadata(title="Auto")), path)
    window = quick_window(qtbot, make_settings(tmp_path))
    window.preferences.autosave_bundle = on
    assert window.open_path(path)
    feature = window.features["recovery_ui"]
    feature.autosave.timer.setInterval(10)
    return window, path, feature.autosave


def test_autosave_is_off_by_default(qtbot, tmp_path, answers):
    window = quick_window(qtbot, make_settings(tmp_path))
    assert window.preferences.autosave_bundle is False
    assert window.features["recovery_ui"].autosave.run() is False


def test_autosave_saves_into_the_bundle_after_a_quiet_spell(qtbot, tmp_path, answers):
    window, path, _auto = opened_window(qtbot, tmp_path, on=True)
    type_text(window, "Autosaved words. ")
    qtbot.waitUntil(lambda: not window.document.is_modified)
    assert open_bundle(path).article.body.startswith("Autosaved words.")


def test_autosave_off_leaves_the_bundle_alone(qtbot, tmp_path, answers):
    window, path, auto = opened_window(qtbot, tmp_path, on=False)
    type_text(window, "Not saved. ")
    assert not auto.timer.isActive()
    assert auto.run() is False
    assert open_bundle(path).article.body == "Start.\n"


def test_autosave_waits_while_a_dialog_is_open(qtbot, tmp_path, answers):
    window, path, auto = opened_window(qtbot, tmp_path, on=True)
    auto.timer.stop()
    type_text(window, "Held back. ")
    auto.timer.stop()
    dialog = QDialog(window)
    dialog.setModal(True)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.isVisible())
    try:
        assert auto.run() is False
        assert auto.timer.isActive()  # tries again later
    finally:
        dialog.close()
        dialog.deleteLater()
    assert open_bundle(path).article.body == "Start.\n"


def test_a_conflict_stops_autosave_and_says_why_once(qtbot, tmp_path, answers):
    window, path, auto = opened_window(qtbot, tmp_path, on=True)
    auto.timer.stop()
    save_bundle(Article(body="Someone else's.\n"), path, expected_fingerprint=bundle_fingerprint(path))
    type_text(window, "Mine. ")
    auto.timer.stop()
    assert auto.run() is False
    assert "another program" in auto.stopped_because
    assert "Autosave is paused" in window.statusBar().currentMessage()
    assert answers.asked_conflict == [] and answers.errors == []  # no question popped up on its own
    assert auto.run() is False  # stays off; nothing more is tried
    assert open_bundle(path).article.body == "Someone else's.\n"
    assert window.document.is_modified


def test_read_only_bundle_is_never_autosaved(qtbot, tmp_path, answers, monkeypatch):
    from editor.core import lock

    monkeypatch.setattr(lock, "is_read_only_location", lambda _bundle: True)
    window, path, auto = opened_window(qtbot, tmp_path, on=True)
    assert window.guard.read_only
    assert auto.run() is False
    assert Path(path, "text.md").read_text(encoding="utf-8") == "Start.\n"


def test_recovery_copy_follows_autosave_away(qtbot, tmp_path, answers):
    window, _path, _auto = opened_window(qtbot, tmp_path, on=True)
    copies = window.features["recovery_ui"].copies
    type_text(window, "x")
    qtbot.waitUntil(lambda: not window.document.is_modified)
    copies.writer.wait()
    assert copy_text(copies.store, copies.key) == ""
