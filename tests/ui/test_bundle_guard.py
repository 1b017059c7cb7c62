"""Locks and read-only places as the user meets them: asked, marked read-only, Save turns into Save As."""

from __future__ import annotations

import json

import pytest

from editor.core import lock
from editor.core.bundle import open_bundle, save_bundle
from editor.core.instance import this_instance
from editor.core.lock import BundleLock, lock_path, read_lock
from editor.core.model import Article, Metadata
from editor.ui import bundle_guard
from tests.ui.recovery_helpers import quick_window
from tests.ui.window_helpers import HEADLESS_NOISE, make_settings, type_text

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)


@pytest.fixture
def asked(monkeypatch):
    """Answers to "already open elsewhere" (True: open read-only), and the reasons shown."""
    record = {"answer": True, "reasons": []}

    def ask(_parent, _name, reason):
        record["reasons"].append(reason)
        return record["answer"]

    monkeypatch.setattr(bundle_guard, "ask_locked", ask)
    return record


@pytest.fixture
def bundle(tmp_path):
    """A saved article."""
    path = tmp_path / "shared.textbundle"
    save_bundle(Article(body="Shared text.\n", metadata=Metadata(title="Shared")), path)
    return path


@pytest.fixture
def window(qtbot, tmp_path, answers):
    """A window without the web preview."""
    return quick_window(qtbot, make_settings(tmp_path))


def test_opening_locks_the_bundle_and_closing_the_article_releases_it(window, bundle, asked):
    assert window.open_path(bundle)
    assert read_lock(bundle).instance == this_instance()
    assert not window.guard.read_only
    assert window.new_document()
    assert read_lock(bundle) is None


def test_closing_the_window_releases_the_lock(window, bundle, asked):
    assert window.open_path(bundle)
    assert window.close()
    assert read_lock(bundle) is None


def test_opening_the_same_bundle_again_keeps_our_own_lock(window, bundle, asked):
    assert window.open_path(bundle)
    assert window.open_path(bundle)
    assert asked["reasons"] == []
    assert read_lock(bundle).instance == this_instance()


def test_bundle_open_elsewhere_asks_and_opens_read_only(window, bundle, asked, answers, tmp_path):
    other = BundleLock.acquire(bundle, "ann@desk")
    try:
        assert window.open_path(bundle)
        assert "ann@desk" in asked["reasons"][0]
        assert window.guard.reasons == {"locked"}
        assert "locked" in window.text_pane.read_only_reasons()
        assert "(read-only)" in window.windowTitle()
        assert window.guard.label.isVisible()
        window.document.set_metadata("title", "Changed here")
        answers.save_path = tmp_path / "copy.textbundle"
        assert window.save()  # Save turns into Save As
        assert answers.asked_save
        assert open_bundle(bundle).article.metadata.title == "Shared"
        assert not window.guard.read_only and "(read-only)" not in window.windowTitle()
        assert window.text_pane.read_only_reasons() == set()
        assert read_lock(answers.save_path).instance == this_instance()
        assert read_lock(bundle).label == "ann@desk"  # their lock stays theirs
    finally:
        other.release()


def test_cancel_keeps_the_current_article(window, bundle, asked):
    asked["answer"] = False
    other = BundleLock.acquire(bundle, "ann@desk")
    try:
        type_text(window, "Mine")
        window.document.undo_stack.setClean()
        assert not window.open_path(bundle)
        assert window.document.article().body == "Mine"
        assert not window.guard.read_only
    finally:
        other.release()


def test_save_as_over_the_read_only_bundle_itself_is_refused(window, bundle, asked, answers):
    other = BundleLock.acquire(bundle, "ann@desk")
    try:
        assert window.open_path(bundle)
        window.document.set_metadata("title", "Mine")
        assert not window.save_as(bundle)
        assert "read-only" in answers.errors[0]
        assert open_bundle(bundle).article.metadata.title == "Shared"
    finally:
        other.release()


def test_stale_lock_of_a_crashed_instance_is_taken_over_with_a_note(window, bundle, asked):
    left = BundleLock.acquire(bundle, "crashed@desk")
    info = json.loads(lock_path(left.bundle).read_bytes())
    info["start"] = "ended-long-ago"
    lock_path(left.bundle).write_text(json.dumps(info), encoding="utf-8")
    assert window.open_path(bundle)
    assert asked["reasons"] == []
    assert "no longer running" in window.statusBar().currentMessage()
    assert read_lock(bundle).instance == this_instance()


def test_read_only_location_opens_read_only_and_says_so(window, bundle, asked, monkeypatch, answers, tmp_path):
    monkeypatch.setattr(lock, "is_read_only_location", lambda _bundle: True)
    assert window.open_path(bundle)
    assert window.guard.reasons == {"location"}
    assert "location" in window.text_pane.read_only_reasons()
    assert window.text_pane.editor.isReadOnly()
    assert window.windowTitle().startswith("shared.textbundle (read-only)")
    assert "cannot be written" in window.guard.label.text()
    answers.save_path = None
    assert not window.save()
    assert answers.asked_save  # Save asked where instead of writing in place


def test_markdown_file_needs_no_lock(window, tmp_path, asked):
    source = tmp_path / "notes.md"
    source.write_text("Notes.\n", encoding="utf-8")
    assert window.open_path(source)
    assert not window.guard.read_only
    assert not lock_path(source).exists()


def test_reopening_after_the_other_instance_let_go_gives_write_access(window, bundle, asked):
    other = BundleLock.acquire(bundle, "ann@desk")
    assert window.open_path(bundle)
    assert window.guard.read_only
    other.release()
    assert window.open_path(bundle)
    assert not window.guard.read_only
    assert read_lock(bundle).instance == this_instance()
