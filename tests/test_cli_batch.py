"""Running a command over several bundles: which bundles a folder holds, the terminal bar, failures in one line."""

import io
from pathlib import Path

import pytest

from editor.cli_batch import ProgressBar, collect_bundles, is_batch, is_collection, run_batch
from editor.core.errors import EditorError


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def make_bundles(folder: Path, *names: str) -> list[Path]:
    made = []
    for name in names:
        path = folder / name
        if name.endswith(".textbundle"):
            path.mkdir()
        else:
            path.write_bytes(b"PK")
        made.append(path)
    return made


def test_a_folder_of_bundles_gives_its_bundles_sorted_by_name_and_nothing_else(tmp_path):
    make_bundles(tmp_path, "c.textpack", "a.textbundle", "B.TEXTPACK", ".hidden.textpack")
    (tmp_path / "notes.txt").write_text("not an article")
    (tmp_path / "pictures").mkdir()
    assert [p.name for p in collect_bundles([tmp_path])] == ["B.TEXTPACK", "a.textbundle", "c.textpack"]


def test_named_bundles_are_kept_in_the_order_given(tmp_path):
    second, first = make_bundles(tmp_path, "z.textpack", "a.textpack")
    assert collect_bundles([second, first]) == [second, first]


def test_a_folder_without_bundles_is_refused_in_one_sentence(tmp_path):
    with pytest.raises(EditorError, match=r"holds no \.textbundle or \.textpack"):
        collect_bundles([tmp_path])


def test_a_bundle_folder_is_one_bundle_even_without_its_suffix(tmp_path):
    bundle = tmp_path / "story"
    bundle.mkdir()
    (bundle / "info.json").write_text("{}")
    assert not is_collection(bundle)
    assert not is_batch([bundle])
    assert not is_collection(make_bundles(tmp_path, "x.textbundle")[0])


def test_several_paths_or_a_folder_of_bundles_make_a_batch(tmp_path):
    one, two = make_bundles(tmp_path, "a.textpack", "b.textpack")
    assert not is_batch([one])
    assert is_batch([one, two])
    assert is_batch([tmp_path])


def test_the_bar_shows_steps_and_name_on_a_terminal():
    stream = Terminal()
    bar = ProgressBar(stream, width=10)
    bar.show(3, 6, "story.textpack")
    assert stream.getvalue() == "\r[=====     ] 3/6 story.textpack"


def test_the_bar_wipes_a_longer_earlier_line():
    stream = Terminal()
    bar = ProgressBar(stream, width=4)
    bar.show(1, 2, "a-very-long-name")
    bar.show(2, 2, "b")
    last = stream.getvalue().split("\r")[-1]
    assert last.startswith("[====] 2/2 b")
    assert len(last) == len("[==  ] 1/2 a-very-long-name")


def test_the_bar_draws_nothing_when_the_stream_is_not_a_terminal():
    stream = io.StringIO()
    bar = ProgressBar(stream)
    bar.show(1, 2, "x")
    bar.clear()
    assert not bar.enabled
    assert stream.getvalue() == ""


def test_a_batch_goes_on_after_a_failure_and_reports_it_in_one_line(tmp_path, capsys):
    bundles = [tmp_path / "a", tmp_path / "b", tmp_path / "c"]

    def work(path: Path) -> str:
        if path.name == "b":
            raise EditorError("The bundle is damaged.")
        return path.name.upper()

    outcome = run_batch(bundles, work)
    assert outcome.results == {bundles[0]: "A", bundles[2]: "C"}
    assert outcome.failed == {bundles[1]: "The bundle is damaged."}
    assert capsys.readouterr().err == "article-editor: error: b: The bundle is damaged.\n"


def test_a_file_system_failure_counts_as_that_bundles_failure(tmp_path, capsys):
    def work(path: Path) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    outcome = run_batch([tmp_path / "a"], work)
    assert outcome.succeeded == 0
    assert "a: Permission denied" in capsys.readouterr().err


def test_a_bug_in_the_work_is_not_hidden_as_a_failure(tmp_path):
    def work(path: Path) -> None:
        raise KeyError("bug")

    with pytest.raises(KeyError):
        run_batch([tmp_path / "a"], work)
