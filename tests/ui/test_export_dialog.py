"""File ▸ Export…: the check's problems listed before exporting, jumping to each, and exporting anyway."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from editor.core.bundle import save_bundle
from editor.core.check import ERROR, Problem
from editor.core.export import default_output_name
from editor.core.model import Article, ImageAsset, Metadata
from editor.ui import export_dialog
from editor.ui.export_dialog import ExportDialog
from tests.ui.window_helpers import (
    HEADLESS_NOISE,
    make_settings,
    make_window,
    png_bytes,
)

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)

BODY = "Intro.\n\nSecond paragraph.\n\n![Gone](assets/gone.png)\n"


@pytest.fixture
def window(qtbot, tmp_path, answers):
    """The real window."""
    return make_window(qtbot, make_settings(tmp_path))


def story(body: str = BODY) -> Article:
    """An article with a missing picture on line 5 and a picture the text does not show."""
    return Article(body=body, metadata=Metadata(title="Harvest report", date="2024-01-02", authors=["Ann Lee"],
                                                summary="How the harvest went."),
                   assets=[ImageAsset.from_bytes("boat.png", png_bytes(), alt="A boat", caption="Boat",
                                                 credit="photo by Ann Lee", width=8, height=6)])


def open_story(window, tmp_path: Path, article: Article | None = None) -> Path:
    path = tmp_path / "story.textbundle"
    save_bundle(article or story(), path)
    assert window.open_path(path)
    return path


def open_export(window) -> export_dialog.ExportFlow:
    flow = window.export_dialog()
    assert flow.dialog.isVisible()
    return flow


def double_click_row(qtbot, check_list, row: int) -> None:
    rect = check_list.visualItemRect(check_list.item(row))
    qtbot.mouseClick(check_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(check_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


# the dialog on its own ------------------------------------------------------------------------------


def test_with_problems_the_list_shows_and_the_button_says_export_anyway(qtbot, tmp_path):
    problem = Problem("missing-date", "The article has no publication date.", ERROR, field="date")
    dialog = ExportDialog(story(), tmp_path, [problem])
    qtbot.addWidget(dialog)
    assert dialog.problem_list.problems() == [problem]
    assert dialog.export_button.text().replace("&", "") == "Export Anyway"


def test_without_problems_the_button_says_export_and_no_list_is_shown(qtbot, tmp_path):
    dialog = ExportDialog(story(), tmp_path, [])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.export_button.text().replace("&", "") == "Export"
    assert not dialog.problem_list.isVisible()


def test_every_format_is_offered_and_the_name_follows_the_format_beside_the_bundle(qtbot, tmp_path):
    article = story()
    dialog = ExportDialog(article, tmp_path, [])
    qtbot.addWidget(dialog)
    offered = [dialog.format_box.itemData(i) for i in range(dialog.format_box.count())]
    assert offered[:3] == ["textbundle", "textpack", "hugo"] and "pdf" in offered and "epub" in offered
    dialog.format_box.setCurrentIndex(offered.index("html"))
    assert dialog.choice().output == tmp_path / default_output_name(article, "html")
    assert dialog.choice().fmt == "html"


def test_a_chosen_folder_is_kept_when_the_format_changes(qtbot, tmp_path, monkeypatch):
    article = story()
    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setattr(export_dialog, "ask_export_path", lambda _parent, _suggested, _fmt: elsewhere / "x.textpack")
    dialog = ExportDialog(article, tmp_path, [])
    qtbot.addWidget(dialog)
    dialog.choose_button.click()
    assert dialog.choice().output == elsewhere / "x.textpack"
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("html"))
    assert dialog.choice().output == elsewhere / default_output_name(article, "html")


def test_an_empty_destination_cannot_be_exported_to(qtbot, tmp_path):
    dialog = ExportDialog(story(), tmp_path, [])
    qtbot.addWidget(dialog)
    dialog.destination.clear()
    assert not dialog.export_button.isEnabled()


# in the window --------------------------------------------------------------------------------------


def test_export_lists_the_check_problems_of_the_open_article(window, tmp_path):
    open_story(window, tmp_path)
    flow = open_export(window)
    codes = [problem.code for problem in flow.dialog.problem_list.problems()]
    assert codes == ["missing-asset", "unused-asset"]
    assert flow.dialog.choice().output.parent == tmp_path


def test_double_click_on_a_problem_with_a_line_puts_the_caret_there_and_closes_the_dialog(qtbot, window, tmp_path):
    open_story(window, tmp_path)
    flow = open_export(window)
    dialog = flow.dialog
    double_click_row(qtbot, dialog.problem_list, 0)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert window.text_pane.caret_line() == 5


def test_double_click_on_a_problem_with_an_image_selects_it_in_the_images_dock(qtbot, window, tmp_path):
    open_story(window, tmp_path)
    window.images_dock.hide()
    flow = open_export(window)
    double_click_row(qtbot, flow.dialog.problem_list, 1)
    qtbot.waitUntil(lambda: window.images_panel.selected_name() == "boat.png")
    assert window.images_dock.isVisible()


def test_a_problem_with_a_field_focuses_that_field(qtbot, window, tmp_path):
    open_story(window, tmp_path)
    window.activateWindow()
    export_dialog.go_to_problem(window, Problem("missing-date", "No date.", ERROR, field="slug"))
    qtbot.waitUntil(lambda: window.metadata_form.slug.hasFocus())


def test_export_anyway_writes_out_and_says_where_in_the_status_bar(qtbot, window, tmp_path, answers):
    open_story(window, tmp_path)
    flow = open_export(window)
    dialog = flow.dialog
    out = tmp_path / "out.textpack"
    dialog.destination.setText(str(out))
    with qtbot.waitSignal(flow.finished) as done:
        dialog.export_button.click()
    assert done.args == [True]
    assert any(name.endswith("/info.json") for name in zipfile.ZipFile(out).namelist())
    assert str(out) in window.statusBar().currentMessage()
    assert answers.errors == []


def test_export_to_html_keeps_the_text_being_edited(qtbot, window, tmp_path):
    open_story(window, tmp_path, story("Fresh words only.\n"))
    window.text_pane.insert_at_caret("Typed just now. ")
    flow = open_export(window)
    flow.dialog.format_box.setCurrentIndex(flow.dialog.format_box.findData("html"))
    out = flow.dialog.choice().output
    with qtbot.waitSignal(flow.finished):
        flow.dialog.export_button.click()
    assert "Typed just now." in out.read_text(encoding="utf-8")


def test_an_existing_out_is_replaced_only_when_the_user_agrees(qtbot, window, tmp_path, answers):
    open_story(window, tmp_path)
    out = tmp_path / "page.html"
    out.write_text("keep me", encoding="utf-8")
    answers.replace = False
    flow = open_export(window)
    flow.dialog.format_box.setCurrentIndex(flow.dialog.format_box.findData("html"))
    flow.dialog.destination.setText(str(out))
    with qtbot.waitSignal(flow.finished) as done:
        flow.dialog.export_button.click()
    assert done.args == [False]
    assert out.read_text(encoding="utf-8") == "keep me"
    answers.replace = True
    flow = open_export(window)
    flow.dialog.format_box.setCurrentIndex(flow.dialog.format_box.findData("html"))
    flow.dialog.destination.setText(str(out))
    with qtbot.waitSignal(flow.finished) as done:
        flow.dialog.export_button.click()
    assert done.args == [True]
    assert "Harvest report" in out.read_text(encoding="utf-8")


def test_a_failed_export_is_one_sentence_and_writes_nothing(qtbot, window, tmp_path, answers):
    open_story(window, tmp_path)
    flow = open_export(window)
    out = tmp_path / "no-such-folder" / "x.textpack"
    flow.dialog.destination.setText(str(out))
    with qtbot.waitSignal(flow.finished) as done:
        flow.dialog.export_button.click()
    assert done.args == [False]
    assert len(answers.errors) == 1 and "does not exist" in answers.errors[0]
    assert not out.parent.exists()


def test_cancel_exports_nothing(qtbot, window, tmp_path):
    open_story(window, tmp_path)
    flow = open_export(window)
    with qtbot.waitSignal(flow.finished) as done:
        flow.dialog.reject()
    assert done.args == [False]
    # Besides the bundle and its lock file, the folder holds only the app's own data (settings, recovery…).
    app_data = {"settings.ini", "recovery", "backups", "thumbnails", "story.textbundle"}
    assert {p.name for p in tmp_path.iterdir() if not p.name.startswith(".~lock.")} <= app_data


def test_export_notes_are_shown(qtbot, window, tmp_path, answers, monkeypatch):
    from editor.core.export import ExportResult

    open_story(window, tmp_path)
    monkeypatch.setattr(export_dialog, "export_article",
                        lambda article, fmt, out, **_: ExportResult(Path(out), ["The licence was left out."]))
    answers.warnings.clear()  # the notes from opening the story
    flow = open_export(window)
    with qtbot.waitSignal(flow.finished):
        flow.dialog.export_button.click()
    assert answers.warnings == [["The licence was left out."]]
    assert "The licence was left out." in window.statusBar().currentMessage()


def test_the_file_menu_has_export_on_ctrl_e(window):
    assert window.commands.export.shortcut().toString() == "Ctrl+E"
    file_menu = window.menuBar().actions()[0].menu()
    assert window.commands.export in file_menu.actions()
    assert window.commands.import_file in file_menu.actions()


def test_the_progress_dialog_follows_the_export_on_the_window_thread(qtbot, tmp_path, monkeypatch):
    import threading

    from PySide6.QtWidgets import QProgressDialog

    from editor.core.export import ExportResult

    def slow_export(article, fmt, out, *, force, clean, progress):
        for done in range(4):
            progress(done, 3)
        return ExportResult(Path(out), [])

    seen: list[tuple[bool, int]] = []
    original = QProgressDialog.setValue

    def spy(dialog, value):
        seen.append((threading.current_thread() is threading.main_thread(), value))
        original(dialog, value)

    monkeypatch.setattr(export_dialog, "export_article", slow_export)
    monkeypatch.setattr(QProgressDialog, "setValue", spy)
    choice = export_dialog.ExportChoice("html", tmp_path / "x.html", False)
    result = export_dialog.run_export(Article(), choice, False, None)
    assert result.output == tmp_path / "x.html"
    assert seen and all(on_main for on_main, _ in seen)
    assert [value for _, value in seen] == sorted(value for _, value in seen)


def test_an_error_inside_the_worker_reaches_the_caller(qtbot, tmp_path, monkeypatch):
    from editor.core.errors import EditorError

    def failing(article, fmt, out, **_):
        raise EditorError("The disk is full.")

    monkeypatch.setattr(export_dialog, "export_article", failing)
    with pytest.raises(EditorError, match="The disk is full"):
        export_dialog.run_export(Article(), export_dialog.ExportChoice("html", tmp_path / "x.html", False), False, None)


def test_pdf_export_from_the_window_writes_a_pdf(qtbot, window, tmp_path, answers):
    open_story(window, tmp_path, story("Words for the printer.\n"))
    flow = open_export(window)
    flow.dialog.format_box.setCurrentIndex(flow.dialog.format_box.findData("pdf"))
    out = flow.dialog.choice().output
    assert out.suffix == ".pdf"
    with qtbot.waitSignal(flow.finished, timeout=90_000) as done:
        flow.dialog.export_button.click()
    assert answers.errors == []
    assert done.args == [True]
    assert out.read_bytes().startswith(b"%PDF-")


def test_export_never_replaces_the_open_bundle_itself(qtbot, window, tmp_path, answers):
    path = open_story(window, tmp_path)
    before = sorted(p.name for p in path.rglob("*"))
    flow = open_export(window)
    flow.dialog.format_box.setCurrentIndex(flow.dialog.format_box.findData("textbundle"))
    flow.dialog.destination.setText(str(path))
    with qtbot.waitSignal(flow.finished) as done:
        flow.dialog.export_button.click()
    assert done.args == [False]
    assert len(answers.errors) == 1 and "own bundle" in answers.errors[0]
    assert sorted(p.name for p in path.rglob("*")) == before


def test_pictures_larger_than_the_import_size_setting_are_listed(qtbot, window, tmp_path):
    from editor.core.images import ImportSettings

    window.preferences.import_settings = ImportSettings(max_edge=100)
    article = story("![A boat](assets/boat.png)\n")
    big = ImageAsset.from_bytes("boat.png", png_bytes(size=(300, 20)), alt="A boat", caption="Boat",
                                credit="photo by Ann Lee", width=300, height=20)
    article.assets = [big]
    open_story(window, tmp_path, article)
    flow = open_export(window)
    assert [problem.code for problem in flow.dialog.problem_list.problems()] == ["image-too-large"]
    flow.dialog.reject()


@pytest.mark.parametrize("clean", [False, True])
def test_the_clean_copy_box_leaves_saved_versions_out_of_the_textpack(qtbot, window, tmp_path, clean):
    from datetime import UTC, datetime

    from editor.core.bundle import open_bundle
    from editor.core.versions import list_versions, save_version

    article = story()
    save_version(article, "as sent", "Ann", datetime(2026, 11, 26, tzinfo=UTC))
    open_story(window, tmp_path, article)
    flow = open_export(window)
    assert flow.dialog.clean_box.isEnabled()
    flow.dialog.clean_box.setChecked(clean)
    out = flow.dialog.choice().output
    with qtbot.waitSignal(flow.finished):
        flow.dialog.export_button.click()
    assert [v.name for v in list_versions(open_bundle(out).article)] == ([] if clean else ["as sent"])
    flow = open_export(window)
    flow.dialog.format_box.setCurrentIndex(flow.dialog.format_box.findData("html"))
    assert not flow.dialog.clean_box.isEnabled()  # other formats never carry review data
    flow.dialog.reject()
