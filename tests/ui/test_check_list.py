"""The list of check problems: one row per problem with its severity, and activation asks to go to it."""

from __future__ import annotations

from PySide6.QtCore import Qt

from editor.core.check import ERROR, WARNING, Problem
from editor.ui.check_list import CheckList, problem_location

MISSING = Problem("missing-asset", "The image “gone.png” on line 5 is missing.", ERROR, asset="gone.png", line=5)
NO_DATE = Problem("missing-date", "The article has no publication date.", WARNING, field="date")


def make_list(qtbot, problems) -> CheckList:
    widget = CheckList()
    qtbot.addWidget(widget)
    widget.set_problems(problems)
    return widget


def test_each_problem_is_one_row_with_its_message_in_order(qtbot):
    widget = make_list(qtbot, [MISSING, NO_DATE])
    assert [widget.item(row).text() for row in range(widget.count())] == [MISSING.message, NO_DATE.message]
    assert widget.problems() == [MISSING, NO_DATE]
    assert widget.problem_at(1) is NO_DATE
    assert widget.problem_at(7) is None


def test_rows_carry_a_severity_icon_and_say_the_severity_to_screen_readers(qtbot):
    widget = make_list(qtbot, [MISSING, NO_DATE])
    assert not widget.item(0).icon().isNull()
    assert widget.item(0).icon().cacheKey() != widget.item(1).icon().cacheKey()
    assert widget.item(0).data(Qt.ItemDataRole.AccessibleTextRole).startswith("Error: ")
    assert widget.item(1).data(Qt.ItemDataRole.AccessibleTextRole).startswith("Warning: ")


def test_the_tooltip_says_where_the_problem_is(qtbot):
    widget = make_list(qtbot, [MISSING])
    assert widget.item(0).toolTip() == "Error: line 5, image “gone.png”"
    assert problem_location(NO_DATE) == "field “date”"


def test_new_problems_replace_the_old_ones(qtbot):
    widget = make_list(qtbot, [MISSING, NO_DATE])
    widget.set_problems([NO_DATE])
    assert widget.count() == 1 and widget.problems() == [NO_DATE]
    widget.set_problems([])
    assert widget.count() == 0


def test_double_click_on_a_row_emits_its_problem(qtbot):
    widget = make_list(qtbot, [MISSING, NO_DATE])
    widget.show()
    qtbot.waitExposed(widget)
    rect = widget.visualItemRect(widget.item(1))
    # A real double-click starts with a press on the same row.
    qtbot.mouseClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(widget.problem_activated) as signal:
        qtbot.mouseDClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [NO_DATE]


def test_enter_on_the_current_row_emits_its_problem(qtbot):
    widget = make_list(qtbot, [MISSING, NO_DATE])
    widget.show()
    qtbot.waitExposed(widget)
    widget.setFocus()
    widget.setCurrentRow(0)
    with qtbot.waitSignal(widget.problem_activated) as signal:
        qtbot.keyClick(widget, Qt.Key.Key_Return)
    assert signal.args == [MISSING]
