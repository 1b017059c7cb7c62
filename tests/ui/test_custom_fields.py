"""The custom fields table: key/value pairs, rows without a key kept on screen but not stored."""

from editor.ui.custom_fields import CustomFieldsTable
from editor.ui.undo_keys import UndoKeyFilter


def make(qtbot) -> tuple[CustomFieldsTable, list[dict]]:
    table = CustomFieldsTable(UndoKeyFilter(lambda: None))
    qtbot.addWidget(table)
    changes: list[dict] = []
    table.changed.connect(changes.append)
    return table, changes


def test_set_fields_shows_rows_without_reporting(qtbot):
    table, changes = make(qtbot)
    table.set_fields({"desk": "world", "embargo": "none"})
    assert table.table.rowCount() == 2
    assert table.fields() == {"desk": "world", "embargo": "none"}
    assert changes == []


def test_refreshing_with_the_same_pairs_keeps_an_unfinished_row(qtbot):
    table, changes = make(qtbot)
    table.set_fields({"desk": "world"})
    table.add_row()
    table.set_fields({"desk": "world"})
    assert table.table.rowCount() == 2
    assert changes == []


def test_a_later_duplicate_key_wins_and_blank_keys_are_left_out(qtbot):
    table, changes = make(qtbot)
    table.set_fields({"a": "1"})
    table.add_row()
    table.table.item(1, 0).setText(" a ")
    assert changes[-1] == {"a": ""}
    table.table.item(1, 1).setText("2")
    assert changes[-1] == {"a": "2"}
    table.table.item(1, 0).setText("")
    assert changes[-1] == {"a": "1"}


def test_remove_selected_row(qtbot):
    table, changes = make(qtbot)
    table.set_fields({"a": "1", "b": "2"})
    table.table.setCurrentCell(0, 1)
    table.remove_button.click()
    assert changes == [{"b": "2"}]
