"""File ▸ Open on a Markdown file with front matter and pictures: metadata filled, pictures in, .md untouched."""

from __future__ import annotations

import pytest

from editor.core.bundle import open_bundle
from tests.ui.window_helpers import HEADLESS_NOISE, make_settings, make_window, png_bytes

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)


def test_opening_markdown_with_front_matter_fills_the_form_and_saves_a_new_bundle(qtbot, tmp_path, answers):
    window = make_window(qtbot, make_settings(tmp_path))
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "harbour.png").write_bytes(png_bytes())
    source = tmp_path / "post.md"
    original = ("---\ntitle: Harbour at dawn\ndate: 2024-05-01\ntags: [sea]\n---\n"
                "Intro.\n\n![Boats in fog](pics/harbour.png)\n\n![lost](pics/none.png)\n")
    source.write_text(original, encoding="utf-8")
    assert window.open_path(source)
    assert window.document.metadata.title == "Harbour at dawn"
    assert window.document.metadata.tags == ["sea"]
    assert "title:" not in window.document.text_document.toPlainText()
    assert [asset.name for asset in window.document.article().assets] == ["harbour.png"]
    assert len(answers.warnings) == 1 and any("none.png" in note for note in answers.warnings[0])
    answers.save_path = tmp_path / "post.textbundle"
    assert window.save()
    assert answers.asked_save and source.read_text(encoding="utf-8") == original
    saved = open_bundle(tmp_path / "post.textbundle").article
    assert saved.metadata.title == "Harbour at dawn"
    assert [(a.name, a.alt) for a in saved.assets] == [("harbour.png", "Boats in fog")]
