"""Opening a plain .md file as an unsaved article: front matter, local pictures and notes, as an import does."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.core.bundle import BundleError, open_bundle, open_markdown_file, save_bundle
from editor.core.model import Status
from tests.core.bundle_samples import png


def test_front_matter_becomes_metadata_and_leaves_the_text(tmp_path: Path) -> None:
    doc = tmp_path / "post.md"
    doc.write_text(
        "---\ntitle: Spring in Riga\ndate: 2024-03-20\ntags: [travel, latvia]\ndraft: false\n"
        "description: A dek\nparams:\n  authors: [Ann Öberg]\n---\n\n# Spring\n\nText.\n",
        encoding="utf-8",
    )
    opened = open_markdown_file(doc)
    meta = opened.article.metadata
    assert (meta.title, meta.date, meta.tags, meta.subtitle, meta.authors) == (
        "Spring in Riga", "2024-03-20", ["travel", "latvia"], "A dek", ["Ann Öberg"])
    assert meta.status is Status.PUBLISHED
    assert opened.article.body == "# Spring\n\nText.\n"
    assert opened.kind == "markdown" and opened.path == doc and opened.warnings == []


def test_toml_front_matter_is_read_too(tmp_path: Path) -> None:
    doc = tmp_path / "post.md"
    doc.write_text('+++\ntitle = "Toml title"\ntags = ["a"]\n+++\nBody\n', encoding="utf-8")
    opened = open_markdown_file(doc)
    assert (opened.article.metadata.title, opened.article.metadata.tags) == ("Toml title", ["a"])
    assert "+++" not in opened.article.body


def test_local_pictures_come_in_and_what_cannot_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "p one.png").write_bytes(png(2, 3))
    (tmp_path / "up.png").write_bytes(png(1, 1, (0, 200, 0)))
    (tmp_path / "secret.txt").write_text("not a picture")
    doc = tmp_path / "docs" / "post.md"
    doc.parent.mkdir()
    doc.write_text(
        "# Post\n\n![One \\[x\\]](../img/p%20one.png \"t\")\n![Up](<../up.png>)\n![Web](https://example.com/a.png)\n"
        "![Leak](../secret.txt)\n![Gone](nothing.png)\n![Again](../img/p%20one.png)\n",
        "utf-8",
    )
    opened = open_markdown_file(doc)
    assert [(a.name, a.width, a.height, a.alt) for a in opened.article.assets] == [
        ("p-one.png", 2, 3, "One [x]"), ("up.png", 1, 1, "Up"),
    ]
    assert opened.article.body == (
        "# Post\n\n![One \\[x\\]](assets/p-one.png \"t\")\n![Up](<assets/up.png>)\n![Web](https://example.com/a.png)\n"
        "![Leak](../secret.txt)\n![Gone](nothing.png)\n![Again](assets/p-one.png)\n"
    )
    assert len(opened.warnings) == 3
    assert all(name in " ".join(opened.warnings) for name in ("a.png", "secret.txt", "nothing.png"))
    save_bundle(opened.article, tmp_path / "post.textbundle")
    assert open_bundle(tmp_path / "post.textbundle").article == opened.article


def test_front_matter_that_cannot_be_read_stays_in_the_text_with_one_note(tmp_path: Path) -> None:
    doc = tmp_path / "colon.md"
    doc.write_text("---\ntitle: Notes: part two\n---\nMy precious words.\n", encoding="utf-8")
    opened = open_markdown_file(doc)
    assert opened.article.body == "---\ntitle: Notes: part two\n---\nMy precious words.\n"
    assert len(opened.warnings) == 1 and "YAML front matter" in opened.warnings[0]
    assert "\n" not in opened.warnings[0] and opened.warnings[0].endswith(".")


def test_import_still_refuses_front_matter_that_cannot_be_read(tmp_path: Path) -> None:
    from editor.core.errors import EditorError
    from editor.core.importers.markdown import import_markdown_file

    doc = tmp_path / "bad.md"
    doc.write_bytes(b"---\ntitle: [\n---\n")
    with pytest.raises(EditorError) as caught:
        import_markdown_file(doc)
    assert "\n" not in str(caught.value) and str(caught.value).endswith(".")


def test_a_stray_nul_still_opens_as_a_replacement_character(tmp_path: Path) -> None:
    doc = tmp_path / "odd.md"
    doc.write_bytes(b"---\ntitle: T\n---\nA\0B\n")
    opened = open_markdown_file(doc)
    assert opened.article.body == "A\ufffdB\n" and opened.article.metadata.title == "T"


def test_missing_file_is_a_bundle_error(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="could not be read"):
        open_markdown_file(tmp_path / "none.md")
