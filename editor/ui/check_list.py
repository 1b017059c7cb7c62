"""A list of the pre-publication check's problems, each with its severity icon; activating one asks to go to it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QStyle, QWidget

from editor.core.check import ERROR, Problem

PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 1


def tr(text: str) -> str:
    """Translate a user-visible string of the problem list."""
    return QCoreApplication.translate("CheckList", text)


def problem_location(problem: Problem) -> str:
    """Where a problem is, in a few words for a tooltip: the line, the image, the field."""
    parts = []
    if problem.line:
        parts.append(tr("line {line}").format(line=problem.line))
    if problem.asset:
        parts.append(tr("image “{name}”").format(name=problem.asset))
    if problem.field:
        parts.append(tr("field “{name}”").format(name=problem.field))
    return ", ".join(parts)


class CheckList(QListWidget):
    """The problems, errors first as the check orders them; double-click or Enter emits problem_activated."""

    problem_activated = Signal(object)  # the Problem

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("check_list")
        self.setAccessibleName(tr("Problems found by the check"))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.itemActivated.connect(self._on_activated)
        self._problems: list[Problem] = []

    def set_problems(self, problems: Sequence[Problem]) -> None:
        """Show these problems in place of the earlier ones."""
        self.clear()
        self._problems = list(problems)
        style = self.style()
        icons = {
            ERROR: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
            "warning": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
        }
        names = {ERROR: tr("Error"), "warning": tr("Warning")}
        for problem in self._problems:
            item = QListWidgetItem(icons.get(problem.severity, icons["warning"]), problem.message)
            item.setData(PROBLEM_ROLE, problem)
            where = problem_location(problem)
            severity = names.get(problem.severity, problem.severity)
            item.setToolTip(f"{severity}: {where}" if where else severity)
            # Screen readers hear the severity the icon shows.
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{severity}: {problem.message}")
            self.addItem(item)
        if self._problems:
            self.setCurrentRow(0)

    def problems(self) -> list[Problem]:
        """The problems shown, in order."""
        return list(self._problems)

    def problem_at(self, row: int) -> Problem | None:
        """The problem on a row, if there is one."""
        item = self.item(row)
        return item.data(PROBLEM_ROLE) if item is not None else None

    def _on_activated(self, item: QListWidgetItem) -> None:
        problem = item.data(PROBLEM_ROLE)
        if problem is not None:
            self.problem_activated.emit(problem)
