"""The date field keeps what was typed and marks what is not a date."""

from PySide6.QtCore import QDate

from editor.ui.date_field import DateField


def make(qtbot) -> tuple[DateField, list[str]]:
    field = DateField("Date")
    qtbot.addWidget(field)
    changes: list[str] = []
    field.changed.connect(changes.append)
    return field, changes


def test_typing_reports_every_text_even_an_invalid_one(qtbot):
    field, changes = make(qtbot)
    qtbot.keyClicks(field.line, "2024-1")
    assert changes[-1] == "2024-1"
    assert field.problem is not None
    assert field.line.toolTip() == field.problem


def test_set_value_marks_without_reporting(qtbot):
    field, changes = make(qtbot)
    field.set_value("next week")
    assert changes == []
    assert field.problem is not None
    field.set_value("")
    assert field.problem is None
    assert field.line.styleSheet() == ""


def test_calendar_pick_writes_an_iso_date(qtbot):
    field, changes = make(qtbot)
    field.pick(QDate(2024, 1, 16))
    assert changes == ["2024-01-16"]
    assert field.problem is None


def test_calendar_starts_at_the_typed_date(qtbot):
    field, _changes = make(qtbot)
    field.set_value("2023-05-04")
    field._prepare_calendar()
    assert field.calendar.selectedDate() == QDate(2023, 5, 4)
