"""Opening and saving for the window: documents from each kind of file, saving off the UI thread."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.core.bundle import bundle_fingerprint, save_bundle
from editor.core.errors import ConflictError, EditorError
from editor.core.model import Article, Metadata
from editor.ui import file_ops
from editor.ui.document import ArticleDocument


def test_bundle_opens_with_its_location_and_fingerprint(qtbot, tmp_path):
    path = tmp_path / "a.textbundle"
    save_bundle(Article(body="Text.\n", metadata=Metadata(title="T")), path)
    loaded = file_ops.load_document(path)
    assert loaded.document.path == path
    assert loaded.document.fingerprint == bundle_fingerprint(path)
    assert loaded.document.metadata.title == "T"
    assert not loaded.document.is_modified


def test_markdown_file_opens_without_a_save_location(qtbot, tmp_path):
    source = tmp_path / "draft.md"
    source.write_text("Draft text.\n", encoding="utf-8")
    loaded = file_ops.load_document(source)
    assert loaded.document.path is None
    assert loaded.source == source
    assert "Draft text." in loaded.document.text_document.toPlainText()


def test_missing_image_is_reported_as_a_warning(qtbot, tmp_path):
    path = tmp_path / "a.textbundle"
    save_bundle(Article(body="![x](assets/absent.png)\n"), path)
    loaded = file_ops.load_document(path)
    assert any("absent.png" in note for note in loaded.warnings)


@pytest.mark.parametrize("name", ["nothing.textbundle", "nothing.textpack", "nothing.md"])
def test_missing_file_raises_one_sentence(qtbot, tmp_path, name):
    with pytest.raises(EditorError) as caught:
        file_ops.load_document(tmp_path / name)
    assert str(caught.value).strip() and "\n" not in str(caught.value)


def test_run_save_writes_the_bundle_and_returns_its_fingerprint(qtbot, tmp_path):
    path = tmp_path / "saved.textbundle"
    fingerprint = file_ops.run_save(Article(body="Saved in the background.\n"), path, None, False, None)
    assert fingerprint == bundle_fingerprint(path)
    assert "Saved in the background." in (path / "text.md").read_text(encoding="utf-8")


def test_run_save_hands_back_a_conflict_and_writes_nothing(qtbot, tmp_path):
    path = tmp_path / "taken.textbundle"
    save_bundle(Article(body="Theirs.\n"), path)
    with pytest.raises(ConflictError):
        file_ops.run_save(Article(body="Mine.\n"), path, "not-the-fingerprint", False, None)
    assert (path / "text.md").read_text(encoding="utf-8") == "Theirs.\n"


def test_suggested_location_for_new_article_is_named_after_its_title(qtbot, tmp_path):
    document = ArticleDocument(Article(metadata=Metadata(title="Putin meets Choe")))
    assert file_ops.suggested_save_path(document, None, tmp_path) == tmp_path / "putin-meets-choe.textbundle"


def test_suggested_location_for_imported_markdown_is_beside_it(qtbot, tmp_path):
    document = ArticleDocument(Article())
    source = tmp_path / "notes" / "draft.md"
    assert file_ops.suggested_save_path(document, source, Path("/elsewhere")) == tmp_path / "notes" / "draft.textbundle"


def test_data_root_is_beside_an_ini_settings_file(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    settings = QSettings(str(tmp_path / "portable" / "settings.ini"), QSettings.Format.IniFormat)
    assert file_ops.data_root(settings) == tmp_path / "portable"


def test_no_backup_job_when_none_are_wanted(tmp_path):
    assert file_ops.backup_job(tmp_path / "a.textbundle", tmp_path / "backups", 0) is None


def test_run_save_keeps_a_backup_of_what_was_there(qtbot, tmp_path):
    from editor.core.backup import list_backups

    path = tmp_path / "b.textbundle"
    save_bundle(Article(body="Before.\n"), path)
    job = file_ops.backup_job(path, tmp_path / "backups", 3)
    file_ops.run_save(Article(body="After.\n"), path, bundle_fingerprint(path), False, None, backup=job)
    [kept] = list_backups(path, tmp_path / "backups")
    assert kept.stat().st_size > 0
    assert "After." in (path / "text.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("failure", [EditorError("The previous version could not be backed up."),
                                     PermissionError(13, "Permission denied")])
def test_run_save_goes_on_when_the_backup_fails_and_notes_why(qtbot, tmp_path, failure):
    def broken():
        raise failure

    path = tmp_path / "c.textbundle"
    notes: list[str] = []
    file_ops.run_save(Article(body="Still saved.\n"), path, None, False, None, backup=broken, notes=notes)
    assert "Still saved." in (path / "text.md").read_text(encoding="utf-8")
    assert len(notes) == 1 and "backed up" in notes[0]


def test_markdown_front_matter_becomes_metadata_and_notes_become_warnings(qtbot, tmp_path):
    source = tmp_path / "post.md"
    source.write_text("---\ntitle: From front matter\ntags: [a, b]\n---\nBody text.\n\n![gone](missing.png)\n",
                      encoding="utf-8")
    loaded = file_ops.load_document(source)
    assert loaded.document.metadata.title == "From front matter"
    assert loaded.document.metadata.tags == ["a", "b"]
    assert loaded.document.text_document.toPlainText().startswith("Body text.")
    assert "---" not in loaded.document.text_document.toPlainText()
    assert loaded.document.path is None and loaded.source == source
    assert any("missing.png" in note for note in loaded.warnings)
