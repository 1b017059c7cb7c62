"""The `article-editor` command line: every subcommand, its exit codes, its JSON, and its failures."""

import io
import json
import subprocess
import sys
import types
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from editor import __version__, cli_commands
from editor.cli import main

REPO = Path(__file__).resolve().parent.parent


def make_png(path: Path, size: tuple[int, int] = (64, 48), colour: str = "red") -> Path:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("article-editor: error: ")
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def bundle(tmp_path, capsys) -> Path:
    code, _, _ = run(capsys, "new", tmp_path / "story", "--title", "Harvest report", "--author", "Ann Lee")
    assert code == 0
    return tmp_path / "story.textbundle"


@pytest.fixture
def picture(tmp_path) -> Path:
    return make_png(tmp_path / "Field At Dusk.png")


# --version, --help and the window form --------------------------------------------------------------


def test_version_prints_name_and_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.strip() == f"article-editor {__version__}"


def test_help_lists_every_subcommand_and_the_file_form(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for command in ("info", "render", "check", "new", "add-image"):
        assert command in out
    assert "article-editor FILE" in out


def test_subcommand_help_exits_zero(capsys):
    code, out, _ = run(capsys, "add-image", "--help")
    assert code == 0
    assert "--keep-metadata" in out


@pytest.fixture
def fake_window(monkeypatch):
    calls = []

    def run_gui(path=None, argv=None):
        calls.append(path)
        return 0

    monkeypatch.setitem(sys.modules, "editor.ui.app", types.SimpleNamespace(run_gui=run_gui))
    return calls


def test_no_arguments_open_the_window_with_a_new_article(fake_window):
    assert main([]) == 0
    assert fake_window == [None]


def test_one_file_argument_opens_it_in_the_window(fake_window, tmp_path):
    assert main([str(tmp_path / "draft.md")]) == 0
    assert fake_window == [tmp_path / "draft.md"]


def test_two_file_arguments_are_a_usage_error(fake_window, capsys, tmp_path):
    code, _, err = run(capsys, tmp_path / "a.md", tmp_path / "b.md")
    assert code == 2
    assert "one file" in assert_one_error_line(err)
    assert fake_window == []


@pytest.mark.parametrize("argv", [["info"], ["render", "x.textbundle"], ["new", "x", "--title"], ["--bogus"],
                                  ["check", "x", "--frobnicate"], ["render", "x", "-o", "y", "--timeout", "-1"]])
def test_usage_errors_are_one_line_with_exit_2(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert_one_error_line(err)
    assert out == ""


def test_subcommands_do_not_load_qt(bundle, picture, tmp_path):
    script = (
        "import sys\n"
        "from editor.cli import main\n"
        f"codes = [main(['info', {str(bundle)!r}, '--json']), main(['check', {str(bundle)!r}]),\n"
        f"         main(['add-image', {str(bundle)!r}, {str(picture)!r}, '--alt', 'a', '--caption', 'c',"
        " '--credit', 'r']),\n"
        f"         main(['render', {str(bundle)!r}, '-o', {str(tmp_path / 'out.html')!r}])]\n"
        "assert codes[0] == 0 and codes[2] == 0 and codes[3] == 0, codes\n"
        "loaded = [name for name in sys.modules if name.startswith(('PySide6', 'shiboken', 'editor.ui'))]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


# new ---------------------------------------------------------------------------------------------------


def test_new_adds_textbundle_suffix_and_records_title_and_authors(bundle, capsys):
    assert bundle.is_dir()
    code, out, _ = run(capsys, "info", bundle, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["metadata"]["title"] == "Harvest report"
    assert data["metadata"]["authors"] == ["Ann Lee"]


def test_new_textpack_is_a_zip(tmp_path, capsys):
    code, out, _ = run(capsys, "new", tmp_path / "story.textpack", "--title", "T", "--author", "A", "--author", "B")
    assert code == 0
    assert zipfile.is_zipfile(tmp_path / "story.textpack")
    assert "story.textpack" in out
    code, out, _ = run(capsys, "info", tmp_path / "story.textpack", "--json")
    assert json.loads(out)["metadata"]["authors"] == ["A", "B"]


def test_new_refuses_to_overwrite_without_force(bundle, capsys):
    code, _, err = run(capsys, "new", bundle, "--title", "Other")
    assert code == 2
    assert "already exists" in assert_one_error_line(err)
    assert json.loads(run(capsys, "info", bundle, "--json")[1])["metadata"]["title"] == "Harvest report"


def test_new_with_force_replaces_the_bundle(bundle, capsys):
    code, _, _ = run(capsys, "new", bundle, "--title", "Other", "--force")
    assert code == 0
    assert json.loads(run(capsys, "info", bundle, "--json")[1])["metadata"]["title"] == "Other"


def test_new_rejects_a_foreign_suffix(tmp_path, capsys):
    code, _, err = run(capsys, "new", tmp_path / "story.docx", "--title", "T")
    assert code == 2
    assert ".textbundle or .textpack" in assert_one_error_line(err)
    assert not (tmp_path / "story.docx").exists()


# add-image and info ------------------------------------------------------------------------------------


def add(capsys, bundle, picture, *extra):
    return run(capsys, "add-image", bundle, picture, "--caption", "The field at dusk", "--credit", "photo by Ann Lee",
               "--alt", "A wheat field under an orange sky", *extra)


def test_add_image_stores_it_with_its_words_and_prints_its_name(bundle, picture, capsys):
    code, out, _ = add(capsys, bundle, picture, "--source-url", "https://example.org/p", "--licence", "CC BY 4.0")
    assert code == 0
    name = out.strip()
    assert (bundle / "assets" / name).is_file()
    image = json.loads(run(capsys, "info", bundle, "--json")[1])["images"][0]
    assert image["name"] == name
    assert image["caption"] == "The field at dusk"
    assert image["credit"] == "photo by Ann Lee"
    assert image["alt"] == "A wheat field under an orange sky"
    assert image["source_url"] == "https://example.org/p"
    assert image["licence"] == "CC BY 4.0"
    assert (image["width"], image["height"]) == (64, 48)
    assert image["bytes"] > 0
    assert image["used"] is False


def test_add_image_without_words_leaves_them_empty_for_check_to_report(bundle, picture, capsys):
    code, out, err = run(capsys, "add-image", bundle, picture, "--credit", "photo by Ann Lee", "--insert")
    assert code == 0, err
    image = json.loads(run(capsys, "info", bundle, "--json")[1])["images"][0]
    assert (image["caption"], image["credit"], image["alt"]) == ("", "photo by Ann Lee", "")
    code, out, _ = run(capsys, "check", bundle, "--json")
    codes = {problem["code"] for problem in json.loads(out)["problems"]}
    assert code == 1 and {"image-no-alt", "image-no-caption"} <= codes and "image-no-credit" not in codes


def test_add_image_with_insert_appends_a_reference_to_the_text(bundle, picture, capsys):
    code, out, _ = add(capsys, bundle, picture, "--insert")
    assert code == 0
    data = json.loads(run(capsys, "info", bundle, "--json")[1])
    assert data["images"][0]["used"] is True
    assert f"assets/{out.strip()}" in (bundle / "text.md").read_text(encoding="utf-8")


def test_add_image_twice_reports_the_existing_asset(bundle, picture, capsys):
    first = add(capsys, bundle, picture)[1].strip()
    code, out, _ = add(capsys, bundle, picture)
    assert code == 0
    assert out.startswith(first) and "already" in out
    assert len(json.loads(run(capsys, "info", bundle, "--json")[1])["images"]) == 1


def test_add_image_max_edge_scales_down(bundle, tmp_path, capsys):
    big = make_png(tmp_path / "big.png", (400, 200))
    assert add(capsys, bundle, big, "--max-edge", "100")[0] == 0
    image = json.loads(run(capsys, "info", bundle, "--json")[1])["images"][0]
    assert (image["width"], image["height"]) == (100, 50)


@pytest.mark.parametrize("content", [b"", b"not a picture at all", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20])
def test_add_image_refuses_a_broken_picture_and_leaves_the_bundle_alone(bundle, tmp_path, capsys, content):
    broken = tmp_path / "broken.png"
    broken.write_bytes(content)
    before = sorted(p.name for p in bundle.rglob("*"))
    code, _, err = add(capsys, bundle, broken)
    assert code == 2
    assert_one_error_line(err)
    assert sorted(p.name for p in bundle.rglob("*")) == before


def test_add_image_of_a_missing_file_is_one_line(bundle, tmp_path, capsys):
    code, _, err = add(capsys, bundle, tmp_path / "nowhere.png")
    assert code == 2
    assert "nowhere.png" in assert_one_error_line(err)


def test_add_image_to_a_plain_markdown_file_is_refused(tmp_path, picture, capsys):
    text = tmp_path / "draft.md"
    text.write_text("Hello\n", encoding="utf-8")
    code, _, err = add(capsys, text, picture)
    assert code == 2
    assert "bundle" in assert_one_error_line(err)
    assert text.read_text(encoding="utf-8") == "Hello\n"


def test_info_text_shows_metadata_images_and_words(bundle, picture, capsys):
    (bundle / "text.md").write_text("Rain fell on the wheat, early.\n", encoding="utf-8")
    add(capsys, bundle, picture, "--insert")
    code, out, _ = run(capsys, "info", bundle)
    assert code == 0
    assert "Title:" in out and "Harvest report" in out
    assert "Authors:" in out and "Ann Lee" in out
    assert "Words:" in out
    assert "64×48" in out and "used" in out
    assert "caption: The field at dusk" in out


def test_info_json_counts_words_without_image_references(bundle, picture, capsys):
    (bundle / "text.md").write_text("Rain fell on the wheat, early.\n\nSee [the farm](https://example.org/x).\n",
                                    encoding="utf-8")
    add(capsys, bundle, picture, "--insert")
    data = json.loads(run(capsys, "info", bundle, "--json")[1])
    assert set(data) == {"path", "kind", "metadata", "words", "images", "status_history", "comments", "versions",
                         "warnings"}
    assert data["words"] == 9
    assert data["warnings"] == []


def test_info_shows_the_status_history_and_comment_count(tmp_path, capsys):
    from editor.core.bundle import save_bundle
    from editor.core.model import Article, Comment, Metadata, Status, StatusChange

    path = tmp_path / "reviewed.textpack"
    history = [StatusChange(Status.IN_REVIEW, "Ann Writer", "2024-05-01T14:02:00", Status.DRAFT),
               StatusChange(Status.CHANGES_REQUESTED, "Ed Itor", "2024-05-02T09:30:00", Status.IN_REVIEW)]
    comments = [Comment(id="a", text="Source?", start=0, end=4, quote="Rain"),
                Comment(id="b", text="Done", start=5, end=9, quote="fell", resolved=True)]
    save_bundle(Article(body="Rain fell.\n", metadata=Metadata(title="T", status=Status.CHANGES_REQUESTED),
                        comments=comments, status_history=history), path)
    code, out, _ = run(capsys, "info", path)
    assert code == 0
    lines = out.splitlines()
    at = lines.index("Status history:")
    assert lines[at + 1:at + 3] == ["  2024-05-01 14:02 draft → in review by Ann Writer",
                                    "  2024-05-02 09:30 in review → changes requested by Ed Itor"]
    assert "Comments: 1 open, 2 in all" in lines
    data = json.loads(run(capsys, "info", path, "--json")[1])
    assert data["status_history"][1] == {"status": "changes-requested", "previous": "in-review",
                                         "author": "Ed Itor", "when": "2024-05-02T09:30:00",
                                         "line": "2024-05-02 09:30 in review → changes requested by Ed Itor"}
    assert data["comments"] == {"open": 1, "total": 2}


def test_info_without_review_data_prints_no_history(bundle, capsys):
    out = run(capsys, "info", bundle)[1]
    assert "Status history" not in out and "Comments:" not in out and "Versions:" not in out


def test_info_lists_the_saved_versions(tmp_path, capsys):
    from datetime import UTC, datetime

    from editor.core.bundle import save_bundle
    from editor.core.model import Article, Metadata
    from editor.core.versions import save_version

    article = Article(body="First draft of the story.\n", metadata=Metadata(title="T"))
    save_version(article, "Sent to the desk", "Ann Writer", datetime(2024, 5, 1, 14, 2, tzinfo=UTC))
    article.body = "Second draft, shorter.\n"
    save_version(article, "After edits", "Ed Itor", datetime(2024, 5, 2, 9, 30, tzinfo=UTC))
    path = tmp_path / "versions.textbundle"
    save_bundle(article, path)
    lines = run(capsys, "info", path)[1].splitlines()
    at = lines.index("Versions: 2")
    assert lines[at + 1:at + 3] == ["  2024-05-01 14:02 UTC  Sent to the desk by Ann Writer  (5 words)",
                                    "  2024-05-02 09:30 UTC  After edits by Ed Itor  (3 words)"]
    data = json.loads(run(capsys, "info", path, "--json")[1])
    assert [v["name"] for v in data["versions"]] == ["Sent to the desk", "After edits"]


def test_info_reads_a_plain_markdown_file(tmp_path, capsys):
    text = tmp_path / "draft.md"
    text.write_text("# Draft\n\nThree short words.\n", encoding="utf-8")
    code, out, _ = run(capsys, "info", text, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["kind"] == "markdown"
    assert data["words"] == 4


@pytest.mark.parametrize(("text", "words"), [
    ("", 0), ("one", 1), ("don't stop", 2), ("**bold** _it_", 2), ("![alt words](assets/a.png)", 0),
    ("[link text](https://a.example/b/c)", 2), ("<span>x</span>", 1), ("state-of-the-art 3.5 km", 3),
])
def test_count_words(text, words):
    assert cli_commands.count_words(text) == words


# check -------------------------------------------------------------------------------------------------


def test_check_lists_problems_and_exits_1(bundle, tmp_path, capsys):
    (bundle / "text.md").write_text("![](assets/missing.jpg)\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", bundle)
    assert code == 1
    assert "problem" in out.splitlines()[-1]


def test_check_json_lists_problems(bundle, capsys):
    (bundle / "text.md").write_text("![](assets/missing.jpg)\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", bundle, "--json")
    assert code == 1
    data = json.loads(out)
    assert data["problems"]
    assert all(isinstance(problem["message"], str) for problem in data["problems"])


def test_check_clean_article_exits_0(bundle, monkeypatch, capsys):
    monkeypatch.setattr("editor.core.check.check_article", lambda article: [])
    code, out, _ = run(capsys, "check", bundle)
    assert code == 0
    assert out.strip() == "No problems found."
    code, out, _ = run(capsys, "check", bundle, "--json")
    assert code == 0
    assert json.loads(out)["problems"] == []


# render ------------------------------------------------------------------------------------------------


def test_render_writes_a_self_contained_page(bundle, picture, tmp_path, capsys):
    (bundle / "text.md").write_text("# Harvest\n\nThe wheat came in *early*.\n", encoding="utf-8")
    add(capsys, bundle, picture, "--insert")
    out_file = tmp_path / "page.html"
    code, _, _ = run(capsys, "render", bundle, "-o", out_file)
    assert code == 0
    html = out_file.read_text(encoding="utf-8")
    assert "<em>early</em>" in html
    assert "data:image/png;base64," in html
    assert 'src="assets/' not in html


def test_render_to_standard_output(bundle, capsys):
    (bundle / "text.md").write_text("Plain words.\n", encoding="utf-8")
    code, out, _ = run(capsys, "render", bundle, "-o", "-")
    assert code == 0
    assert "Plain words." in out


def test_render_that_takes_too_long_is_stopped(bundle, tmp_path, capsys):
    (bundle / "text.md").write_text("[a" * 20000, encoding="utf-8")
    out_file = tmp_path / "page.html"
    code, _, err = run(capsys, "render", bundle, "-o", out_file, "--timeout", "0.05")
    assert code == 2
    line = assert_one_error_line(err)
    assert "longer than 0.05 seconds" in line and "--timeout" in line and "preview" not in line
    assert not out_file.exists()


@pytest.mark.parametrize("message", [
    "The preview renderer could not be started; the text is unchanged.",
    "The preview renderer stopped unexpectedly; the text is unchanged.",
    "The text is nested too deeply to preview; flatten the deepest lists or quotes.",
    "The preview could not be rendered (ValueError: odd).",
])
def test_render_failures_speak_of_rendering_not_of_a_preview(bundle, tmp_path, capsys, monkeypatch, message):
    from editor.core import render_process
    from editor.core.errors import RenderError

    def fail(self, *args, **kwargs):
        raise RenderError(message)

    monkeypatch.setattr(render_process.RenderProcess, "render_document", fail)
    code, _, err = run(capsys, "render", bundle, "-o", tmp_path / "page.html")
    assert code == 2
    line = assert_one_error_line(err)
    assert "preview" not in line.lower() and "unchanged" not in line


def test_render_into_a_missing_folder_is_one_line(bundle, tmp_path, capsys):
    code, _, err = run(capsys, "render", bundle, "-o", tmp_path / "no" / "such" / "page.html")
    assert code == 2
    assert_one_error_line(err)


# failures ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["info", "check", "render", "add-image"])
def test_a_broken_bundle_gives_one_line_and_exit_2(tmp_path, picture, capsys, command):
    broken = tmp_path / "broken.textpack"
    broken.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    extra = {"render": ["-o", tmp_path / "x.html"],
             "add-image": [picture, "--alt", "a", "--caption", "c", "--credit", "r"]}.get(command, [])
    code, out, err = run(capsys, command, broken, *extra)
    assert code == 2
    assert_one_error_line(err)
    assert out == ""


@pytest.mark.parametrize("command", ["info", "check"])
def test_a_missing_bundle_gives_one_line_and_exit_2(tmp_path, capsys, command):
    code, _, err = run(capsys, command, tmp_path / "nothing.textbundle")
    assert code == 2
    assert "nothing.textbundle" in assert_one_error_line(err)


def test_an_unexpected_exception_is_one_line_and_exit_70(bundle, monkeypatch, capsys):
    def explode(options):
        raise ValueError("boom")

    monkeypatch.setattr(cli_commands, "run_info", explode)
    code, _, err = run(capsys, "info", bundle)
    assert code == 70
    assert "boom" in assert_one_error_line(err)


def test_ctrl_c_exits_130_quietly(bundle, monkeypatch, capsys):
    def interrupted(options):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_commands, "run_info", interrupted)
    code, out, err = run(capsys, "info", bundle)
    assert (code, out, err) == (130, "", "")


def test_output_cut_short_by_its_reader_is_not_an_error(bundle, tmp_path):
    script = (f"from editor.cli import main; import sys; sys.exit(main(['info', {str(bundle)!r}]))")
    with subprocess.Popen([sys.executable, "-c", script], cwd=REPO, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as child:
        child.stdout.close()  # the reader goes away before anything is written, like `| head -0`
        err = child.stderr.read().decode()
        code = child.wait(timeout=120)
    assert "Broken pipe" not in err and "error" not in err
    assert code == 0
