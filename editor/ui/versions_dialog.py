"""Review ▸ Versions…: the article's saved versions, newest first, and what can be done with them."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.core.versions import VersionInfo


def tr(text: str) -> str:
    """Translate a user-visible string of the versions dialog."""
    return QCoreApplication.translate("VersionsDialog", text)


def local_time(created: str) -> str:
    """A version's time as the user's clock shows it, e.g. "2026-11-26 23:40"; the raw text if unreadable."""
    try:
        moment = datetime.fromisoformat(created)
    except ValueError:
        return created
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment.tzinfo else moment.strftime("%Y-%m-%d %H:%M")


class VersionsDialog(QDialog):
    """Lists versions; the buttons ask for what the window does (compare, restore, copy)."""

    save_requested = Signal()
    compare_current_requested = Signal(str)  # version id
    compare_two_requested = Signal(str, str)  # older id, newer id
    restore_requested = Signal(str)
    copy_requested = Signal(str)
    delete_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("versions_dialog")
        self.setWindowTitle(tr("Versions"))
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(tr("Saved versions"))
        self.tree.setHeaderLabels([tr("Name"), tr("Saved"), tr("By"), tr("Words")])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.empty_label = QLabel(tr("No versions yet. Save one to compare with it later."))
        self.save_button = QPushButton(tr("&Save Version…"))
        self.compare_button = QPushButton(tr("Compare with &Current"))
        self.compare_two_button = QPushButton(tr("Compare &Two"))
        self.restore_button = QPushButton(tr("&Restore"))
        self.copy_button = QPushButton(tr("Copy &Text"))
        self.delete_button = QPushButton(tr("&Delete"))
        row = QHBoxLayout()
        for button in (self.save_button, self.compare_button, self.compare_two_button, self.restore_button,
                       self.copy_button, self.delete_button):
            row.addWidget(button)
        row.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.save_button.clicked.connect(self.save_requested)
        self.compare_button.clicked.connect(lambda: self._one(self.compare_current_requested))
        self.compare_two_button.clicked.connect(self._two)
        self.restore_button.clicked.connect(lambda: self._one(self.restore_requested))
        self.copy_button.clicked.connect(lambda: self._one(self.copy_requested))
        self.delete_button.clicked.connect(lambda: self._one(self.delete_requested))
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.tree.itemDoubleClicked.connect(lambda *_: self._one(self.compare_current_requested))
        self.resize(760, 420)
        self._update_buttons()

    def set_versions(self, versions: list[VersionInfo]) -> None:
        """Show these versions, newest first, keeping the selection where the same versions remain."""
        chosen = set(self.selected_ids())
        self.tree.clear()
        for info in sorted(versions, key=lambda v: v.id, reverse=True):
            name = info.name + (tr(" (automatic)") if info.automatic else "")
            item = QTreeWidgetItem([name, local_time(info.created), info.author, str(info.words)])
            item.setData(0, Qt.ItemDataRole.UserRole, info.id)
            item.setToolTip(0, info.name)
            self.tree.addTopLevelItem(item)
            item.setSelected(info.id in chosen)
        if not self.tree.selectedItems() and self.tree.topLevelItemCount():
            self.tree.topLevelItem(0).setSelected(True)  # the newest, ready for Compare with Current
        for column in range(3):
            self.tree.resizeColumnToContents(column)
        self.empty_label.setVisible(not versions)
        self._update_buttons()

    def selected_ids(self) -> list[str]:
        """Ids of the selected versions, oldest first."""
        return sorted(str(item.data(0, Qt.ItemDataRole.UserRole)) for item in self.tree.selectedItems())

    def select(self, *version_ids: str) -> None:
        """Select exactly these versions."""
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            item.setSelected(item.data(0, Qt.ItemDataRole.UserRole) in version_ids)

    def _one(self, signal: Signal) -> None:
        chosen = self.selected_ids()
        if len(chosen) == 1:
            signal.emit(chosen[0])

    def _two(self) -> None:
        chosen = self.selected_ids()
        if len(chosen) == 2:
            self.compare_two_requested.emit(chosen[0], chosen[1])

    def _update_buttons(self) -> None:
        count = len(self.selected_ids())
        for button in (self.compare_button, self.restore_button, self.copy_button, self.delete_button):
            button.setEnabled(count == 1)
        self.compare_two_button.setEnabled(count == 2)
