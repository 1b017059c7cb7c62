"""The dialog that offers articles recovered after a crash: restore, save elsewhere, or discard."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from editor.core.recovery import RecoveryEntry

RESTORE, SAVE_AS, DISCARD = "restore", "save_as", "discard"


def tr(text: str) -> str:
    """Translate a user-visible string of the recovery dialog."""
    return QCoreApplication.translate("RecoveryDialog", text)


@dataclass
class RecoveredItem:
    """One recovered article as the dialog shows it."""

    entry: RecoveryEntry
    changes: list[str] = field(default_factory=list)  # how it differs from the bundle on disk

    @property
    def where(self) -> str:
        """The bundle it belongs to, or that it was never saved."""
        source = self.entry.source
        return str(source) if source is not None else tr("never saved")

    @property
    def title(self) -> str:
        """The article's title, or a stand-in when it has none."""
        return self.entry.title or tr("Untitled")


def when(moment: datetime) -> str:
    """A time in the user's own zone and format."""
    stamp = QDateTime.fromMSecsSinceEpoch(int(moment.timestamp() * 1000))
    return QLocale().toString(stamp, QLocale.FormatType.ShortFormat)


class RecoveryDialog(QDialog):
    """Lists recovered articles; the buttons answer for the selected one."""

    def __init__(self, items: list[RecoveredItem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Recover Unsaved Work"))
        self.items = items
        self.choice: tuple[str, str] | None = None
        heading = QLabel(tr("Article Editor did not close normally. These articles have changes that were not "
                            "saved; choose what to do with each one."))
        heading.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName(tr("Recovered articles"))
        for item in items:
            row = QListWidgetItem(tr("{title} — {where} — changed {when}").format(
                title=item.title, where=item.where, when=when(item.entry.changed)))
            row.setData(Qt.ItemDataRole.UserRole, item.entry.key)
            self.list.addItem(row)
        self.details = QTextBrowser()
        self.details.setAccessibleName(tr("Differences from the saved file"))
        self.details.setOpenLinks(False)
        buttons = QDialogButtonBox()
        self.restore_button = self._button(buttons, tr("&Restore"), RESTORE, QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_as_button = self._button(buttons, tr("Save &As…"), SAVE_AS, QDialogButtonBox.ButtonRole.ActionRole)
        self.discard_button = self._button(buttons, tr("&Discard…"), DISCARD,
                                           QDialogButtonBox.ButtonRole.DestructiveRole)
        later = buttons.addButton(tr("Decide &Later"), QDialogButtonBox.ButtonRole.RejectRole)
        later.clicked.connect(self.reject)
        later.setAutoDefault(False)
        self.restore_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.list)
        layout.addWidget(self.details)
        layout.addWidget(buttons)
        self.list.currentRowChanged.connect(self._show_details)
        self.list.setCurrentRow(0)
        self.list.setFocus()
        self.resize(640, 420)

    def _button(self, box: QDialogButtonBox, text: str, action: str, role: QDialogButtonBox.ButtonRole) -> QPushButton:
        button = box.addButton(text, role)
        button.setAutoDefault(False)
        button.clicked.connect(lambda: self.choose(action))
        return button

    def _show_details(self, row: int) -> None:
        if not 0 <= row < len(self.items):
            self.details.clear()
            return
        item = self.items[row]
        lines = [tr("File: {where}").format(where=item.where),
                 tr("Last changed: {when}").format(when=when(item.entry.changed)),
                 tr("{count} words").format(count=item.entry.words), ""]
        lines += item.changes or [tr("No differences from the saved file were found.")]
        self.details.setPlainText("\n".join(lines))

    def choose(self, action: str) -> None:
        """Answer `action` for the selected article and close."""
        row = self.list.currentRow()
        if 0 <= row < len(self.items):
            self.choice = (action, self.items[row].entry.key)
            self.accept()


def ask_recovery(parent: QWidget | None, items: list[RecoveredItem]) -> tuple[str, str] | None:
    """Ask what to do with one of the recovered articles: (action, key), or None to decide later."""
    dialog = RecoveryDialog(items, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.exec()
    choice = dialog.choice
    dialog.deleteLater()
    return choice


def confirm_discard(parent: QWidget | None, title: str) -> bool:
    """Make sure the user means to throw away a recovered article for good."""
    answer = QMessageBox.warning(
        parent, tr("Discard Recovered Article?"),
        tr("The unsaved changes to “{title}” will be lost for good.").format(title=title),
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Discard
