"""A bundle changed or deleted by another program while open: noticed once, and the user chooses."""

from __future__ import annotations

import shutil

import pytest

from editor.core.bundle import bundle_fingerprint, open_bundle, save_bundle
from editor.core.model import Article, Metadata
from editor.ui import file_watch
from tests.ui.recovery_helpers import quick_window
from tests.ui.window_helpers import HEADLESS_NOISE, make_settings, type_text

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)


@pytest.fixture
def notices(monkeypatch):
    """The notices shown (title, sentence, choice keys) instead of real boxes."""
    shown = []
    monkeypatch.setattr(file_watch, "show_notice",
                        lambda _parent, title, sentence, choices, _on_choice:
                        shown.append((title, sentence, [key for key, _label in choices])))
    return shown


def open_window(qtbot, tmp_path, name="watched.textbundle"):
    """A window with a saved bundle open."""
    path = tmp_path / name
    save_bundle(Article(body="On disk.\n", metadata=Metadata(title="Watched")), path)
    window = quick_window(qtbot, make_settings(tmp_path / "settings"))
    assert window.open_path(path)
    return window, path


def change_elsewhere(path, body="Changed by another program.\n"):
    """Another program saves the bundle."""
    save_bundle(Article(body=body, metadata=Metadata(title="Watched")), path, force=True)


def test_a_change_by_another_program_is_noticed_and_offers_the_choices(qtbot, tmp_path, answers, notices):
    window, path = open_window(qtbot, tmp_path)
    change_elsewhere(path)
    qtbot.waitUntil(lambda: len(notices) == 1)
    _title, sentence, choices = notices[0]
    assert "changed by another program" in sentence
    assert choices == ["reload", "keep_mine", "compare", "ignore"]
    assert window.document.article().body == "On disk.\n"  # nothing replaced behind the user's back


def test_a_file_edited_in_place_is_noticed(qtbot, tmp_path, answers, notices):
    _window, path = open_window(qtbot, tmp_path)
    with open(path / "text.md", "a", encoding="utf-8") as handle:
        handle.write("Appended by an editor.\n")
    qtbot.waitUntil(lambda: len(notices) == 1)


def test_our_own_saves_are_not_reported(qtbot, tmp_path, answers, notices):
    window, _path = open_window(qtbot, tmp_path)
    watch = window.features["recovery_ui"].watch
    for word in ("one ", "two ", "three "):
        type_text(window, word)
        assert window.save()
    qtbot.waitUntil(lambda: not watch.debounce.isActive())  # the look after the saves' events is done
    watch.check()
    assert notices == []


def test_a_burst_of_changes_gives_one_notice(qtbot, tmp_path, answers, notices):
    window, path = open_window(qtbot, tmp_path)
    for n in range(5):
        change_elsewhere(path, f"Version {n}.\n")
    qtbot.waitUntil(lambda: len(notices) == 1)
    watch = window.features["recovery_ui"].watch
    qtbot.waitUntil(lambda: not watch.debounce.isActive())
    watch.check()
    assert len(notices) == 1


def test_reload_reads_the_disk_version(qtbot, tmp_path, answers, notices):
    window, path = open_window(qtbot, tmp_path)
    change_elsewhere(path)
    qtbot.waitUntil(lambda: len(notices) == 1)
    assert window.features["recovery_ui"].watch.choose("reload")
    assert window.document.article().body == "Changed by another program.\n"
    assert window.document.fingerprint == bundle_fingerprint(path)
    assert not window.document.is_modified


def test_reload_with_unsaved_changes_asks_first(qtbot, tmp_path, answers, notices, monkeypatch):
    window, path = open_window(qtbot, tmp_path)
    type_text(window, "My unsaved words. ")
    change_elsewhere(path)
    qtbot.waitUntil(lambda: len(notices) == 1)
    asked = []
    monkeypatch.setattr(file_watch, "ask_reload_over_changes", lambda _parent, name: asked.append(name) or False)
    watch = window.features["recovery_ui"].watch
    assert not watch.choose("reload")
    assert asked == ["watched.textbundle"]
    assert "My unsaved words." in window.document.article().body
    monkeypatch.setattr(file_watch, "ask_reload_over_changes", lambda _parent, _name: True)
    assert watch.choose("reload")
    assert window.document.article().body == "Changed by another program.\n"


def test_keep_mine_saves_elsewhere(qtbot, tmp_path, answers, notices):
    window, path = open_window(qtbot, tmp_path)
    type_text(window, "Mine. ")
    change_elsewhere(path)
    qtbot.waitUntil(lambda: len(notices) == 1)
    answers.save_path = tmp_path / "mine.textbundle"
    assert window.features["recovery_ui"].watch.choose("keep_mine")
    assert open_bundle(answers.save_path).article.body.startswith("Mine. ")
    assert open_bundle(path).article.body == "Changed by another program.\n"


def test_compare_shows_how_the_window_differs_from_the_disk(qtbot, tmp_path, answers, notices, monkeypatch):
    window, path = open_window(qtbot, tmp_path)
    change_elsewhere(path)
    qtbot.waitUntil(lambda: len(notices) == 1)
    shown = []
    monkeypatch.setattr(file_watch, "show_comparison", lambda _parent, name, lines: shown.append((name, lines)))
    assert window.features["recovery_ui"].watch.choose("compare")
    [(name, lines)] = shown
    assert name == "watched.textbundle" and lines
    assert len(notices) == 2  # the choice is offered again after comparing


def test_deleted_bundle_keeps_the_text_marks_it_modified_and_offers_save_as(qtbot, tmp_path, answers, notices):
    window, path = open_window(qtbot, tmp_path)
    shutil.rmtree(path)
    qtbot.waitUntil(lambda: len(notices) == 1)
    _title, sentence, choices = notices[0]
    assert "deleted" in sentence and choices == ["save_as", "ignore"]
    assert window.document.article().body == "On disk.\n"
    assert window.document.is_modified and window.isWindowModified()
    assert window.save()  # Save puts it back where it was
    assert open_bundle(path).article.body == "On disk.\n"


def test_a_changed_textpack_is_noticed_too(qtbot, tmp_path, answers, notices):
    _window, path = open_window(qtbot, tmp_path, "packed.textpack")
    change_elsewhere(path)
    qtbot.waitUntil(lambda: len(notices) == 1)


def test_ignore_is_not_asked_again_for_the_same_change(qtbot, tmp_path, answers, notices):
    window, path = open_window(qtbot, tmp_path)
    change_elsewhere(path)
    qtbot.waitUntil(lambda: len(notices) == 1)
    watch = window.features["recovery_ui"].watch
    assert not watch.choose("ignore")
    watch.check()
    assert len(notices) == 1


def test_real_notice_box_hands_back_the_button_pressed(qtbot, tmp_path, answers):
    window, _path = open_window(qtbot, tmp_path)
    chosen = []
    box = file_watch.show_notice(window, "Changed on Disk", "It changed.",
                                 [("reload", "Reload"), ("ignore", "Ignore")], chosen.append)
    assert not box.isModal()
    [reload] = [b for b in box.buttons() if b.text() == "Reload"]
    reload.click()
    assert chosen == ["reload"]


def test_a_deleted_bundle_put_back_by_another_program_is_noticed(qtbot, tmp_path, answers, notices):
    window, path = open_window(qtbot, tmp_path)
    shutil.rmtree(path)
    qtbot.waitUntil(lambda: len(notices) == 1)
    change_elsewhere(path, body="Restored from the trash, then edited.\n")
    qtbot.waitUntil(lambda: len(notices) == 2)
    _title, sentence, choices = notices[1]
    assert "changed by another program" in sentence and "reload" in choices
    assert window.document.article().body == "On disk.\n"  # the window's text stays until the user chooses
