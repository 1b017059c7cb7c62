"""`article-editor export`, `import` and the batch form of `check`: outputs, summaries, exit codes, failures."""

import io
import json
import sys
import zipfile
from pathlib import Path

import pytest

from editor.cli import main
from editor.core import importers
from editor.core.errors import EditorError
from editor.core.importers import ImportResult
from editor.core.model import Article, Metadata


class Terminal(io.StringIO):
    """Standard error as a terminal shows it."""

    def isatty(self) -> bool:
        return True


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def new_bundle(capsys, path: Path, title: str) -> Path:
    code, _, err = run(capsys, "new", path, "--title", title, "--author", "Ann Lee")
    assert code == 0, err
    return path


@pytest.fixture
def shelf(tmp_path, capsys) -> Path:
    """A folder with three readable bundles."""
    folder = tmp_path / "shelf"
    folder.mkdir()
    new_bundle(capsys, folder / "one.textbundle", "Harvest report")
    new_bundle(capsys, folder / "two.textpack", "Flood warning")
    new_bundle(capsys, folder / "three.textbundle", "Election night")
    return folder


def damaged_pack(folder: Path) -> Path:
    path = folder / "broken.textpack"
    path.write_bytes(b"PK\x03\x04 this is not a whole zip archive")
    return path


# export: one bundle ---------------------------------------------------------------------------------


def test_export_of_one_bundle_writes_out_itself(tmp_path, capsys):
    bundle = new_bundle(capsys, tmp_path / "story.textbundle", "Harvest report")
    out = tmp_path / "story.textpack"
    code, stdout, err = run(capsys, "export", bundle, "--format", "textpack", "-o", out)
    assert (code, err) == (0, "")
    assert f"Exported {out}" in stdout
    assert "info.json" in "".join(zipfile.ZipFile(out).namelist())


def test_export_to_html_writes_one_page(tmp_path, capsys):
    bundle = new_bundle(capsys, tmp_path / "story.textbundle", "Harvest report")
    out = tmp_path / "story.html"
    code, _, err = run(capsys, "export", bundle, "--format", "html", "-o", out)
    assert code == 0, err
    assert "Harvest report" in out.read_text(encoding="utf-8")


def test_export_refuses_an_existing_out_without_force_and_says_how(tmp_path, capsys):
    bundle = new_bundle(capsys, tmp_path / "story.textbundle", "Harvest report")
    out = tmp_path / "story.html"
    out.write_text("keep me", encoding="utf-8")
    code, _, err = run(capsys, "export", bundle, "--format", "html", "-o", out)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("article-editor: error: ")
    assert "--force" in err
    assert out.read_text(encoding="utf-8") == "keep me"
    code, _, err = run(capsys, "export", bundle, "--format", "html", "-o", out, "--force")
    assert code == 0, err
    assert "Harvest report" in out.read_text(encoding="utf-8")


def test_export_of_an_unreadable_bundle_fails_in_one_line_with_code_2(tmp_path, capsys):
    out = tmp_path / "x.html"
    code, _, err = run(capsys, "export", damaged_pack(tmp_path), "--format", "html", "-o", out)
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists()


def test_an_unknown_format_is_a_usage_error(tmp_path, capsys):
    bundle = new_bundle(capsys, tmp_path / "story.textbundle", "Harvest report")
    code, _, err = run(capsys, "export", bundle, "--format", "rtf", "-o", tmp_path / "x.rtf")
    assert code == 2
    assert "invalid choice" in err and err.count("\n") == 1


def test_export_notes_are_printed_as_note_lines(tmp_path, capsys, monkeypatch):
    from editor.core import export
    from editor.core.export import ExportResult

    bundle = new_bundle(capsys, tmp_path / "story.textbundle", "Harvest report")

    def fake_export(article, fmt, out, **_options):
        return ExportResult(Path(out), ["The licence of “a.jpg” has no place in this format."])

    monkeypatch.setattr(export, "export_article", fake_export)
    code, stdout, _ = run(capsys, "export", bundle, "--format", "hugo", "-o", tmp_path / "site")
    assert code == 0
    assert "note: The licence of “a.jpg” has no place in this format." in stdout.splitlines()


# export: batches ------------------------------------------------------------------------------------


def test_a_folder_of_bundles_is_exported_into_out_under_the_usual_names(shelf, tmp_path, capsys):
    out = tmp_path / "exports"
    code, stdout, err = run(capsys, "export", shelf, "--format", "html", "-o", out)
    assert (code, err) == (0, "")
    assert sorted(p.name for p in out.iterdir()) == ["election-night.html", "flood-warning.html",
                                                     "harvest-report.html"]
    assert stdout.splitlines()[-1] == "3 exported, 0 failed"


def test_several_bundles_go_into_a_folder_and_same_names_do_not_collide(tmp_path, capsys):
    first = new_bundle(capsys, tmp_path / "a.textbundle", "Same title")
    second = new_bundle(capsys, tmp_path / "b.textbundle", "Same title")
    out = tmp_path / "packs"
    code, _, err = run(capsys, "export", first, second, "--format", "textpack", "-o", out)
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["same-title-2.textpack", "same-title.textpack"]


def test_a_failed_bundle_is_reported_and_the_rest_are_still_exported(shelf, tmp_path, capsys):
    damaged_pack(shelf)
    out = tmp_path / "exports"
    code, stdout, err = run(capsys, "export", shelf, "--format", "html", "-o", out)
    assert code == 1
    assert stdout.splitlines()[-1] == "3 exported, 1 failed"
    [line] = err.splitlines()
    assert line.startswith("article-editor: error: broken.textpack: ")
    assert len(list(out.iterdir())) == 3


def test_a_batch_into_a_file_is_refused_before_anything_is_done(shelf, tmp_path, capsys):
    out = tmp_path / "a-file"
    out.write_text("x", encoding="utf-8")
    code, stdout, err = run(capsys, "export", shelf, "--format", "html", "-o", out)
    assert code == 2
    assert stdout == "" and "is a file" in err


def test_the_progress_bar_is_drawn_only_on_a_terminal(shelf, tmp_path, capsys, monkeypatch):
    code, _, err = run(capsys, "export", shelf, "--format", "html", "-o", tmp_path / "plain")
    assert code == 0
    assert err == ""
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    code = main(["export", str(shelf), "--format", "html", "-o", str(tmp_path / "tty")])
    assert code == 0
    drawn = terminal.getvalue()
    assert "] 0/3 one.textbundle" in drawn
    assert "] 2/3 two.textpack" in drawn
    assert "[" + "=" * 30 + "] 3/3" in drawn


# import ---------------------------------------------------------------------------------------------


def test_import_of_a_textpack_makes_a_bundle_with_the_same_article(tmp_path, capsys):
    pack = new_bundle(capsys, tmp_path / "theirs.textpack", "Flood warning")
    code, stdout, err = run(capsys, "import", pack, "-o", tmp_path / "mine")
    assert code == 0, err
    assert (tmp_path / "mine.textbundle" / "info.json").is_file()
    code, stdout, _ = run(capsys, "info", tmp_path / "mine.textbundle")
    assert "Flood warning" in stdout


def test_import_prints_what_could_not_be_brought_in(tmp_path, capsys, monkeypatch):
    source = tmp_path / "post.md"
    source.write_text("Words.\n", encoding="utf-8")
    article = Article(metadata=Metadata(title="Post"), body="Words.\n")
    monkeypatch.setattr(importers, "import_source",
                        lambda src: ImportResult(article, ["The image “gone.jpg” was not found."]))
    code, stdout, err = run(capsys, "import", source, "-o", tmp_path / "post.textpack")
    assert (code, err) == (0, "")
    assert "note: The image “gone.jpg” was not found." in stdout.splitlines()
    assert (tmp_path / "post.textpack").is_file()


def test_bad_input_is_one_line_with_code_2_and_writes_nothing(tmp_path, capsys, monkeypatch):
    source = tmp_path / "page.html"
    source.write_text("<html>", encoding="utf-8")

    def refuse(src):
        raise EditorError("“page.html” holds no article text.")

    monkeypatch.setattr(importers, "import_source", refuse)
    code, _, err = run(capsys, "import", source, "-o", tmp_path / "page")
    assert code == 2
    assert err == "article-editor: error: “page.html” holds no article text.\n"
    assert list(tmp_path.iterdir()) == [source]


def test_import_of_a_missing_source_is_refused(tmp_path, capsys):
    code, _, err = run(capsys, "import", tmp_path / "nothing.md", "-o", tmp_path / "x")
    assert code == 2 and "does not exist" in err
    assert not (tmp_path / "x.textbundle").exists()


def test_import_refuses_an_existing_bundle_unless_forced(tmp_path, capsys):
    pack = new_bundle(capsys, tmp_path / "theirs.textpack", "Flood warning")
    mine = new_bundle(capsys, tmp_path / "mine.textbundle", "Keep me")
    code, _, err = run(capsys, "import", pack, "-o", mine)
    assert code == 2 and "--force" in err
    assert "Keep me" in run(capsys, "info", mine)[1]
    code, _, err = run(capsys, "import", pack, "-o", mine, "--force")
    assert code == 0, err
    assert "Flood warning" in run(capsys, "info", mine)[1]


# check: batches -------------------------------------------------------------------------------------


def test_check_of_a_folder_names_each_bundle_and_ends_with_a_summary(shelf, capsys):
    code, stdout, err = run(capsys, "check", shelf)
    assert code == 1  # new articles have no date
    assert err == ""
    lines = stdout.splitlines()
    assert any(line.startswith("one.textbundle: warning: ") for line in lines)
    assert any(line.startswith("two.textpack: warning: ") for line in lines)
    assert lines[-1] == "3 bundles checked: 0 clean, 3 with problems, 0 unreadable."


def test_an_unreadable_bundle_makes_check_exit_2_and_the_rest_are_checked(shelf, capsys):
    damaged_pack(shelf)
    code, stdout, err = run(capsys, "check", shelf)
    assert code == 2
    [line] = err.splitlines()
    assert line.startswith("article-editor: error: broken.textpack: ")
    assert stdout.splitlines()[-1] == "4 bundles checked: 0 clean, 3 with problems, 1 unreadable."


def test_check_of_clean_bundles_exits_0(tmp_path, capsys, monkeypatch):
    from editor.core import check

    first = new_bundle(capsys, tmp_path / "a.textbundle", "A")
    second = new_bundle(capsys, tmp_path / "b.textbundle", "B")
    monkeypatch.setattr(check, "check_article", lambda article: [])
    code, stdout, _ = run(capsys, "check", first, second)
    assert code == 0
    assert stdout.splitlines()[-1] == "2 bundles checked: 2 clean, 0 with problems, 0 unreadable."


def test_check_json_of_a_batch_lists_each_bundle_or_its_error(shelf, capsys):
    damaged_pack(shelf)
    code, stdout, _ = run(capsys, "check", shelf, "--json")
    assert code == 2
    data = json.loads(stdout)
    assert [Path(entry["path"]).name for entry in data] == ["broken.textpack", "one.textbundle",
                                                             "three.textbundle", "two.textpack"]
    assert "error" in data[0] and "problems" in data[1]


# export then import, with the real readers -----------------------------------------------------------


@pytest.mark.parametrize(("fmt", "out_name"), [("hugo", "site"), ("textpack", "copy.textpack"),
                                               ("markdown", "md")])
def test_what_export_writes_import_brings_back(tmp_path, capsys, fmt, out_name):
    bundle = new_bundle(capsys, tmp_path / "story.textbundle", "Harvest report")
    code, _, err = run(capsys, "export", bundle, "--format", fmt, "-o", tmp_path / out_name)
    assert code == 0, err
    source = tmp_path / out_name
    if fmt == "markdown":
        [source] = source.glob("*.md")
    code, _, err = run(capsys, "import", source, "-o", tmp_path / "back.textbundle")
    assert code == 0, err
    code, stdout, _ = run(capsys, "info", tmp_path / "back.textbundle", "--json")
    metadata = json.loads(stdout)["metadata"]
    assert (metadata["title"], metadata["authors"]) == ("Harvest report", ["Ann Lee"])


@pytest.mark.parametrize("fmt", ["textpack", "textbundle"])
def test_export_clean_leaves_review_data_out_and_plain_export_keeps_it(tmp_path, capsys, fmt):
    from datetime import UTC, datetime

    from editor.core.bundle import open_bundle, save_bundle
    from editor.core.model import Comment
    from editor.core.versions import list_versions, save_version

    article = Article(body="Reviewed text.\n", metadata=Metadata(title="Under review"),
                      comments=[Comment(id="c1", text="A remark")])
    save_version(article, "first draft", "Ann", datetime(2026, 11, 26, tzinfo=UTC))
    source = tmp_path / "story.textbundle"
    save_bundle(article, source)
    full, clean = tmp_path / f"full.{fmt}", tmp_path / f"clean.{fmt}"
    assert run(capsys, "export", source, "--format", fmt, "-o", full)[0] == 0
    code, out, _ = run(capsys, "export", source, "--format", fmt, "-o", clean, "--clean")
    assert code == 0 and f"Exported {clean}" in out
    assert [v.name for v in list_versions(open_bundle(full).article)] == ["first draft"]
    cleaned = open_bundle(clean).article
    assert list_versions(cleaned) == [] and cleaned.private_files == {} and cleaned.comments == []
    assert cleaned.body == "Reviewed text.\n"


def test_export_to_a_md_file_writes_it_with_its_pictures_beside_it_and_import_reads_it(tmp_path, capsys):
    from editor.core.bundle import open_bundle, save_bundle
    from editor.core.model import ImageAsset
    from tests.core.frontmatter_samples import picture, realistic_article, words

    article = realistic_article()
    article.assets.append(ImageAsset.from_bytes("spare.png", picture("PNG", "yellow"), alt="An empty hall",
                                                caption="The hall, later", credit="photo by Li Wei"))
    save_bundle(article, tmp_path / "story.textbundle")
    code, stdout, err = run(capsys, "export", tmp_path / "story.textbundle", "--format", "markdown",
                            "-o", tmp_path / "x.md")
    assert code == 0, err
    assert (tmp_path / "x.md").is_file() and (tmp_path / "x_files" / "spare.png").is_file()
    assert "x_files" in stdout
    code, stdout, err = run(capsys, "import", tmp_path / "x.md", "-o", tmp_path / "back.textbundle")
    assert code == 0, err
    assert "note:" not in stdout
    back = open_bundle(tmp_path / "back.textbundle").article
    assert back.body == article.body and back.metadata == article.metadata
    assert words(back) == words(article)
