"""The main window as a user meets it: titles, open/save/close, conflicts, errors, docks, focus mode."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from editor.core.bundle import save_bundle
from editor.core.model import Article, ImageAsset, Metadata
from editor.ui import preferences_dialog
from editor.ui.preferences import Preferences
from tests.ui.window_helpers import (
    HEADLESS_NOISE,
    make_settings,
    make_window,
    png_bytes,
    type_text,
)

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)


@pytest.fixture
def settings(tmp_path):
    """Settings in the test's own ini file."""
    return make_settings(tmp_path)


@pytest.fixture
def window(qtbot, settings, answers):
    """The real window with every pane."""
    return make_window(qtbot, settings)


def saved_bundle(tmp_path: Path, body: str = "First paragraph.\n", title: str = "A story") -> Path:
    """A bundle written by the core, as another user would have left it."""
    path = tmp_path / "story.textbundle"
    save_bundle(Article(body=body, metadata=Metadata(title=title)), path)
    return path


# --- title --------------------------------------------------------------------------------
def test_new_window_title_names_untitled_article_without_modified_marker(window):
    assert window.windowTitle() == "Untitled[*] — Article Editor"
    assert not window.isWindowModified()


def test_typing_marks_window_modified_and_saving_clears_it(window, tmp_path):
    type_text(window, "Hello")
    assert window.isWindowModified()
    assert window.save_as(tmp_path / "hello.textbundle")
    assert window.windowTitle() == "hello.textbundle[*] — Article Editor"
    assert not window.isWindowModified()


def test_undo_back_to_saved_state_clears_modified_marker(window, tmp_path):
    assert window.save_as(tmp_path / "a.textbundle")
    type_text(window, "x")
    assert window.isWindowModified()
    window.commands.undo.trigger()
    assert not window.isWindowModified()
    assert window.document.text_document.toPlainText() == ""


# --- unsaved changes ------------------------------------------------------------------------
def test_close_with_unsaved_changes_cancel_keeps_window_and_text(window, answers):
    type_text(window, "Precious words")
    answers.unsaved = "cancel"
    assert not window.close()
    assert window.isVisible()
    assert answers.asked_unsaved == ["Untitled"]
    assert window.document.text_document.toPlainText() == "Precious words"


def test_close_with_unsaved_changes_discard_closes(window, answers):
    type_text(window, "Throwaway")
    answers.unsaved = "discard"
    assert window.close()
    assert not window.isVisible()


def test_close_with_unsaved_changes_save_writes_bundle_then_closes(window, answers, tmp_path):
    assert window.save_as(tmp_path / "keep.textbundle")
    type_text(window, "Kept on close")
    answers.unsaved = "save"
    assert window.close()
    assert "Kept on close" in (tmp_path / "keep.textbundle" / "text.md").read_text(encoding="utf-8")


def test_save_on_close_of_new_article_asks_location_and_cancel_there_keeps_window(window, answers):
    type_text(window, "Unsaved draft")
    answers.unsaved, answers.save_path = "save", None
    assert not window.close()
    assert len(answers.asked_save) == 1
    assert window.isVisible()


def test_new_document_with_unsaved_changes_cancel_keeps_article(window, answers):
    type_text(window, "Still here")
    answers.unsaved = "cancel"
    assert not window.new_document()
    assert window.document.text_document.toPlainText() == "Still here"


def test_new_document_puts_author_from_preferences(window):
    window.preferences.author_name = "Ann Writer"
    assert window.new_document()
    assert window.document.metadata.authors == ["Ann Writer"]
    assert not window.isWindowModified()


# --- save and reopen ------------------------------------------------------------------------
def test_save_close_reopen_finds_text_metadata_and_images(qtbot, window, settings, tmp_path):
    picture = png_bytes("blue")
    type_text(window, "Body of the story.\n\n![A blue square](assets/square.png)\n")
    window.document.set_metadata("title", "Blue squares")
    window.document.set_metadata("authors", ["Ann", "Bob"])
    window.document.add_asset(ImageAsset.from_bytes("square.png", picture, alt="A blue square",
                                                    caption="A blue square.", credit="photo by Ann"))
    target = tmp_path / "round.textbundle"
    assert window.save_as(target)
    assert window.close()

    again = make_window(qtbot, settings)
    assert again.open_path(target)
    article = again.document.article()
    assert article.body.startswith("Body of the story.")
    assert "![A blue square](assets/square.png)" in article.body
    assert article.metadata.title == "Blue squares"
    assert article.metadata.authors == ["Ann", "Bob"]
    [asset] = article.assets
    assert (asset.name, asset.caption, asset.credit, asset.alt) == ("square.png", "A blue square.", "photo by Ann",
                                                                    "A blue square")
    assert asset.data.read_bytes() == picture
    assert again.windowTitle() == "round.textbundle[*] — Article Editor"
    assert not again.isWindowModified()


def test_save_as_textpack_writes_one_zip_file(window, tmp_path):
    type_text(window, "Packed")
    assert window.save_as(tmp_path / "packed.textpack")
    assert zipfile.is_zipfile(tmp_path / "packed.textpack")


def test_save_as_without_suffix_makes_a_bundle_folder(window, tmp_path):
    type_text(window, "Folder")
    assert window.save_as(tmp_path / "plain")
    assert (tmp_path / "plain.textbundle").is_dir()


def test_save_as_onto_existing_bundle_declined_leaves_it_untouched(window, answers, tmp_path):
    other = saved_bundle(tmp_path, body="Their words.\n")
    before = (other / "text.md").read_bytes()
    type_text(window, "Mine")
    answers.replace = False
    assert not window.save_as(other)
    assert (other / "text.md").read_bytes() == before
    assert window.isWindowModified()


def test_save_that_fails_shows_one_sentence_and_keeps_text(window, answers, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    type_text(window, "Do not lose me")
    assert not window.save_as(blocker / "story.textbundle")
    assert len(answers.errors) == 1
    assert answers.errors[0].strip() and "\n" not in answers.errors[0]
    assert window.document.text_document.toPlainText() == "Do not lose me"
    assert window.isWindowModified()


def test_new_article_save_asks_for_location(window, answers, tmp_path):
    type_text(window, "Asked")
    answers.save_path = tmp_path / "asked.textbundle"
    assert window.save()
    assert answers.asked_save
    assert (tmp_path / "asked.textbundle" / "text.md").is_file()


# --- conflicts ------------------------------------------------------------------------------
def conflicted_window(window, tmp_path) -> Path:
    """The window holds an edited bundle that someone else changed on disk meanwhile."""
    path = saved_bundle(tmp_path, body="Original.\n")
    assert window.open_path(path)
    type_text(window, "Mine. ")
    (path / "text.md").write_text("Their edit.\n", encoding="utf-8")
    return path


def test_save_over_bundle_changed_on_disk_asks_and_cancel_keeps_their_version(window, answers, tmp_path):
    path = conflicted_window(window, tmp_path)
    answers.conflict = "cancel"
    assert not window.save()
    assert answers.asked_conflict == ["story.textbundle"]
    assert (path / "text.md").read_text(encoding="utf-8") == "Their edit.\n"
    assert window.isWindowModified()


def test_save_over_bundle_changed_on_disk_overwrite_writes_mine(window, answers, tmp_path):
    path = conflicted_window(window, tmp_path)
    answers.conflict = "overwrite"
    assert window.save()
    assert "Mine. Original." in (path / "text.md").read_text(encoding="utf-8")
    assert not window.isWindowModified()


def test_save_over_bundle_changed_on_disk_save_as_keeps_both(window, answers, tmp_path):
    path = conflicted_window(window, tmp_path)
    answers.conflict, answers.save_path = "save_as", tmp_path / "mine.textbundle"
    assert window.save()
    assert (path / "text.md").read_text(encoding="utf-8") == "Their edit.\n"
    assert "Mine. Original." in (tmp_path / "mine.textbundle" / "text.md").read_text(encoding="utf-8")
    assert window.document.path == tmp_path / "mine.textbundle"


# --- opening --------------------------------------------------------------------------------
def _not_a_zip(folder: Path) -> Path:
    path = folder / "broken.textpack"
    path.write_bytes(b"this is not a zip archive")
    return path


def _hostile_zip(folder: Path) -> Path:
    path = folder / "hostile.textpack"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("../../escape.md", "outside")
    return path


@pytest.mark.parametrize("make_broken", [
    _not_a_zip,
    _hostile_zip,
    lambda folder: folder / "missing.textbundle",
], ids=["not-a-zip", "hostile-zip", "missing"])
def test_open_broken_bundle_shows_one_sentence_and_keeps_current_article(window, answers, tmp_path, make_broken):
    type_text(window, "Current text")
    answers.unsaved = "discard"
    assert not window.open_path(make_broken(tmp_path))
    assert len(answers.errors) == 1
    assert answers.errors[0].strip() and "\n" not in answers.errors[0]
    assert window.document.text_document.toPlainText() == "Current text"


def test_open_markdown_file_imports_it_and_save_asks_for_bundle_location(window, answers, tmp_path):
    source = tmp_path / "notes.md"
    source.write_text("# Notes\n\nPlain Markdown.\n", encoding="utf-8")
    assert window.open_path(source)
    assert "Plain Markdown." in window.document.text_document.toPlainText()
    assert window.windowTitle().startswith("notes.md")
    answers.save_path = tmp_path / "notes.textbundle"
    assert window.save()
    assert answers.asked_save == [tmp_path / "notes.textbundle"]
    assert source.read_text(encoding="utf-8") == "# Notes\n\nPlain Markdown.\n"
    assert (tmp_path / "notes.textbundle" / "text.md").is_file()


def test_open_bundle_with_missing_image_shows_warning_without_blocking(window, answers, tmp_path):
    path = saved_bundle(tmp_path, body="![gone](assets/gone.jpg)\n")
    assert window.open_path(path)
    assert len(answers.warnings) == 1
    assert any("gone.jpg" in note for note in answers.warnings[0])


def test_opening_and_saving_update_recent_files_kept_in_settings(window, settings, tmp_path):
    first = saved_bundle(tmp_path)
    assert window.open_path(first)
    assert window.save_as(tmp_path / "second.textpack")
    expected = [str(tmp_path / "second.textpack"), str(first)]
    assert window.preferences.recent_files == expected
    assert Preferences.load(settings).recent_files == expected
    labels = [a.text() for a in window.commands.recent_menu.actions() if a.text()]
    assert labels[:2] == ["&1 second.textpack", "&2 story.textbundle"]


def test_recent_menu_entry_opens_that_article(window, tmp_path):
    path = saved_bundle(tmp_path, body="From the menu.\n")
    window.preferences.add_recent(str(path))
    window.commands.fill_recent_menu()
    window.commands.recent_menu.actions()[0].trigger()
    assert window.document.path == path


def test_recent_entry_whose_file_is_gone_is_dropped_after_error(window, answers, tmp_path):
    gone = str(tmp_path / "gone.textbundle")
    window.preferences.add_recent(gone)
    assert not window.open_recent(gone)
    assert gone not in window.preferences.recent_files
    assert len(answers.errors) == 1


def test_bundle_dropped_on_text_opens_it(qtbot, window, tmp_path):
    path = saved_bundle(tmp_path, body="Dropped in.\n")
    window.text_pane.bundle_dropped.emit(path)
    qtbot.waitUntil(lambda: window.document.path == path)
    assert "Dropped in." in window.document.text_document.toPlainText()


def test_bundle_dropped_on_window_opens_it(qtbot, window, tmp_path):
    path = saved_bundle(tmp_path, body="Dropped on the frame.\n")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    drop = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier, QEvent.Type.Drop)
    window.dropEvent(drop)
    qtbot.waitUntil(lambda: window.document.path == path)


# --- undo follows the document --------------------------------------------------------------
def test_undo_action_follows_the_newly_opened_document(window, tmp_path):
    path = saved_bundle(tmp_path, body="Opened.\n")
    type_text(window, "old doc ")
    assert window.open_path(path)
    type_text(window, "New ")
    window.commands.undo.trigger()
    assert window.document.text_document.toPlainText() == "Opened.\n"
    assert not window.isWindowModified()


def test_undo_covers_metadata_edits_through_the_window_action(window):
    window.document.set_metadata("title", "Headline")
    assert window.windowTitle() == "Headline[*] — Article Editor"
    window.commands.undo.trigger()
    assert window.document.metadata.title == ""


# --- wiring ---------------------------------------------------------------------------------
def test_image_insert_request_lands_at_the_caret(window):
    window.images_panel.insert_requested.emit("![x](assets/x.png)")
    assert window.document.text_document.toPlainText() == "![x](assets/x.png)"


def test_render_failure_is_shown_in_status_bar(window):
    window.preview.render_failed.emit("The preview could not be made.")
    assert window.statusBar().currentMessage() == "The preview could not be made."


def test_status_bar_shows_counts_and_caret_position(qtbot, window):
    type_text(window, "one two three\nfour")
    qtbot.waitUntil(lambda: window.stats_label.text().startswith("4 words"))
    assert window.position_label.text() == "Line 2, Column 5"


# --- view -----------------------------------------------------------------------------------
@pytest.mark.parametrize("dock_name", ["preview_dock", "images_dock", "metadata_dock"])
def test_view_menu_toggles_each_dock(window, dock_name):
    dock = getattr(window, dock_name)
    assert dock.isVisible()
    dock.toggleViewAction().trigger()
    assert not dock.isVisible()
    dock.toggleViewAction().trigger()
    assert dock.isVisible()


def test_focus_mode_hides_docks_toolbar_and_status_bar_and_restores_them(window):
    window.preview_dock.hide()
    window.commands.focus_mode.trigger()
    assert window.in_focus_mode
    for widget in (window.images_dock, window.metadata_dock, window.commands.toolbar, window.statusBar()):
        assert not widget.isVisible()
    window.commands.focus_mode.trigger()
    assert window.images_dock.isVisible() and window.metadata_dock.isVisible()
    assert window.commands.toolbar.isVisible() and window.statusBar().isVisible()
    assert not window.preview_dock.isVisible()


def test_escape_leaves_focus_mode(qtbot, window):
    window.set_focus_mode(True)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    window.text_pane.editor.setFocus()
    qtbot.keyClick(window.text_pane.editor, Qt.Key.Key_Escape)
    assert not window.in_focus_mode
    assert window.preview_dock.isVisible()


def test_dock_layout_is_kept_between_runs(qtbot, window, settings, answers):
    window.images_dock.hide()
    assert window.close()
    again = make_window(qtbot, settings)
    assert not again.images_dock.isVisible()
    assert again.preview_dock.isVisible()


def test_f6_moves_focus_between_panes(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    window.text_pane.editor.setFocus()
    window.commands.next_pane.trigger()
    focused = QCoreApplication.instance().focusWidget()
    assert focused is not None and window.metadata_form.isAncestorOf(focused)


def test_zoom_actions_change_text_size(window):
    base = window.text_pane.font_size()
    window.commands.zoom_in.trigger()
    assert window.text_pane.font_size() == base + 1
    window.commands.zoom_reset.trigger()
    assert window.text_pane.font_size() == base


def test_preferences_from_dialog_apply_and_persist(window, settings, monkeypatch):
    def edited(_parent, prefs):
        chosen = Preferences(author_name="Ann", editor_font_size=17)
        chosen.recent_files = list(prefs.recent_files)
        return chosen

    monkeypatch.setattr(preferences_dialog, "edit_preferences", edited)
    window.commands.preferences.trigger()
    assert window.text_pane.font_size() == 17
    loaded = Preferences.load(settings)
    assert (loaded.author_name, loaded.editor_font_size) == ("Ann", 17)


def test_preferences_dialog_cancel_changes_nothing(window, settings, monkeypatch):
    monkeypatch.setattr(preferences_dialog, "edit_preferences", lambda _parent, _prefs: None)
    size = window.text_pane.font_size()
    window.commands.preferences.trigger()
    assert window.text_pane.font_size() == size


def test_panes_have_accessible_names(window):
    for widget in (window.text_pane, window.preview, window.images_panel, window.metadata_form,
                   window.preview_dock, window.images_dock, window.metadata_dock):
        assert widget.accessibleName()


# --- keyboard -------------------------------------------------------------------------------
def activate(qtbot, window) -> None:
    """Make the window the active one, as it is when the user types."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def test_ctrl_z_in_the_text_undoes_typing_through_the_shared_history(qtbot, window):
    activate(qtbot, window)
    window.text_pane.editor.setFocus()
    qtbot.keyClicks(window.text_pane.editor, "abc")
    assert window.document.undo_stack.count() > 0
    qtbot.keyClick(window.text_pane.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.document.text_document.toPlainText() == ""


def test_ctrl_s_saves_an_opened_bundle(qtbot, window, tmp_path):
    path = saved_bundle(tmp_path, body="Start.\n")
    assert window.open_path(path)
    activate(qtbot, window)
    window.text_pane.editor.setFocus()
    qtbot.keyClicks(window.text_pane.editor, "Typed ")
    qtbot.keyClick(window.text_pane.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not window.isWindowModified()
    assert "Typed Start." in (path / "text.md").read_text(encoding="utf-8")


def test_opening_over_unsaved_changes_asks_and_cancel_keeps_them(window, answers, tmp_path):
    path = saved_bundle(tmp_path)
    type_text(window, "Unsaved")
    answers.unsaved = "cancel"
    assert not window.open_path(path)
    assert answers.asked_unsaved == ["Untitled"]
    assert window.document.text_document.toPlainText() == "Unsaved"


@pytest.mark.parametrize(("action", "keys"), [
    ("new", "Ctrl+N"), ("open", "Ctrl+O"), ("save", "Ctrl+S"), ("save_as", "Ctrl+Shift+S"),
    ("close", "Ctrl+W"), ("quit", "Ctrl+Q"), ("undo", "Ctrl+Z"), ("redo", "Ctrl+Shift+Z"), ("redo", "Ctrl+Y"),
    ("focus_mode", "F11"), ("focus_mode", "Ctrl+Shift+F"),
])
def test_commands_have_their_usual_shortcuts(window, action, keys):
    shortcuts = [k.toString() for k in getattr(window.commands, action).shortcuts()]
    assert keys in shortcuts


def test_no_two_window_or_text_commands_share_a_shortcut(window):
    seen: dict[str, str] = {}
    actions = {id(a): a for a in [*window.actions(), *window.text_pane.actions()]}
    for action in actions.values():
        for key in action.shortcuts():
            assert key.toString() not in seen, (action.text(), seen.get(key.toString()))
            seen[key.toString()] = action.text()


def test_preview_follows_the_opened_article(qtbot, settings, answers, tmp_path):
    window = make_window(qtbot, settings, real_preview=True)
    path = saved_bundle(tmp_path, body="Words only the opened bundle has.\n")
    assert window.open_path(path)
    qtbot.waitUntil(lambda: "Words only the opened bundle has." in window.preview.last_html, timeout=60000)
    type_text(window, "Freshly typed. ")
    qtbot.waitUntil(lambda: "Freshly typed." in window.preview.last_html, timeout=60000)


def test_f6_reaches_every_visible_pane_in_turn_and_back_to_the_text(qtbot, window):
    activate(qtbot, window)
    window.text_pane.editor.setFocus()
    reached = []
    for _ in range(4):
        window.commands.next_pane.trigger()
        focused = QCoreApplication.instance().focusWidget()
        reached.append(next(p for p in (window.text_pane, window.metadata_form, window.images_panel, window.preview)
                            if p is focused or p.isAncestorOf(focused)))
    assert reached == [window.metadata_form, window.images_panel, window.preview, window.text_pane]


# --- a save that cannot be written, and backups ---------------------------------------------
@pytest.mark.parametrize(("code", "words"), [(28, "disk is full"), (13, "no permission")])
@pytest.mark.parametrize("name", ["story.textbundle", "story.textpack"])
def test_full_disk_or_no_permission_keeps_old_bundle_and_text_with_one_sentence(
        window, answers, tmp_path, monkeypatch, code, words, name):
    import os

    from editor.core import atomic, bundle_write
    from editor.core.bundle import bundle_fingerprint, open_bundle

    path = tmp_path / name
    save_bundle(Article(body="Old version.\n", metadata=Metadata(title="Old")), path)
    before = bundle_fingerprint(path)
    assert window.open_path(path)
    type_text(window, "New words that do not fit. ")
    real_fsync = atomic.os.fsync

    def failing_fsync(fd):
        real_fsync(fd)
        raise OSError(code, os.strerror(code))

    # The bundle writer's own writes fail as a full disk or a locked folder would make them fail.
    monkeypatch.setattr(bundle_write, "atomic_write_bytes", _failing(atomic.atomic_write_bytes, failing_fsync))
    monkeypatch.setattr(bundle_write, "atomic_open", _failing(atomic.atomic_open, failing_fsync))
    assert not window.save()
    assert len(answers.errors) == 1 and words in answers.errors[0] and "\n" not in answers.errors[0]
    assert "old version is unchanged" in answers.errors[0]
    assert bundle_fingerprint(path) == before
    assert open_bundle(path).article.body == "Old version.\n"
    assert window.document.article().body.startswith("New words that do not fit.")
    assert window.isWindowModified()
    assert [p.name for p in tmp_path.iterdir() if "tmp" in p.name] == []  # nothing half-written left behind


def _failing(function, failing_fsync):
    """The atomic writer with fsync failing inside it."""
    import contextlib

    from editor.core import atomic

    @contextlib.contextmanager
    def patched_fsync():
        original = atomic.os.fsync
        atomic.os.fsync = failing_fsync
        try:
            yield
        finally:
            atomic.os.fsync = original

    if function is atomic.atomic_open:
        @contextlib.contextmanager
        def opened(*args, **kwargs):
            with patched_fsync(), function(*args, **kwargs) as handle:
                yield handle
        return opened

    def written(*args, **kwargs):
        with patched_fsync():
            return function(*args, **kwargs)
    return written


def test_each_save_keeps_the_previous_version_as_a_backup(window, answers, tmp_path):
    from editor.core.backup import list_backups

    path = tmp_path / "kept.textbundle"
    type_text(window, "First. ")
    assert window.save_as(path)
    assert list_backups(path, window.data_root / "backups") == []  # nothing was there before
    for word in ("Second. ", "Third. "):
        type_text(window, word)
        assert window.save()
    assert len(list_backups(path, window.data_root / "backups")) == 2
    window.preferences.backups_kept = 1
    type_text(window, "Fourth. ")
    assert window.save()
    assert len(list_backups(path, window.data_root / "backups")) == 1


def test_a_failed_backup_does_not_stop_the_save_but_says_so(window, answers, tmp_path, monkeypatch):
    from editor.core import backup
    from editor.core.bundle import open_bundle

    def broken(bundle, _root, keep=5):
        raise backup.BackupError(f"The previous version of “{bundle.name}” could not be backed up because the "
                                 "disk is full.")

    monkeypatch.setattr(backup, "keep_backup", broken)
    path = tmp_path / "b.textbundle"
    assert window.save_as(path)
    type_text(window, "Saved anyway. ")
    assert window.save()
    assert open_bundle(path).article.body.startswith("Saved anyway.")
    assert "could not be backed up" in window.statusBar().currentMessage()
    assert answers.errors == []


def test_focus_mode_also_hides_the_review_docks(window):
    """Docks added by the review features (comments, checks) leave with the rest and come back after."""
    from PySide6.QtWidgets import QDockWidget

    extra = [d for d in window.findChildren(QDockWidget)
             if d not in (window.preview_dock, window.images_dock, window.metadata_dock)]
    assert extra, "the review features add docks"
    for dock in extra:
        dock.show()
    window.set_focus_mode(True)
    assert not any(dock.isVisible() for dock in extra)
    window.set_focus_mode(False)
    assert all(dock.isVisible() for dock in extra)
