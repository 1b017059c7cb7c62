"""Editing free key/value pairs of the metadata in a two-column table."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.ui.undo_keys import UndoFilterDelegate, UndoKeyFilter


def tr(text: str) -> str:
    """Translate a user-visible string of the custom fields table."""
    return QCoreApplication.translate("CustomFields", text)


class CustomFieldsTable(QWidget):
    """Rows of key and value; rows without a key are kept on screen but not stored. `changed` carries a dict."""

    changed = Signal(dict)

    def __init__(self, undo_filter: UndoKeyFilter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._updating = False
        self.table = QTableWidget(0, 2, self)
        self.table.setAccessibleName(tr("Custom fields"))
        self.table.setHorizontalHeaderLabels([tr("Key"), tr("Value")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setItemDelegate(UndoFilterDelegate(undo_filter, self.table))
        self.table.setMaximumHeight(140)
        self.add_button = QPushButton(tr("Add Field"), self)
        self.remove_button = QPushButton(tr("Remove Field"), self)
        self.setFocusProxy(self.table)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemChanged.connect(lambda _item: self._report())

    def fields(self) -> dict[str, str]:
        """The pairs shown; a later row with the same key wins, as it would when read back."""
        result: dict[str, str] = {}
        for row in range(self.table.rowCount()):
            key_item, value_item = self.table.item(row, 0), self.table.item(row, 1)
            key = key_item.text().strip() if key_item else ""
            if key:
                result[key] = value_item.text() if value_item else ""
        return result

    def set_fields(self, fields: dict[str, str]) -> None:
        """Show these pairs without reporting a change (unless they are already shown)."""
        if fields == self.fields():
            return
        self._updating = True
        try:
            self.table.setRowCount(0)
            for key, value in fields.items():
                self._append(key, value)
        finally:
            self._updating = False

    def add_row(self) -> None:
        """Add an empty row and start editing its key."""
        self._updating = True
        try:
            row = self._append("", "")
        finally:
            self._updating = False
        self.table.setCurrentCell(row, 0)
        self.table.editItem(self.table.item(row, 0))

    def remove_selected(self) -> None:
        """Remove the selected row."""
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self._report()

    def _append(self, key: str, value: str) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(key))
        self.table.setItem(row, 1, QTableWidgetItem(value))
        return row

    def _report(self) -> None:
        if not self._updating:
            self.changed.emit(self.fields())
