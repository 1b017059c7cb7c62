"""Choosing the reader for a source, and the round trip bundle → TextPack → import."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from editor.core.errors import EditorError
from editor.core.export import export_article
from editor.core.importers import ImportResult, import_source, source_kind
from editor.core.model import Article, Metadata
from tests.core.bundle_samples import sample_article


def listing(folder: Path) -> list[str]:
    """Every path below a folder, relative to it."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def fake_reader(monkeypatch: pytest.MonkeyPatch, module: str, function: str) -> list[Path]:
    """Replace a reader by one that records what it was given."""
    seen: list[Path] = []

    def read(path: Path) -> ImportResult:
        seen.append(path)
        return ImportResult(Article(metadata=Metadata(title=module)), [])

    monkeypatch.setattr(importlib.import_module(f"editor.core.importers.{module}"), function, read)
    return seen


def test_textpack_round_trip_keeps_text_metadata_captions_credits_and_alt(tmp_path: Path) -> None:
    original = sample_article()
    export_article(original, "textpack", tmp_path / "story.textpack")
    result = import_source(tmp_path / "story.textpack")
    expected = sample_article()
    assert result.notes == []
    assert result.article.body == expected.body
    assert result.article.metadata == expected.metadata
    assert [(a.name, a.alt, a.caption, a.credit, a.sha256) for a in result.article.assets] == [
        (a.name, a.alt, a.caption, a.credit, a.sha256) for a in expected.assets
    ]
    assert result.article.assets[0].credit == "photo by TASS Russian News Agency"


def test_a_bundle_import_reports_the_bundle_warnings_as_notes(tmp_path: Path) -> None:
    export_article(sample_article(), "textbundle", tmp_path / "story.textbundle")
    (tmp_path / "story.textbundle" / "assets" / "putin-meets-choe.png").unlink()
    result = import_source(tmp_path / "story.textbundle")
    assert result.notes
    assert any("putin-meets-choe.png" in note for note in result.notes)


@pytest.mark.parametrize("index", ["index.md", "_index.md"])
def test_a_folder_with_an_index_goes_to_the_page_bundle_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               index: str) -> None:
    seen = fake_reader(monkeypatch, "hugo", "import_page_bundle")
    (tmp_path / "post").mkdir()
    (tmp_path / "post" / index).write_text("---\ntitle: x\n---\nHi\n")
    assert import_source(tmp_path / "post").article.metadata.title == "hugo"
    assert seen == [tmp_path / "post"]


@pytest.mark.parametrize("name", ["post.md", "post.markdown", "POST.MD", "notes.txt"])
def test_markdown_files_go_to_the_markdown_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    seen = fake_reader(monkeypatch, "markdown", "import_markdown_file")
    (tmp_path / name).write_text("# Hi\n")
    assert import_source(tmp_path / name).article.metadata.title == "markdown"
    assert seen == [tmp_path / name]


@pytest.mark.parametrize("name", ["page.html", "page.HTM"])
def test_html_files_go_to_the_html_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    seen = fake_reader(monkeypatch, "html", "import_html_file")
    (tmp_path / name).write_text("<p>Hi</p>")
    assert import_source(tmp_path / name).article.metadata.title == "html"
    assert seen == [tmp_path / name]


def test_a_missing_source_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(EditorError, match="does not exist"):
        import_source(tmp_path / "nothing.md")


def test_an_unknown_kind_of_file_is_refused_naming_what_can_be_imported(tmp_path: Path) -> None:
    (tmp_path / "story.docx").write_bytes(b"PK\x03\x04")
    with pytest.raises(EditorError, match="cannot be imported; choose a TextBundle") as caught:
        import_source(tmp_path / "story.docx")
    assert "\n" not in str(caught.value)


def test_a_folder_without_an_index_is_refused(tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "a.jpg").write_bytes(b"x")
    with pytest.raises(EditorError, match=r"holds no index\.md"):
        source_kind(tmp_path / "photos")


def test_bad_input_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "broken.textpack").write_bytes(b"this is not a zip at all")
    (tmp_path / "broken.html").write_bytes(b"\x00\x01\x02binary" * 10)
    before = listing(tmp_path)
    for name in ("broken.textpack", "broken.html"):
        with pytest.raises(EditorError):
            import_source(tmp_path / name)
    assert listing(tmp_path) == before


def test_a_folder_with_one_markdown_file_imports_that_file(tmp_path: Path) -> None:
    (tmp_path / "export").mkdir()
    (tmp_path / "export" / "story.md").write_text("---\ntitle: From a folder\n---\nText\n", encoding="utf-8")
    assert source_kind(tmp_path / "export") == "markdown"
    assert import_source(tmp_path / "export").article.metadata.title == "From a folder"


def test_a_folder_with_several_markdown_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.md").write_text("A\n")
    (tmp_path / "notes" / "b.md").write_text("B\n")
    with pytest.raises(EditorError, match="no single Markdown file"):
        import_source(tmp_path / "notes")


@pytest.mark.parametrize("name", ["story.md", "index.md"])
def test_a_markdown_file_that_links_out_of_the_folder_is_not_imported(tmp_path: Path, name: str) -> None:
    secret = tmp_path / "private.txt"
    secret.write_text("---\ntitle: Not yours\n---\nPrivate words.\n", encoding="utf-8")
    folder = tmp_path / "download"
    folder.mkdir()
    (folder / name).symlink_to(secret)
    with pytest.raises(EditorError):
        import_source(folder)
