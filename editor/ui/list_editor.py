"""Editing an ordered list of short texts (the authors): add, edit in place, remove, reorder."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QListWidget, QListWidgetItem, QPushButton, QWidget

from editor.ui.undo_keys import UndoFilterDelegate, UndoKeyFilter


def tr(text: str) -> str:
    """Translate a user-visible string of the list editor."""
    return QCoreApplication.translate("ListEditor", text)


class ListEditor(QWidget):
    """A list whose entries may hold commas ("Smith, Jr."); `changed` carries the whole new list."""

    changed = Signal(list)

    def __init__(self, noun: str, undo_filter: UndoKeyFilter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[str] = []
        self._updating = False
        self.list = QListWidget(self)
        self.list.setAccessibleName(noun)
        self.list.setItemDelegate(UndoFilterDelegate(undo_filter, self.list))
        self.list.setMaximumHeight(90)
        self.add_button = QPushButton(tr("Add"), self)
        self.remove_button = QPushButton(tr("Remove"), self)
        self.up_button = QPushButton(tr("Up"), self)
        self.down_button = QPushButton(tr("Down"), self)
        for button, what in ((self.add_button, tr("Add {noun}")), (self.remove_button, tr("Remove {noun}")),
                             (self.up_button, tr("Move {noun} up")), (self.down_button, tr("Move {noun} down"))):
            button.setAccessibleName(what.format(noun=noun))
        self.setFocusProxy(self.list)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 0, 0, 4, 1)
        layout.addWidget(self.add_button, 0, 1)
        layout.addWidget(self.remove_button, 1, 1)
        layout.addWidget(self.up_button, 2, 1)
        layout.addWidget(self.down_button, 3, 1)

        self.add_button.clicked.connect(self.add_entry)
        self.remove_button.clicked.connect(self.remove_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.list.itemChanged.connect(self._on_item_changed)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self._update_buttons()

    def items(self) -> list[str]:
        """The entries shown (empty ones left out)."""
        return list(self._items)

    def set_items(self, items: list[str]) -> None:
        """Show these entries without reporting a change."""
        if items == self._items:
            return
        row = self.list.currentRow()
        self._items = list(items)
        self._updating = True
        try:
            self.list.clear()
            for text in self._items:
                self.list.addItem(self._make_item(text))
            self.list.setCurrentRow(min(row, self.list.count() - 1))
        finally:
            self._updating = False
        self._update_buttons()

    def add_entry(self) -> None:
        """Add an empty entry and start editing it; it counts once it has text."""
        self._updating = True
        try:
            item = self._make_item("")
            self.list.addItem(item)
        finally:
            self._updating = False
        self.list.setCurrentItem(item)
        self.list.editItem(item)

    def remove_selected(self) -> None:
        """Remove the selected entry."""
        row = self.list.currentRow()
        if row < 0:
            return
        texts = self._texts()
        del texts[row]
        self._updating = True
        try:
            self.list.takeItem(row)
        finally:
            self._updating = False
        self._report(texts)

    def move_selected(self, step: int) -> None:
        """Move the selected entry up (-1) or down (+1)."""
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        self._updating = True
        try:
            item = self.list.takeItem(row)
            self.list.insertItem(target, item)
            self.list.setCurrentRow(target)
        finally:
            self._updating = False
        self._report(self._texts())

    def _make_item(self, text: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        return item

    def _texts(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def _on_item_changed(self, _item: QListWidgetItem) -> None:
        if not self._updating:
            self._report(self._texts())

    def _report(self, texts: list[str]) -> None:
        self._update_buttons()
        cleaned = [" ".join(t.split()) for t in texts if t.strip()]
        if cleaned != self._items:
            self._items = cleaned
            self.changed.emit(list(cleaned))

    def _update_buttons(self) -> None:
        row = self.list.currentRow()
        self.remove_button.setEnabled(row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < self.list.count() - 1)
