"""Small dialogs of the side panels, as module functions so tests can replace them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

IMAGE_FILTER = "*.jpg *.jpeg *.png *.gif *.webp"


def tr(text: str) -> str:
    """Translate a user-visible string of the panels' dialogs."""
    return QCoreApplication.translate("PanelDialogs", text)


def choose_image_files(parent: QWidget | None, multiple: bool = True) -> list[Path]:
    """Ask for image files to import; an empty list when cancelled."""
    name_filter = tr("Images ({patterns})").format(patterns=IMAGE_FILTER)
    if multiple:
        files, _ = QFileDialog.getOpenFileNames(parent, tr("Add Images"), "", name_filter)
        return [Path(f) for f in files]
    file, _ = QFileDialog.getOpenFileName(parent, tr("Replace Image File"), "", name_filter)
    return [Path(file)] if file else []


def ask_text(parent: QWidget | None, title: str, label: str, text: str) -> str | None:
    """Ask for one line of text; None when cancelled."""
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    return value if ok else None


def ask_yes_no(parent: QWidget | None, title: str, question: str) -> bool:
    """Ask a yes/no question whose safe answer is No."""
    answer = QMessageBox.question(
        parent, title, question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def show_problems(parent: QWidget | None, title: str, messages: list[str]) -> None:
    """Show one or more one-sentence problems together."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, "\n".join(messages), QMessageBox.StandardButton.Ok, parent)
    box.exec()
