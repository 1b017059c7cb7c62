"""Crash recovery as a user meets it: a copy while typing, and the offer to restore at the next start."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from editor.core.bundle import bundle_fingerprint, open_bundle, save_bundle
from editor.core.instance import this_instance
from editor.core.lock import read_lock
from editor.core.model import Article, ImageAsset, Metadata
from editor.core.recovery import RecoveryStore
from editor.ui import recovery_dialog, recovery_ui
from tests.ui.recovery_helpers import DEAD_OWNER, copy_text, crash, dead_store, quick_window
from tests.ui.window_helpers import (
    HEADLESS_NOISE,
    make_settings,
    png_bytes,
    type_text,
)

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)


@pytest.fixture
def settings(tmp_path):
    """Settings (and so the recovery folder) in the test's own folder."""
    return make_settings(tmp_path)


@pytest.fixture
def offers(monkeypatch):
    """Record what the recovery dialog offers; each test scripts the answers in `offers.answers`."""
    @dataclass
    class Offers:
        shown: list[list[recovery_dialog.RecoveredItem]] = field(default_factory=list)
        answers: list = field(default_factory=list)
        confirms: list[bool] = field(default_factory=list)

    offers = Offers()

    def ask(_parent, items):
        offers.shown.append(list(items))
        answer = offers.answers.pop(0) if offers.answers else None
        return answer(items) if callable(answer) else answer

    monkeypatch.setattr(recovery_dialog, "ask_recovery", ask)
    monkeypatch.setattr(recovery_dialog, "confirm_discard",
                        lambda _parent, _title: offers.confirms.pop(0) if offers.confirms else False)
    return offers


def first_key(items):
    """The key of the first offered article."""
    return items[0].entry.key


def crashed_window(qtbot, settings, monkeypatch, text: str, bundle=None):
    """A window that got `text` typed, had its copy written, then died."""
    monkeypatch.setattr(recovery_ui, "make_store", dead_store)
    window = quick_window(qtbot, settings)
    if bundle is not None:
        assert window.open_path(bundle)
    type_text(window, text)
    feature = window.features["recovery_ui"]
    qtbot.waitUntil(lambda: text in copy_text(feature.store, feature.copies.key))
    crash(window, monkeypatch)
    monkeypatch.setattr(recovery_ui, "make_store", lambda root: RecoveryStore(root))
    return window


def story(tmp_path, name="story.textbundle"):
    """A saved bundle with a captioned picture."""
    path = tmp_path / name
    picture = ImageAsset.from_bytes("photo.png", png_bytes("green"), alt="Green", caption="Old caption")
    save_bundle(Article(body="Saved text.\n\n![Green](assets/photo.png)\n", metadata=Metadata(title="Story"),
                        assets=[picture]), path)
    return path


# --- copies while typing ---------------------------------------------------------------------
def test_first_keystroke_in_a_never_saved_article_gets_a_recovery_copy(qtbot, settings, answers):
    window = quick_window(qtbot, settings, fast_copies=False)
    feature = window.features["recovery_ui"]
    type_text(window, "The first words")
    qtbot.waitUntil(lambda: copy_text(feature.store, feature.copies.key) == "The first words")
    assert feature.store.root == settings_root(settings) / "recovery"


def settings_root(settings):
    """The folder of the test's settings file."""
    from pathlib import Path

    return Path(settings.fileName()).parent


def test_a_successful_save_removes_the_copy(qtbot, settings, answers, tmp_path):
    window = quick_window(qtbot, settings)
    feature = window.features["recovery_ui"]
    type_text(window, "Soon saved")
    feature.copies.snapshot()
    feature.copies.writer.wait()
    key = feature.copies.key
    assert key in set(feature.store.keys())
    assert window.save_as(tmp_path / "saved.textbundle")
    feature.copies.writer.wait()
    assert key not in set(feature.store.keys())


def test_closing_with_dont_save_removes_the_copy(qtbot, settings, answers):
    window = quick_window(qtbot, settings)
    feature = window.features["recovery_ui"]
    store, key = feature.store, feature.copies.key
    type_text(window, "Thrown away")
    feature.copies.snapshot()
    answers.unsaved = "discard"
    assert window.close()
    assert key not in set(store.keys())


def test_cancelled_close_keeps_the_copy_coming(qtbot, settings, answers):
    window = quick_window(qtbot, settings)
    feature = window.features["recovery_ui"]
    type_text(window, "Kept")
    answers.unsaved = "cancel"
    assert not window.close()
    qtbot.waitUntil(lambda: copy_text(feature.store, feature.copies.key) == "Kept")


def test_new_article_gets_its_own_key_and_the_discarded_one_goes(qtbot, settings, answers):
    window = quick_window(qtbot, settings)
    feature = window.features["recovery_ui"]
    type_text(window, "Dropped")
    feature.copies.snapshot()
    old = feature.copies.key
    assert window.new_document()
    type_text(window, "Fresh")
    qtbot.waitUntil(lambda: copy_text(feature.store, feature.copies.key) == "Fresh")
    assert feature.copies.key != old
    assert old not in set(feature.store.keys())


# --- after a crash ---------------------------------------------------------------------------
def test_after_a_crash_restore_brings_back_text_and_caption_bound_to_the_bundle(
        qtbot, settings, answers, offers, monkeypatch, tmp_path):
    bundle = story(tmp_path)
    monkeypatch.setattr(recovery_ui, "make_store", dead_store)
    first = quick_window(qtbot, settings)
    assert first.open_path(bundle)
    type_text(first, "Typed just before the crash. ")
    first.document.set_asset_field("photo.png", "caption", "New caption")
    feature = first.features["recovery_ui"]
    qtbot.waitUntil(lambda: "just before the crash" in copy_text(feature.store, feature.copies.key))
    qtbot.waitUntil(lambda: feature.store.load(feature.copies.key).assets[0].caption == "New caption")
    crash(first, monkeypatch)
    monkeypatch.setattr(recovery_ui, "make_store", lambda root: RecoveryStore(root))

    offers.answers = [lambda items: ("restore", first_key(items))]
    second = quick_window(qtbot, settings)
    qtbot.waitUntil(lambda: len(offers.shown) == 1)
    [item] = offers.shown[0]
    assert item.entry.source == bundle and item.entry.title == "Story"
    assert item.changes  # how it differs from the saved bundle is shown
    document = second.document
    assert "Typed just before the crash." in document.article().body
    assert document.asset("photo.png").caption == "New caption"
    assert document.asset("photo.png").data.read_bytes() == png_bytes("green")
    assert document.is_modified and second.isWindowModified()
    assert document.path == bundle and document.fingerprint == bundle_fingerprint(bundle)
    # The crashed instance's lock was recognised as stale and taken over.
    assert read_lock(bundle).instance == this_instance()

    assert second.save()  # back where it came from, no conflict
    assert open_bundle(bundle).article.assets[0].caption == "New caption"
    second.features["recovery_ui"].copies.writer.wait()
    assert not RecoveryStore(settings_root(settings) / "recovery").orphans()


def test_restore_of_a_never_saved_article_asks_where_on_save(qtbot, settings, answers, offers, monkeypatch,
                                                            tmp_path):
    crashed_window(qtbot, settings, monkeypatch, "Never saved anywhere")
    offers.answers = [lambda items: ("restore", first_key(items))]
    second = quick_window(qtbot, settings)
    qtbot.waitUntil(lambda: second.document.article().body == "Never saved anywhere")
    assert offers.shown[0][0].where == "never saved"
    answers.save_path = tmp_path / "rescued.textbundle"
    assert second.save()
    assert open_bundle(answers.save_path).article.body.startswith("Never saved anywhere")


def test_save_as_restores_then_asks_where(qtbot, settings, answers, offers, monkeypatch, tmp_path):
    crashed_window(qtbot, settings, monkeypatch, "Save me elsewhere")
    answers.save_path = tmp_path / "elsewhere.textbundle"
    offers.answers = [lambda items: ("save_as", first_key(items))]
    second = quick_window(qtbot, settings)
    qtbot.waitUntil(lambda: answers.save_path.exists())
    assert open_bundle(answers.save_path).article.body.startswith("Save me elsewhere")
    assert not second.document.is_modified


def test_discard_asks_first_and_only_then_removes_the_copy(qtbot, settings, answers, offers, monkeypatch):
    crashed_window(qtbot, settings, monkeypatch, "Maybe not wanted")
    store = RecoveryStore(settings_root(settings) / "recovery")
    [entry] = store.orphans()
    offers.answers = [lambda items: ("discard", first_key(items)), lambda items: ("discard", first_key(items))]
    offers.confirms = [False, True]
    quick_window(qtbot, settings)
    qtbot.waitUntil(lambda: len(offers.shown) == 2)
    assert entry.key not in set(store.keys())


def test_decide_later_deletes_nothing(qtbot, settings, answers, offers, monkeypatch):
    crashed_window(qtbot, settings, monkeypatch, "Later, please")
    offers.answers = [None]
    window = quick_window(qtbot, settings)
    qtbot.waitUntil(lambda: len(offers.shown) == 1)
    assert window.document.article().body == ""
    assert [e.title for e in RecoveryStore(settings_root(settings) / "recovery").orphans()] == ["Later, please"]


def test_several_recovered_articles_are_offered_one_after_another(qtbot, settings, answers, offers, tmp_path):
    root = settings_root(settings) / "recovery"
    left = dead_store(root)
    for text in ("First lost article", "Second lost article"):
        left.write(left.new_key(), Article(body=text, metadata=Metadata(title=text)), None, None)
    offers.answers = [lambda items: ("restore", first_key(items)), None]
    window = quick_window(qtbot, settings)
    qtbot.waitUntil(lambda: len(offers.shown) == 1)
    assert len(offers.shown[0]) == 2
    restored = window.document.metadata.title
    answers.save_path = tmp_path / "one.textbundle"
    assert window.save()
    qtbot.waitUntil(lambda: len(offers.shown) == 2)
    [remaining] = offers.shown[1]
    assert remaining.entry.title != restored


def test_a_running_instance_s_copies_are_not_offered(qtbot, settings, answers, offers):
    busy = quick_window(qtbot, settings)
    type_text(busy, "Still being written")
    busy.features["recovery_ui"].copies.snapshot()
    busy.features["recovery_ui"].copies.writer.wait()
    later = quick_window(qtbot, settings)
    later.features["recovery_ui"].offer_recovered()
    assert offers.shown == []


def test_dead_owner_is_really_seen_as_dead():
    from editor.core.instance import Instance

    assert Instance.parse(DEAD_OWNER).is_running() is False


def test_a_bundle_changed_since_the_crash_is_not_overwritten_silently(qtbot, settings, answers, offers, monkeypatch,
                                                                      tmp_path):
    bundle = story(tmp_path)
    crashed_window(qtbot, settings, monkeypatch, "Crashed edit. ", bundle=bundle)
    save_bundle(Article(body="Edited elsewhere after the crash.\n"), bundle, force=True)
    offers.answers = [lambda items: ("restore", first_key(items))]
    second = quick_window(qtbot, settings)
    qtbot.waitUntil(lambda: "Crashed edit." in second.document.article().body)
    answers.conflict = "cancel"
    assert not second.save()
    assert answers.asked_conflict == ["story.textbundle"]
    assert open_bundle(bundle).article.body == "Edited elsewhere after the crash.\n"
    assert second.document.is_modified


def test_a_damaged_copy_is_reported_in_one_sentence_and_kept(qtbot, settings, answers, offers, monkeypatch):
    crashed_window(qtbot, settings, monkeypatch, "Soon damaged")
    store = RecoveryStore(settings_root(settings) / "recovery")
    [entry] = store.orphans()
    for article_file in (store.root / entry.key).glob("article-*.json"):
        article_file.write_bytes(b"{not json")
    offers.answers = [lambda items: ("restore", first_key(items))]
    window = quick_window(qtbot, settings)
    qtbot.waitUntil(lambda: len(answers.errors) == 1)
    assert "damaged" in answers.errors[0] and "\n" not in answers.errors[0]
    assert window.document.article().body == ""
    assert entry.key in set(store.keys())


def test_started_with_a_file_the_crashed_article_is_still_offered(qtbot, settings, answers, offers, monkeypatch,
                                                                   tmp_path):
    from editor.ui import app
    from tests.ui.window_helpers import track_window

    bundle = story(tmp_path)
    crashed_window(qtbot, settings, monkeypatch, "Typed before the kill. ", bundle=bundle)
    offers.answers = [lambda items: ("restore", first_key(items))]
    window = track_window(qtbot, app.start_window(bundle, settings))
    qtbot.waitUntil(lambda: "Typed before the kill." in window.document.article().body)
    assert window.document.path == bundle and window.document.is_modified
    assert read_lock(bundle).instance == this_instance()
