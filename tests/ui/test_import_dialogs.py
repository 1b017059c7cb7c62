"""File ▸ Import…: another program's article becomes a new, unsaved document, with notes on what was left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.core import importers
from editor.core.bundle import save_bundle
from editor.core.errors import EditorError
from editor.core.importers import ImportResult
from editor.core.model import Article, Metadata
from editor.ui import import_dialogs
from tests.ui.window_helpers import (
    HEADLESS_NOISE,
    make_settings,
    make_window,
    type_text,
)

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)


@pytest.fixture
def window(qtbot, tmp_path, answers):
    """The real window."""
    return make_window(qtbot, make_settings(tmp_path))


def choose(monkeypatch, path: Path | None, folder: bool = False) -> None:
    name = "ask_import_folder" if folder else "ask_import_path"
    monkeypatch.setattr(import_dialogs, name, lambda _parent, _directory="": path)


def test_import_of_a_textpack_puts_a_new_unsaved_document_in_the_window(window, tmp_path, monkeypatch):
    pack = tmp_path / "theirs.textpack"
    save_bundle(Article(body="Flood waters rose.\n", metadata=Metadata(title="Flood warning")), pack)
    choose(monkeypatch, pack)
    assert window.commands.import_file.isEnabled()
    window.commands.import_file.trigger()
    assert window.document.metadata.title == "Flood warning"
    assert "Flood waters rose." in window.document.text_document.toPlainText()
    assert window.document.path is None  # Save asks where, the other program's file stays as it was
    assert "theirs.textpack" in window.windowTitle()


def test_notes_of_an_import_are_shown(window, tmp_path, monkeypatch, answers):
    source = tmp_path / "post.md"
    source.write_text("Words.\n", encoding="utf-8")
    notes = ["The image “gone.jpg” was not found, so it was left out."]
    monkeypatch.setattr(importers, "import_source",
                        lambda src: ImportResult(Article(body="Words.\n", metadata=Metadata(title="Post")), notes))
    choose(monkeypatch, source)
    assert window.import_dialog()
    assert answers.warnings == [notes]
    assert window.document.metadata.title == "Post"


def test_a_page_bundle_folder_is_imported_through_the_folder_chooser(window, tmp_path, monkeypatch):
    folder = tmp_path / "my-post"
    folder.mkdir()
    seen = []

    def fake(src):
        seen.append(src)
        return ImportResult(Article(body="From Hugo.\n", metadata=Metadata(title="Hugo post")))

    monkeypatch.setattr(importers, "import_source", fake)
    choose(monkeypatch, folder, folder=True)
    window.commands.import_folder.trigger()
    assert seen == [folder]
    assert window.document.metadata.title == "Hugo post"


def test_bad_input_is_one_sentence_and_the_article_stays(window, tmp_path, monkeypatch, answers):
    type_text(window, "My own words.")
    answers.unsaved = "discard"
    source = tmp_path / "page.html"
    source.write_text("<html>", encoding="utf-8")

    def refuse(src):
        raise EditorError("“page.html” holds no article text.")

    monkeypatch.setattr(importers, "import_source", refuse)
    choose(monkeypatch, source)
    assert not window.import_dialog()
    assert answers.errors == ["“page.html” holds no article text."]
    assert "My own words." in window.document.text_document.toPlainText()


def test_an_importer_bug_is_reported_as_one_sentence(window, tmp_path, monkeypatch, answers):
    def broken(src):
        raise KeyError("oops")

    monkeypatch.setattr(importers, "import_source", broken)
    assert not window.import_path(tmp_path / "x.md")
    assert len(answers.errors) == 1 and "unexpected problem (KeyError)" in answers.errors[0]


def test_unsaved_changes_are_asked_about_first_and_cancel_keeps_them(window, tmp_path, monkeypatch, answers):
    type_text(window, "Unsaved words.")
    answers.unsaved = "cancel"
    called = []
    monkeypatch.setattr(importers, "import_source", lambda src: called.append(src))
    choose(monkeypatch, tmp_path / "post.md")
    assert not window.import_dialog()
    assert answers.asked_unsaved and called == []
    assert "Unsaved words." in window.document.text_document.toPlainText()


def test_cancelling_the_chooser_changes_nothing(window, monkeypatch, answers):
    choose(monkeypatch, None)
    assert not window.import_dialog()
    assert answers.errors == [] and answers.asked_unsaved == []
