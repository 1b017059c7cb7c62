"""The list of versions: newest first, buttons that follow the selection, requests with the right ids."""

from __future__ import annotations

from editor.core.versions import VersionInfo
from editor.ui.versions_dialog import VersionsDialog, local_time

OLD = VersionInfo("20260101T100000000000Z-aaaaaa", "first", "Ann", "2026-01-01T10:00:00+00:00", 10)
NEW = VersionInfo("20260102T100000000000Z-bbbbbb", "second", "Bo", "2026-01-02T10:00:00+00:00", 12, automatic=True)


def make(qtbot) -> VersionsDialog:
    dialog = VersionsDialog()
    qtbot.addWidget(dialog)
    dialog.set_versions([OLD, NEW])
    return dialog


def test_versions_are_listed_newest_first_and_the_newest_is_selected(qtbot) -> None:
    dialog = make(qtbot)
    rows = [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]
    assert rows == ["second (automatic)", "first"]
    assert dialog.selected_ids() == [NEW.id]
    assert not dialog.empty_label.isVisibleTo(dialog)


def test_an_empty_list_says_how_to_begin(qtbot) -> None:
    dialog = VersionsDialog()
    qtbot.addWidget(dialog)
    dialog.set_versions([])
    assert dialog.empty_label.isVisibleTo(dialog)
    assert not dialog.restore_button.isEnabled() and not dialog.compare_two_button.isEnabled()


def test_compare_two_sends_the_older_id_first(qtbot) -> None:
    dialog = make(qtbot)
    dialog.select(NEW.id, OLD.id)
    with qtbot.waitSignal(dialog.compare_two_requested) as got:
        dialog.compare_two_button.click()
    assert got.args == [OLD.id, NEW.id]


def test_one_version_buttons_send_its_id(qtbot) -> None:
    dialog = make(qtbot)
    dialog.select(OLD.id)
    for button, signal in ((dialog.restore_button, dialog.restore_requested),
                           (dialog.copy_button, dialog.copy_requested),
                           (dialog.compare_button, dialog.compare_current_requested)):
        with qtbot.waitSignal(signal) as got:
            button.click()
        assert got.args == [OLD.id]


def test_the_selection_survives_a_refresh(qtbot) -> None:
    dialog = make(qtbot)
    dialog.select(OLD.id)
    dialog.set_versions([OLD, NEW])
    assert dialog.selected_ids() == [OLD.id]


def test_local_time_reads_iso_times_and_keeps_odd_text() -> None:
    assert local_time("not a time") == "not a time"
    assert local_time("2026-01-02T10:00:00") == "2026-01-02 10:00"
    assert len(local_time(OLD.created)) == len("2026-01-01 10:00")
