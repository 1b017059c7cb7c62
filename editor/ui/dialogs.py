"""The window's message boxes and file choosers, as module functions so tests can replace them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

BUNDLE_SUFFIX = ".textbundle"
PACK_SUFFIX = ".textpack"
OPENABLE_SUFFIXES = (BUNDLE_SUFFIX, PACK_SUFFIX, ".md", ".markdown")


def tr(text: str) -> str:
    """Translate a user-visible string of the window's dialogs."""
    return QCoreApplication.translate("Dialogs", text)


def is_openable(path: Path) -> bool:
    """Whether the window can open this path (judged by its name only)."""
    return path.suffix.lower() in OPENABLE_SUFFIXES


class OpenDialog(QFileDialog):
    """A file chooser in which a .textbundle folder is a document: choosing or entering it opens it."""

    def __init__(self, parent: QWidget | None, directory: str) -> None:
        super().__init__(parent, tr("Open Article"), directory)
        # The platform's own dialogs cannot treat a folder as a document on every system.
        self.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        self.setFileMode(QFileDialog.FileMode.ExistingFile)
        self.setNameFilters([
            tr("Articles (*.textbundle *.textpack *.md *.markdown)"),
            tr("All files (*)"),
        ])
        self.chosen: Path | None = None
        self.directoryEntered.connect(self._on_entered)

    def _on_entered(self, directory: str) -> None:
        if directory.lower().endswith(BUNDLE_SUFFIX):
            self.chosen = Path(directory)
            self.done(QFileDialog.DialogCode.Accepted)

    def accept(self) -> None:
        """Take a selected .textbundle folder as the answer instead of browsing into it."""
        selected = [Path(p) for p in self.selectedFiles()]
        if selected and selected[0].is_dir() and selected[0].suffix.lower() == BUNDLE_SUFFIX:
            self.chosen = selected[0]
            self.done(QFileDialog.DialogCode.Accepted)
            return
        super().accept()
        if self.result() == QFileDialog.DialogCode.Accepted and self.selectedFiles():
            self.chosen = Path(self.selectedFiles()[0])


def ask_open_path(parent: QWidget | None, directory: str = "") -> Path | None:
    """Ask for an article to open (.textbundle folder, .textpack or .md); None when cancelled."""
    dialog = OpenDialog(parent, directory)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    accepted = dialog.exec() == QFileDialog.DialogCode.Accepted
    chosen = dialog.chosen if accepted else None
    dialog.deleteLater()
    return chosen


def ask_open_folder(parent: QWidget | None, directory: str = "") -> Path | None:
    """Ask for a .textbundle folder to open; None when cancelled."""
    folder = QFileDialog.getExistingDirectory(parent, tr("Open Bundle Folder"), directory)
    return Path(folder) if folder else None


def ask_save_path(parent: QWidget | None, suggested: Path) -> Path | None:
    """Ask where to save the article; the name ends in .textbundle (a folder) or .textpack (one file)."""
    folder_filter = tr("TextBundle folder (*.textbundle)")
    pack_filter = tr("TextPack file (*.textpack)")
    chosen, selected_filter = QFileDialog.getSaveFileName(
        parent, tr("Save Article As"), str(suggested), f"{folder_filter};;{pack_filter}",
        pack_filter if suggested.suffix.lower() == PACK_SUFFIX else folder_filter,
        # Replacing is asked by the window, the same way for a folder as for a file.
        QFileDialog.Option.DontConfirmOverwrite,
    )
    if not chosen:
        return None
    return with_bundle_suffix(Path(chosen), PACK_SUFFIX if selected_filter == pack_filter else BUNDLE_SUFFIX)


def with_bundle_suffix(path: Path, default_suffix: str) -> Path:
    """The path itself when it already names a bundle kind, else the path with the default suffix added."""
    if path.suffix.lower() in (BUNDLE_SUFFIX, PACK_SUFFIX):
        return path
    return path.with_name(path.name + default_suffix)


def ask_replace(parent: QWidget | None, path: Path) -> bool:
    """Ask whether an existing file or folder may be replaced by the article."""
    answer = QMessageBox.warning(
        parent, tr("Replace?"),
        tr("“{name}” already exists. Replace it with this article?").format(name=path.name),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def ask_unsaved_changes(parent: QWidget | None, name: str) -> str:
    """Ask what to do with unsaved changes: "save", "discard" or "cancel"."""
    box = QMessageBox(QMessageBox.Icon.Warning, tr("Unsaved Changes"),
                      tr("“{name}” has changes that are not saved.").format(name=name),
                      QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                      | QMessageBox.StandardButton.Cancel, parent)
    box.setInformativeText(tr("Save them before going on?"))
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    answer = box.exec()
    box.deleteLater()
    return {QMessageBox.StandardButton.Save: "save",
            QMessageBox.StandardButton.Discard: "discard"}.get(QMessageBox.StandardButton(answer), "cancel")


def ask_conflict(parent: QWidget | None, name: str) -> str:
    """Ask what to do when the bundle changed on disk since it was opened: "overwrite", "save_as" or "cancel"."""
    box = QMessageBox(QMessageBox.Icon.Warning, tr("Changed on Disk"),
                      tr("“{name}” was changed on disk by someone else since you opened it.").format(name=name),
                      QMessageBox.StandardButton.NoButton, parent)
    box.setInformativeText(tr("Overwriting replaces their version with yours; Save As keeps both."))
    overwrite = box.addButton(tr("&Overwrite"), QMessageBox.ButtonRole.DestructiveRole)
    save_as = box.addButton(tr("Save &As…"), QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(save_as)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    if clicked is overwrite:
        return "overwrite"
    if clicked is save_as:
        return "save_as"
    return "cancel"


def show_error(parent: QWidget | None, sentence: str) -> None:
    """Show one sentence saying what went wrong."""
    box = QMessageBox(QMessageBox.Icon.Critical, tr("Article Editor"), sentence, QMessageBox.StandardButton.Ok,
                      parent)
    box.exec()
    box.deleteLater()


def show_warnings(parent: QWidget | None, title: str, warnings: list[str]) -> QMessageBox | None:
    """Show warnings in a box that does not block the window; returns the box (None when nothing to show)."""
    if not warnings:
        return None
    box = QMessageBox(QMessageBox.Icon.Information, title, warnings[0], QMessageBox.StandardButton.Close, parent)
    if len(warnings) > 1:
        box.setInformativeText(tr("{count} more notes are listed under Show Details.").format(count=len(warnings) - 1))
        box.setDetailedText("\n".join(warnings))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setModal(False)
    box.show()
    return box


def show_about(parent: QWidget | None) -> None:
    """A short description of the program."""
    QMessageBox.about(parent, tr("About Article Editor"), tr(
        "Article Editor writes articles with photos, captions, credits and metadata, "
        "and keeps each one in a portable TextBundle."))
