"""The metadata form: every edit is an undo step, refreshing pushes nothing, hints follow the values."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QKeyEvent

from editor.core.model import Article, ImageAsset, Metadata, Status
from editor.ui.document import ArticleDocument
from editor.ui.metadata_form import MetadataForm
from editor.ui.preferences import Preferences
from editor.ui.theme import problem_colour


@pytest.fixture
def make_form(qtbot):
    def make(metadata: Metadata | None = None, assets: list[ImageAsset] | None = None,
             preferences: Preferences | None = None) -> MetadataForm:
        document = ArticleDocument(Article(metadata=metadata or Metadata(), assets=list(assets or [])))
        form = MetadataForm(document, preferences or Preferences())
        qtbot.addWidget(form)
        return form
    return make


def doc(form: MetadataForm) -> ArticleDocument:
    return form._document


def test_typing_a_title_sets_it_as_one_undo_step(make_form, qtbot):
    form = make_form()
    qtbot.keyClicks(form.title, "Putin meets Choe")
    assert doc(form).metadata.title == "Putin meets Choe"
    assert doc(form).undo_stack.count() == 1
    doc(form).undo_stack.undo()
    assert form.title.text() == ""


def test_the_slug_follows_the_title_until_edited_by_hand(make_form, qtbot):
    form = make_form()
    qtbot.keyClicks(form.title, "Putin Meets Choe")
    assert form.slug.placeholderText() == "putin-meets-choe"
    assert doc(form).metadata.effective_slug == "putin-meets-choe"
    assert not form.slug_reset.isEnabled()
    qtbot.keyClicks(form.slug, "moscow-talks")
    form.title.setFocus()
    qtbot.keyClicks(form.title, " Again")
    assert doc(form).metadata.slug == "moscow-talks"
    assert doc(form).metadata.effective_slug == "moscow-talks"
    assert form.slug_reset.isEnabled()
    form.slug_reset.click()
    assert doc(form).metadata.slug == ""
    assert form.slug.text() == ""
    assert doc(form).metadata.effective_slug == "putin-meets-choe-again"


def test_a_slug_that_would_not_survive_in_an_address_is_marked_but_kept(make_form, qtbot):
    form = make_form()
    qtbot.keyClicks(form.slug, "Über uns")
    assert doc(form).metadata.slug == "Über uns"
    assert not form.slug_problem.isHidden()
    assert "uber-uns" in form.slug_problem.text()


def test_an_invalid_date_is_shown_red_with_the_reason_and_kept(make_form, qtbot):
    form = make_form()
    qtbot.keyClicks(form.date.line, "16 Jan 2024")
    assert doc(form).metadata.date == "16 Jan 2024"
    assert not form.date_problem.isHidden()
    assert "not a date" in form.date_problem.text()
    assert "border" in form.date.line.styleSheet()
    form.date.line.clear()
    qtbot.keyClicks(form.date.line, "2024-01-16")
    assert doc(form).metadata.date == "2024-01-16"
    assert form.date_problem.isHidden()
    assert form.date.line.styleSheet() == ""


def test_an_invalid_date_from_the_file_is_marked_when_shown(make_form):
    form = make_form(Metadata(updated="yesterday"))
    assert form.updated.line.text() == "yesterday"
    assert not form.updated_problem.isHidden()


def test_picking_a_day_in_the_calendar_keeps_the_time_typed(make_form, qtbot):
    form = make_form(Metadata(date="2024-01-16T09:30"))
    form.date.pick(QDate(2024, 2, 3))
    assert doc(form).metadata.date == "2024-02-03T09:30"


def test_tags_complete_from_the_known_tags_and_are_added_on_enter_and_comma(make_form, qtbot):
    prefs = Preferences(known_tags=["russia", "north korea", "diplomacy"])
    form = make_form(Metadata(tags=["russia"]), preferences=prefs)
    assert form.tags.completion_model.stringList() == ["north korea", "diplomacy"]
    form.tags.completer.setCompletionPrefix("dipl")
    assert form.tags.completer.currentCompletion() == "diplomacy"
    # Text is set directly: a completion popup cannot open on the offscreen platform without warnings.
    form.tags.line.setText("diplomacy")
    qtbot.keyClick(form.tags.line, Qt.Key.Key_Return)
    form.tags.line.setText("moscow")
    qtbot.keyClick(form.tags.line, Qt.Key.Key_Comma)
    assert doc(form).metadata.tags == ["russia", "diplomacy", "moscow"]
    assert "moscow" in prefs.known_tags
    assert "moscow" not in form.tags.completion_model.stringList()
    qtbot.keyClick(form.tags.line, Qt.Key.Key_Backspace)
    assert doc(form).metadata.tags == ["russia", "diplomacy"]
    form.tags.chips.setCurrentRow(0)
    form.tags.remove_button.click()
    assert doc(form).metadata.tags == ["diplomacy"]
    doc(form).undo_stack.undo()
    assert [form.tags.chips.item(i).text() for i in range(form.tags.chips.count())] == ["russia", "diplomacy"]


def test_a_duplicate_tag_is_not_added_twice(make_form, qtbot):
    form = make_form(Metadata(tags=["Russia"]))
    qtbot.keyClicks(form.tags.line, "russia,")
    assert doc(form).metadata.tags == ["Russia"]
    assert doc(form).undo_stack.count() == 0


def test_featured_image_choices_follow_the_assets(make_form):
    picture = ImageAsset.from_bytes("a.png", b"x")
    form = make_form(assets=[picture])
    choices = lambda: [form.featured.itemData(i) for i in range(form.featured.count())]  # noqa: E731
    assert choices() == ["", "a.png"]
    doc(form).add_asset(ImageAsset.from_bytes("b.png", b"y"))
    assert choices() == ["", "a.png", "b.png"]
    form.featured.setCurrentIndex(2)
    assert doc(form).metadata.featured_image == "b.png"
    doc(form).remove_asset("b.png")
    assert choices() == ["", "a.png", "b.png"]
    assert form.featured.currentText() == "b.png (missing)"


def test_undo_of_a_metadata_edit_refreshes_the_widget_without_pushing(make_form, qtbot):
    form = make_form(Metadata(section="World"))
    form.section.selectAll()
    qtbot.keyClicks(form.section, "Europe")
    stack = doc(form).undo_stack
    assert stack.count() == 1
    stack.undo()
    assert form.section.text() == "World"
    assert stack.count() == 1
    assert stack.index() == 0
    stack.redo()
    assert form.section.text() == "Europe"
    assert stack.count() == 1


def test_summary_shows_a_live_character_count(make_form, qtbot):
    form = make_form()
    qtbot.keyClicks(form.summary, "x" * 12)
    assert form.summary_count.text() == "12 / 160"
    assert doc(form).metadata.summary == "x" * 12
    doc(form).set_metadata("summary", "y" * 170)
    assert form.summary_count.text() == "170 / 160"
    assert problem_colour(form.palette()).name() in form.summary_count.styleSheet()


def test_status_uses_readable_labels_and_stores_the_status(make_form):
    form = make_form()
    assert form.status.currentText() == "Draft"
    form.status.setCurrentIndex(form.status.findData(Status.IN_REVIEW.value))
    assert doc(form).metadata.status is Status.IN_REVIEW
    doc(form).undo_stack.undo()
    assert form.status.currentText() == "Draft"


@pytest.mark.parametrize(("text", "ok"), [("pt-BR", True), ("en", True), ("english please", False), ("e", False)])
def test_language_is_checked_loosely_and_stored_as_typed(make_form, qtbot, text, ok):
    form = make_form()
    form.language.lineEdit().clear()
    qtbot.keyClicks(form.language.lineEdit(), text)
    assert doc(form).metadata.language == text
    assert form.language_problem.isHidden() is ok


@pytest.mark.parametrize(("url", "ok"), [("https://example.org/a", True), ("javascript:alert(1)", False),
                                         ("example.org", False), ("http://a b", False)])
def test_source_url_must_be_http_or_https(make_form, qtbot, url, ok):
    form = make_form()
    qtbot.keyClicks(form.source_url, url)
    assert doc(form).metadata.source_url == url
    assert form.source_problem.isHidden() is ok


def test_authors_with_commas_are_kept_whole_and_reordered(make_form):
    form = make_form(Metadata(authors=["Smith, Jr., John", "Doe, Jane"]))
    editor = form.authors
    assert editor.list.count() == 2
    editor.list.setCurrentRow(1)
    editor.up_button.click()
    assert doc(form).metadata.authors == ["Doe, Jane", "Smith, Jr., John"]
    editor.add_entry()
    editor.list.item(2).setText("Ann Lee")
    assert doc(form).metadata.authors == ["Doe, Jane", "Smith, Jr., John", "Ann Lee"]
    editor.list.setCurrentRow(0)
    editor.remove_button.click()
    assert doc(form).metadata.authors == ["Smith, Jr., John", "Ann Lee"]
    doc(form).undo_stack.undo()
    assert editor.items() == ["Doe, Jane", "Smith, Jr., John", "Ann Lee"]


def test_custom_fields_are_stored_as_a_dict_and_rows_without_key_are_not(make_form):
    form = make_form(Metadata(custom={"desk": "world"}))
    table = form.custom.table
    assert table.item(0, 0).text() == "desk"
    form.custom.add_row()
    table.item(1, 1).setText("no key yet")
    assert doc(form).metadata.custom == {"desk": "world"}
    table.item(1, 0).setText("embargo")
    assert doc(form).metadata.custom == {"desk": "world", "embargo": "no key yet"}
    table.setCurrentCell(0, 0)
    form.custom.remove_button.click()
    assert doc(form).metadata.custom == {"embargo": "no key yet"}


def test_set_document_shows_the_other_metadata(make_form):
    form = make_form(Metadata(title="One"))
    other = ArticleDocument(Article(metadata=Metadata(title="Two", tags=["x"])))
    form.set_document(other)
    assert form.title.text() == "Two"
    assert form.tags.tags() == ["x"]
    doc(form).set_metadata("title", "Three")
    assert form.title.text() == "Three"


def test_ctrl_z_in_a_line_edit_is_left_to_the_window(make_form, qtbot):
    form = make_form()
    qtbot.keyClicks(form.title, "Headline")
    override = QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    from PySide6.QtWidgets import QApplication

    QApplication.sendEvent(form.title, override)
    assert not override.isAccepted()
    # Without a window action around, the key press still reaches the shared stack, not the line edit.
    qtbot.keyClick(form.title, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert doc(form).metadata.title == ""
    assert form.title.text() == ""
    qtbot.keyClick(form.title, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert form.title.text() == "Headline"


def test_fields_have_labels_with_buddies_and_accessible_names(make_form):
    form = make_form()
    from PySide6.QtWidgets import QLabel

    buddies = {label.buddy() for label in form.findChildren(QLabel) if label.buddy() is not None}
    assert {form.title, form.subtitle, form.slug, form.summary, form.tags.line, form.date.line} <= buddies
    assert form.title.accessibleName() == "Title"
    assert form.summary.accessibleName() == "Summary"
