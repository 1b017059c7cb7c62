"""The Checks dock: the check's problems follow the article as it is edited, and each one leads to its place."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from editor.core.model import Article, ImageAsset, Metadata
from editor.ui import check_panel
from editor.ui.check_panel import CheckPanel
from editor.ui.document import ArticleDocument
from tests.ui.spelling_window import spelling_window
from tests.ui.window_helpers import HEADLESS_NOISE, Answers, patch_dialogs, png_bytes

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    patch_dialogs(monkeypatch, Answers())
    made = spelling_window(qtbot, tmp_path, monkeypatch)
    panel(made).set_delay(20)  # the tests wait for the check, not for the pause after typing
    return made


def panel(window) -> CheckPanel:
    return window.features["check_panel"]


def settle(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not panel(window).is_busy())


def codes(window) -> list[str]:
    return [problem.code for problem in panel(window).problems()]


def photo(**fields) -> ImageAsset:
    words = {"alt": "Boats", "caption": "The harbour", "credit": "A. Lens", "width": 8, "height": 6}
    words.update(fields)
    return ImageAsset.from_bytes("harbour.png", png_bytes(), **words)


def load(qtbot, window, body: str = "The fleet came home.\n\n![](assets/harbour.png)\n", **metadata) -> None:
    """Put a complete article in the window, with changes to its metadata."""
    fields = {"title": "Fleet", "authors": ["Mara Holm"], "date": "2024-01-16", "summary": "Home again."}
    fields.update(metadata)
    article = Article(body=body, metadata=Metadata(**fields), assets=[photo()])
    window._swap_document(ArticleDocument(article, parent=window), None)
    settle(qtbot, window)


def test_the_dock_lists_the_problems_with_their_count_in_the_title(qtbot, window):
    load(qtbot, window, title="", summary="")
    assert codes(window) == ["missing-title", "missing-summary"]
    assert panel(window).dock.windowTitle() == "Checks (2)"
    assert panel(window).list.count() == 2


def test_the_review_menu_shows_and_hides_the_dock(qtbot, window):
    toggle = panel(window).toggle_action
    assert toggle in window.commands.review_menu.actions()
    assert toggle.isChecked() and panel(window).dock.isVisible()
    toggle.trigger()
    assert panel(window).dock.isHidden() and not toggle.isChecked()
    toggle.trigger()
    assert panel(window).dock.isVisible() and toggle.isChecked()
    panel(window).dock.close()
    assert not toggle.isChecked()


def test_a_clean_article_says_so(qtbot, window):
    load(qtbot, window)
    assert codes(window) == []
    assert panel(window).dock.windowTitle() == "Checks"
    assert panel(window).summary.text() == "No problems found."


def test_filling_in_the_title_makes_its_row_disappear(qtbot, window):
    load(qtbot, window, title="")
    assert codes(window) == ["missing-title"]
    window.document.set_metadata("title", "Fleet home")
    settle(qtbot, window)
    assert codes(window) == []
    window.document.undo_stack.undo()
    settle(qtbot, window)
    assert codes(window) == ["missing-title"]


def test_adding_alt_text_makes_its_row_disappear(qtbot, window):
    load(qtbot, window)
    window.document.set_asset_field("harbour.png", "alt", "")
    settle(qtbot, window)
    assert codes(window) == ["image-no-alt"]
    window.document.set_asset_field("harbour.png", "alt", "Boats in the harbour")
    settle(qtbot, window)
    assert codes(window) == []


def test_leftover_page_furniture_is_reported_and_goes_when_deleted(qtbot, window):
    load(qtbot, window)
    window.text_pane.goto_line(2)
    window.text_pane.insert_at_caret("Advertisement\n\n0 comments\n")
    settle(qtbot, window)
    furniture = [p for p in panel(window).problems() if p.code == "page-furniture"]
    assert [p.line for p in furniture] == [2, 4]
    assert panel(window).dock.windowTitle() == "Checks (2)"
    window.document.undo_stack.undo()
    settle(qtbot, window)
    assert codes(window) == []


def test_the_check_waits_for_typing_to_pause(qtbot, window):
    load(qtbot, window)
    window.text_pane.insert_at_caret("Advertisement\n\n")
    assert codes(window) == []  # not yet: the check runs after a pause, not on every key
    assert panel(window).is_busy()
    settle(qtbot, window)
    assert codes(window) == ["page-furniture"]


def test_clicking_a_problem_with_a_line_puts_the_caret_there(qtbot, window):
    load(qtbot, window, body="One.\n\nTwo.\n\nRead more\n\n![](assets/harbour.png)\n")
    panel_list = panel(window).list
    row = next(i for i in range(panel_list.count()) if panel_list.problem_at(i).code == "page-furniture")
    rect = panel_list.visualItemRect(panel_list.item(row))
    qtbot.mouseClick(panel_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.text_pane.caret_line() == 5


def test_clicking_a_problem_with_a_field_focuses_the_field(qtbot, window):
    load(qtbot, window, summary="")
    panel_list = panel(window).list
    rect = panel_list.visualItemRect(panel_list.item(0))
    qtbot.mouseClick(panel_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.metadata_form.summary.hasFocus())


def test_activating_an_image_problem_selects_the_image(qtbot, window):
    load(qtbot, window)
    window.document.set_asset_field("harbour.png", "credit", "")
    settle(qtbot, window)
    panel(window).list.problem_activated.emit(panel(window).problems()[0])
    assert window.images_panel.selected_name() == "harbour.png"


def test_the_selected_problem_stays_selected_when_others_come_and_go(qtbot, window):
    load(qtbot, window, title="", summary="")
    panel(window).list.setCurrentRow(1)
    window.document.set_metadata("title", "Fleet")
    settle(qtbot, window)
    assert panel(window).list.problem_at(panel(window).list.currentRow()).code == "missing-summary"


def test_a_new_article_is_followed(qtbot, window):
    load(qtbot, window)
    window.new_document()
    settle(qtbot, window)
    assert "missing-title" in codes(window)
    window.text_pane.insert_at_caret("Skip to content\n")
    settle(qtbot, window)
    assert "page-furniture" in codes(window)


def test_a_check_that_fails_says_so_and_keeps_the_last_list(qtbot, window, monkeypatch):
    load(qtbot, window, title="")

    def broken(_article, _options):
        raise ValueError("broken on purpose")

    monkeypatch.setattr(check_panel, "_check", broken)
    window.document.set_metadata("summary", "")
    settle(qtbot, window)
    assert "could not run" in panel(window).summary.text()
    assert codes(window) == ["missing-title"]


def test_focus_mode_hides_the_dock_and_brings_it_back(qtbot, window):
    window.set_focus_mode(True)
    assert panel(window).dock.isHidden()
    window.set_focus_mode(False)
    assert panel(window).dock.isVisible()
