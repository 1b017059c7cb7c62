"""A date entry that may be empty or wrong: typed ISO text with a calendar to pick from."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDate, QEvent, Signal
from PySide6.QtWidgets import QCalendarWidget, QHBoxLayout, QLineEdit, QMenu, QToolButton, QWidget, QWidgetAction

from editor.ui.field_checks import date_problem
from editor.ui.theme import invalid_style


def tr(text: str) -> str:
    """Translate a user-visible string of the date field."""
    return QCoreApplication.translate("DateField", text)


class DateField(QWidget):
    """Holds the text as typed (so nothing is lost); a wrong date is marked red with the reason."""

    changed = Signal(str)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = QLineEdit(self)
        self.line.setAccessibleName(name)
        self.line.setPlaceholderText(tr("YYYY-MM-DD or YYYY-MM-DDTHH:MM"))
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.menu = QMenu(self)
        holder = QWidgetAction(self.menu)
        holder.setDefaultWidget(self.calendar)
        self.menu.addAction(holder)
        self.button = QToolButton(self)
        self.button.setText("…")
        self.button.setToolTip(tr("Pick a date"))
        self.button.setAccessibleName(tr("Pick {name}").format(name=name))
        self.button.setMenu(self.menu)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.problem: str | None = None
        self.setFocusProxy(self.line)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.button)
        self.line.textEdited.connect(self._on_edited)
        self.calendar.clicked.connect(self.pick)
        self.menu.aboutToShow.connect(self._prepare_calendar)

    def value(self) -> str:
        """The text as typed."""
        return self.line.text()

    def set_value(self, text: str) -> None:
        """Show this value without reporting a change."""
        if self.line.text() != text:
            self.line.setText(text)
        self._check()

    def pick(self, day: QDate) -> None:
        """Take a date from the calendar, keeping a time of day already typed."""
        text = day.toString("yyyy-MM-dd")
        current = self.line.text().strip()
        if date_problem(current) is None and "T" in current:
            text += current[10:]
        self.menu.hide()
        self.line.setText(text)
        self._on_edited(text)

    def changeEvent(self, event: QEvent) -> None:
        """Recolour the red mark when the palette switches between light and dark."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "problem"):
            self._check()

    def _prepare_calendar(self) -> None:
        day = QDate.fromString(self.line.text().strip()[:10], "yyyy-MM-dd")
        self.calendar.setSelectedDate(day if day.isValid() else QDate.currentDate())

    def _on_edited(self, text: str) -> None:
        self._check()
        self.changed.emit(text)

    def _check(self) -> None:
        self.problem = date_problem(self.line.text())
        self.line.setStyleSheet(invalid_style(self.palette()) if self.problem else "")
        self.line.setToolTip(self.problem or "")
