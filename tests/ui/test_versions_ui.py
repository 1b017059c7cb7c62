"""Versions in the window: save, list, compare (with the current text, each other, another file), restore, copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication

from editor.core.bundle import open_bundle, save_bundle
from editor.core.model import Article, ImageAsset, Metadata
from editor.core.versions import OBJECTS_DIR, list_versions, load_version
from editor.ui import versions_ui
from editor.ui.compare_view import CompareDialog
from tests.ui.review_helpers import edit, review_window
from tests.ui.window_helpers import HEADLESS_NOISE, Answers, make_settings, patch_dialogs, png_bytes

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)
BODY = "The quick brown fox jumps over the lazy dog.\n\n![A fox](assets/fox.png)\n"


@pytest.fixture
def answers(monkeypatch) -> Answers:
    """Scripted dialog answers; version names are taken from `answers.version_names`."""
    scripted = Answers()
    patch_dialogs(monkeypatch, scripted)
    names = ["first draft", "second draft", "third"]
    monkeypatch.setattr(versions_ui, "ask_version_name", lambda _parent, _suggested: names.pop(0) if names else None)
    monkeypatch.setattr(versions_ui, "ask_delete_version", lambda _parent, _name: True)
    return scripted


@pytest.fixture
def story(tmp_path) -> Path:
    """A saved bundle with one captioned photo."""
    path = tmp_path / "story.textbundle"
    fox = ImageAsset.from_bytes("fox.png", png_bytes("orange"), caption="A fox", credit="photo by Ann", alt="Fox")
    save_bundle(Article(body=BODY, metadata=Metadata(title="Fox story"), assets=[fox]), path)
    return path


@pytest.fixture
def window(qtbot, tmp_path, answers, story):
    """The window with the story open."""
    win = review_window(qtbot, make_settings(tmp_path))
    assert win.open_path(story)
    return win


def feature(window) -> versions_ui.VersionsFeature:
    return window.features["versions_ui"]


def replace_word(window, old: str, new: str) -> None:
    start = window.document.text_document.toPlainText().index(old)
    edit(window, start, start + len(old), new)


def test_the_review_menu_offers_the_version_commands(window) -> None:
    texts = [a.text() for a in window.commands.review_menu.actions()]
    for wanted in ("Save &Version…", "&Versions…", "Compare with &File…", "Keep a Version on Every &Save"):
        assert wanted in texts
    assert feature(window).keep_on_save_action.isChecked() is False


def test_save_version_keeps_a_named_version_in_the_saved_bundle(window, story) -> None:
    feature(window).save_action.trigger()
    on_disk = list_versions(open_bundle(story).article)
    assert [(v.name, v.author) for v in on_disk] == [("first draft", "Ed Itor")]
    assert not window.document.is_modified
    dialog = feature(window).show_versions()
    assert dialog.tree.topLevelItemCount() == 1
    assert dialog.tree.topLevelItem(0).text(0) == "first draft"


def test_a_cancelled_name_keeps_no_version(window, monkeypatch) -> None:
    monkeypatch.setattr(versions_ui, "ask_version_name", lambda _parent, _suggested: None)
    assert feature(window).save_version_dialog() is None
    assert feature(window).list_versions() == []


def test_compare_with_current_shows_one_word_changed_and_a_caption_change(window) -> None:
    info = feature(window).save_version_dialog()
    replace_word(window, "brown", "red")
    window.document.set_asset_field("fox.png", "caption", "A red fox")
    dialog = feature(window).compare_with_current(info.id)
    assert isinstance(dialog, CompareDialog)
    hunks = dialog.comparison.hunks
    assert [(s.kind, s.text) for h in hunks for s in h.segments if s.kind != "equal"] == [
        ("delete", "brown"), ("insert", "red")]
    inline = dialog.inline_view.toPlainText()
    assert "quick brownred fox" in inline
    assert dialog.summary.text() == "1 word(s) inserted, 1 deleted; 1 other change(s)."
    details = dialog.details_view.toPlainText()
    assert "Caption of “fox.png”: A fox → A red fox" in details


def test_comparing_two_versions_lists_an_added_and_a_removed_image(window) -> None:
    first = feature(window).save_version_dialog()
    window.document.remove_asset("fox.png")
    window.document.add_asset(ImageAsset.from_bytes("owl.png", png_bytes("grey")))
    second = feature(window).save_version_dialog()
    dialog = feature(window).compare_two(second.id, first.id)  # order of the selection does not matter
    changes = {(c.kind, c.name) for c in dialog.comparison.images}
    assert changes == {("removed", "fox.png"), ("added", "owl.png")}
    assert "Removed “fox.png”" in dialog.details_view.toPlainText()


def test_the_versions_dialog_buttons_follow_the_selection(window, qtbot) -> None:
    feature(window).save_version_dialog()
    feature(window).save_version_dialog()
    dialog = feature(window).show_versions()
    ids = [v.id for v in feature(window).list_versions()]
    assert dialog.selected_ids() == [ids[1]]  # the newest is ready to compare
    dialog.select()
    assert not dialog.compare_button.isEnabled() and not dialog.compare_two_button.isEnabled()
    dialog.select(ids[0])
    assert dialog.compare_button.isEnabled() and dialog.restore_button.isEnabled()
    dialog.select(*ids)
    assert dialog.compare_two_button.isEnabled() and not dialog.restore_button.isEnabled()
    before = len(feature(window).compare_dialogs)
    dialog.compare_two_button.click()
    assert len(feature(window).compare_dialogs) == before + 1


def test_restore_brings_back_text_metadata_and_caption_as_one_undo_step(window) -> None:
    info = feature(window).save_version_dialog()
    replace_word(window, "brown", "red")
    window.document.set_metadata("title", "Red fox story")
    window.document.set_asset_field("fox.png", "caption", "Changed")
    edited = window.document.text_document.toPlainText()
    assert feature(window).restore(info.id)
    doc = window.document
    assert doc.text_document.toPlainText() == BODY
    assert doc.metadata.title == "Fox story" and doc.asset("fox.png").caption == "A fox"
    doc.undo_stack.undo()
    assert doc.text_document.toPlainText() == edited
    assert doc.metadata.title == "Red fox story" and doc.asset("fox.png").caption == "Changed"
    doc.undo_stack.redo()
    assert doc.text_document.toPlainText() == BODY


def test_restore_first_keeps_what_it_replaces_as_a_version(window) -> None:
    info = feature(window).save_version_dialog()
    replace_word(window, "lazy", "sleepy")
    feature(window).restore(info.id)
    names = [v.name for v in feature(window).list_versions()]
    assert names == ["first draft", "Before restoring “first draft”"]
    kept = load_version(window.document.article(), feature(window).list_versions()[1].id)
    assert "sleepy" in kept.body


def test_restoring_a_matching_version_changes_nothing(window) -> None:
    info = feature(window).save_version_dialog()
    assert feature(window).restore(info.id) is False
    assert window.document.undo_stack.count() == 0


@pytest.mark.parametrize("name", ["story.textbundle", "story.textpack"])
def test_a_removed_image_comes_back_on_restore_after_save_and_reopen(qtbot, tmp_path, answers, name) -> None:
    path = tmp_path / name
    fox = ImageAsset.from_bytes("fox.png", png_bytes("orange"), caption="A fox")
    save_bundle(Article(body=BODY, assets=[fox]), path)
    window = review_window(qtbot, make_settings(tmp_path))
    window.open_path(path)
    info = feature(window).save_version_dialog()
    window.document.remove_asset("fox.png")
    assert window.save()
    assert any(rel.startswith(OBJECTS_DIR) for rel in open_bundle(path).article.private_files)
    assert window.save()  # a save after a save keeps it too
    assert window.open_path(path)
    assert window.document.asset("fox.png") is None
    assert feature(window).restore(info.id)
    assert window.document.asset("fox.png").data.read_bytes() == png_bytes("orange")
    assert window.save()
    reopened = open_bundle(path).article
    assert reopened.asset("fox.png").caption == "A fox"
    assert not any(rel.startswith(OBJECTS_DIR) for rel in reopened.private_files)
    assert answers.errors == []


def test_keep_on_every_save_leaves_a_version_per_save(window, story) -> None:
    feature(window).keep_on_save_action.trigger()
    assert window.settings.value(versions_ui.KEEP_ON_SAVE_KEY) in (True, "true")
    replace_word(window, "quick", "slow")
    window.commands.save.trigger()
    replace_word(window, "slow", "sluggish")
    window.commands.save.trigger()
    on_disk = list_versions(open_bundle(story).article)
    assert [v.automatic for v in on_disk] == [True, True]
    assert "sluggish" in load_version(open_bundle(story).article, on_disk[1].id).body
    assert not window.document.is_modified
    feature(window).save_version_dialog()  # a named version does not add an automatic one
    assert len(list_versions(open_bundle(story).article)) == 3


def test_saves_nobody_asked_for_keep_no_version(window, story) -> None:
    feature(window).keep_on_save_action.trigger()
    replace_word(window, "quick", "slow")
    assert window.save_quietly(lambda _sentence: None)  # what autosave does
    assert list_versions(open_bundle(story).article) == []


def test_without_the_preference_a_save_keeps_no_version(window, story) -> None:
    replace_word(window, "quick", "slow")
    window.commands.save.trigger()
    assert list_versions(open_bundle(story).article) == []


def test_compare_with_file_shows_what_the_other_bundle_lacks(window, tmp_path, answers, monkeypatch) -> None:
    other = tmp_path / "sent.textpack"
    save_bundle(Article(body=BODY.replace("lazy", "sleepy"), metadata=Metadata(title="Fox")), other)
    monkeypatch.setattr(versions_ui, "ask_compare_path", lambda _parent, _folder: other)
    feature(window).compare_file_action.trigger()
    dialog = feature(window).compare_dialogs[-1]
    assert [(s.kind, s.text) for h in dialog.comparison.hunks for s in h.segments if s.kind != "equal"] == [
        ("delete", "sleepy"), ("insert", "lazy")]
    assert ("added", "fox.png") in {(c.kind, c.name) for c in dialog.comparison.images}
    assert "sent.textpack" in dialog.windowTitle()


def test_compare_with_an_unreadable_file_says_why_in_one_sentence(window, tmp_path, answers) -> None:
    broken = tmp_path / "broken.textpack"
    broken.write_bytes(b"not a zip at all")
    assert feature(window).compare_with_path(broken) is None
    assert len(answers.errors) == 1 and "broken.textpack" in answers.errors[0]


def test_copy_text_puts_the_version_text_on_the_clipboard(window) -> None:
    info = feature(window).save_version_dialog()
    replace_word(window, "fox", "cat")
    assert feature(window).copy_text(info.id)
    assert QGuiApplication.clipboard().text() == BODY


def test_delete_removes_the_version_from_the_bundle(window, story) -> None:
    info = feature(window).save_version_dialog()
    assert feature(window).delete(info.id)
    assert list_versions(open_bundle(story).article) == []


def test_review_data_round_trips_through_save_and_open(qtbot, tmp_path, answers) -> None:
    from editor.core.model import Comment, Status, StatusChange

    path = tmp_path / "reviewed.textpack"
    comment = Comment(id="c9", author="Ed", text="Check this", start=4, end=9, quote="quick")
    history = [StatusChange(Status.IN_REVIEW, "Ann", "2026-11-26T09:00:00+00:00")]
    save_bundle(Article(body=BODY, comments=[comment], status_history=history), path)
    window = review_window(qtbot, make_settings(tmp_path))
    assert window.open_path(path)
    feature(window).save_version_dialog()
    replace_word(window, "lazy", "sleepy")
    assert window.save()
    assert window.open_path(path)
    article = window.document.article()
    assert [c.text for c in article.comments] == ["Check this"]
    assert article.status_history == history
    [info] = feature(window).list_versions()
    kept = load_version(article, info.id)
    assert [c.text for c in kept.comments] == ["Check this"] and kept.status_history == history
    assert "lazy" in kept.body and "sleepy" in article.body


def test_side_by_side_shows_each_side_alone(window) -> None:
    info = feature(window).save_version_dialog()
    replace_word(window, "brown", "red")
    dialog = feature(window).compare_with_current(info.id)
    dialog.side_by_side.setChecked(True)
    assert dialog.text_stack.currentIndex() == 1
    assert "brown" in dialog.old_view.toPlainText() and "red" not in dialog.old_view.toPlainText()
    assert "red" in dialog.new_view.toPlainText() and "brown" not in dialog.new_view.toPlainText()


def test_restore_names_an_image_whose_bytes_are_gone(window, answers) -> None:
    info = feature(window).save_version_dialog()
    window.document.remove_asset("fox.png")
    for rel in [r for r in window.document.private_files if r.startswith(OBJECTS_DIR)]:
        del window.document.private_files[rel]  # as if another program had thrown the kept copy away
    replace_word(window, "lazy", "sleepy")
    assert feature(window).restore(info.id)
    assert "lazy" in window.document.text_document.toPlainText()
    assert window.document.asset("fox.png") is None
    assert answers.warnings == [["The image “fox.png” of this version is no longer kept in the bundle."]]
