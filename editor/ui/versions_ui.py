"""Versions in the window: Review ▸ Save Version…, Versions…, Compare with File…, and a version on every save.

The versions live in the open document's private_files (see editor.core.versions). Saving a version or
deleting one saves the bundle, so the list on disk matches the list shown. Whenever the document's images
change, images only earlier versions still show are kept by content, so every version stays restorable.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QCursor, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from editor.core import versions
from editor.core.compare import compare_articles
from editor.core.errors import EditorError
from editor.core.model import Article, AssetData, ImageAsset
from editor.ui import dialogs, file_ops
from editor.ui.compare_view import CompareDialog
from editor.ui.document import ArticleDocument
from editor.ui.version_restore import apply_article, restore_refusal
from editor.ui.versions_dialog import VersionsDialog, local_time

if TYPE_CHECKING:
    from editor.ui.main_window import MainWindow

KEEP_ON_SAVE_KEY = "versions/keep_on_save"


def tr(text: str) -> str:
    """Translate a user-visible string of the versions feature."""
    return QCoreApplication.translate("Versions", text)


def ask_version_name(parent: QWidget | None, suggested: str) -> str | None:
    """Ask for a version's name; None when cancelled."""
    text, accepted = QInputDialog.getText(parent, tr("Save Version"), tr("Name of this version:"),
                                          QLineEdit.EchoMode.Normal, suggested)
    return text if accepted else None


def ask_compare_path(parent: QWidget | None, folder: str) -> Path | None:
    """Ask for the bundle to compare the article with."""
    return dialogs.ask_open_path(parent, folder)


def ask_delete_version(parent: QWidget | None, name: str) -> bool:
    """Ask whether a version may be deleted for good."""
    answer = QMessageBox.question(parent, tr("Delete Version"),
                                  tr("Delete the version “{name}”? This cannot be undone.").format(name=name))
    return answer == QMessageBox.StandardButton.Yes


def _open_for_comparison(path: Path) -> Article:
    from editor.core import bundle

    try:
        if file_ops.is_markdown(path):
            return bundle.open_markdown_file(path).article
        return bundle.open_bundle(path).article
    except EditorError:
        raise
    except OSError as exc:
        raise EditorError(tr("“{name}” could not be opened ({reason}).").format(
            name=path.name, reason=exc.strerror or exc)) from exc


class VersionsFeature(QObject):
    """The versions commands of one window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: VersionsDialog | None = None
        self.compare_dialogs: list[CompareDialog] = []
        self._seen: dict[str, ImageAsset] = {}  # every image met, by sha256, to keep what versions need
        self._shas: frozenset[str] = frozenset()
        self._needed_cache: dict[str, frozenset[str]] = {}
        self._manual_save = False
        self._just_saved: Path | None = None  # the last save, until the text changes again
        menu = window.commands.review_menu
        self.save_action = self._action(tr("Save &Version…"), self.save_version_dialog, "Ctrl+Alt+S")
        self.versions_action = self._action(tr("&Versions…"), self.show_versions, "Ctrl+Alt+V")
        self.compare_file_action = self._action(tr("Compare with &File…"), self.compare_with_file_dialog, None)
        self.keep_on_save_action = self._action(tr("Keep a Version on Every &Save"), self._store_keep_on_save, None)
        self.keep_on_save_action.setCheckable(True)
        self.keep_on_save_action.setChecked(self.keep_on_save)
        if menu.actions():
            menu.addSeparator()
        menu.addActions([self.save_action, self.versions_action, self.compare_file_action, self.keep_on_save_action])
        window.document_replaced.connect(self._attach)
        window.saved.connect(self._on_saved)
        # Connected after the window's own handlers, so these run once the user's save is over; autosaves
        # into the bundle do not pass here and keep no version.
        window.commands.save.triggered.connect(self._after_user_save)
        window.commands.save_as.triggered.connect(self._after_user_save)
        self._attach(window.document)

    def _action(self, text: str, slot, shortcut: str | None) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)
        return action

    # --- the document ------------------------------------------------------------------
    @property
    def document(self) -> ArticleDocument:
        """The window's current document."""
        return self.window.document

    @property
    def keep_on_save(self) -> bool:
        """Whether every save also keeps a version (a preference, off unless chosen)."""
        value = self.window.settings.value(KEEP_ON_SAVE_KEY, False)
        return value in (True, "true", "1", 1)

    def _store_keep_on_save(self) -> None:
        self.window.settings.setValue(KEEP_ON_SAVE_KEY, self.keep_on_save_action.isChecked())

    def _attach(self, document: ArticleDocument) -> None:
        self._seen = {a.sha256: a for a in document.assets if a.sha256}
        self._shas = frozenset(self._seen)
        self._needed_cache = {}
        self._just_saved = None
        document.assets_changed.connect(self._on_assets_changed)
        document.content_changed.connect(self._forget_save)
        self._refresh_dialog()

    def _working_article(self) -> Article:
        """The document as an article whose private_files are the document's own, so versions land there."""
        article = self.document.article()
        article.private_files = self.document.private_files
        return article

    def _on_assets_changed(self) -> None:
        document = self.sender() if isinstance(self.sender(), ArticleDocument) else self.document
        if document is not self.document:
            return
        for asset in document.assets:
            if asset.sha256:
                self._seen[asset.sha256] = asset
        shas = frozenset(a.sha256 for a in document.assets)
        if shas != self._shas:  # caption typing changes no picture, and is left alone
            self._shas = shas
            self._sync_objects()

    def _sync_objects(self) -> None:
        known: dict[str, AssetData] = {sha: asset.data for sha, asset in self._seen.items()}
        versions.keep_objects(self.document.private_files, self.document.assets, known, self._needed_cache)

    def _forget_save(self) -> None:
        self._just_saved = None

    def _on_saved(self, path: Path) -> None:
        versions.rebind_private_files(self.document.private_files, Path(path))
        self._just_saved = Path(path)
        self._refresh_dialog()

    def _after_user_save(self) -> None:
        """With "Keep a Version on Every Save": keep what File ▸ Save just wrote as a version, in the bundle too."""
        path, self._just_saved = self._just_saved, None
        if path is None or not self.keep_on_save or self._manual_save or path != self.document.path:
            return
        self.add_version(tr("Saved {time}").format(time=local_time(_now().isoformat())), automatic=True)
        self._save_again(path)
        self._refresh_dialog()

    def _save_again(self, path: Path) -> None:
        """Write the bundle once more so the version of this save is in it too."""
        document = self.document
        try:
            fingerprint = file_ops.run_save(document.article(), path, document.fingerprint, False, self.window)
        except EditorError as exc:
            dialogs.show_error(self.window, str(exc))
            return
        document.mark_saved(path, fingerprint)
        versions.rebind_private_files(document.private_files, path)

    # --- saving versions ---------------------------------------------------------------
    def add_version(self, name: str, *, automatic: bool = False) -> versions.VersionInfo:
        """Keep the current state as a version in the document (written with the next save)."""
        author = self.window.preferences.author_name
        info = versions.save_version(self._working_article(), name, author, _now(), automatic=automatic)
        self._sync_objects()
        self._refresh_dialog()
        return info

    def save_version_dialog(self) -> versions.VersionInfo | None:
        """Review ▸ Save Version…: ask for a name, keep the version and save the bundle."""
        suggested = tr("Version of {time}").format(time=local_time(_now().isoformat()))
        name = ask_version_name(self.window, suggested)
        if name is None:
            return None
        info = self.add_version(name)
        self._save_bundle()
        return info

    def _save_bundle(self) -> bool:
        self._manual_save = True
        try:
            return self.window.save()
        finally:
            self._manual_save = False
        self._just_saved: Path | None = None  # the last save, until the text changes again

    # --- the list ----------------------------------------------------------------------
    def list_versions(self) -> list[versions.VersionInfo]:
        """The open article's versions, oldest first."""
        return versions.list_versions(self._working_article())

    def show_versions(self) -> VersionsDialog:
        """Review ▸ Versions…: show the list (one dialog per window, brought forward when open)."""
        if self.dialog is None:
            self.dialog = VersionsDialog(self.window)
            self.dialog.save_requested.connect(self.save_version_dialog)
            self.dialog.compare_current_requested.connect(self.compare_with_current)
            self.dialog.compare_two_requested.connect(self.compare_two)
            self.dialog.restore_requested.connect(self.restore)
            self.dialog.copy_requested.connect(self.copy_text)
            self.dialog.delete_requested.connect(self.delete)
        self._refresh_dialog()
        self.dialog.show()
        self.dialog.activateWindow()
        return self.dialog

    def _refresh_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.set_versions(self.list_versions())

    def _label(self, version_id: str) -> str:
        info = next((v for v in self.list_versions() if v.id == version_id), None)
        return f"{info.name} ({local_time(info.created)})" if info else version_id

    def _load(self, version_id: str) -> Article | None:
        try:
            return versions.load_version(self._working_article(), version_id)
        except EditorError as exc:
            dialogs.show_error(self.window, str(exc))
            return None

    # --- comparing ---------------------------------------------------------------------
    def show_comparison(self, old: Article, new: Article, old_label: str, new_label: str) -> CompareDialog:
        """Open a comparison window of two states of the article."""
        # Long articles with many changes take a moment to compare; the cursor says so.
        QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.BusyCursor))
        try:
            comparison = compare_articles(old, new)
        finally:
            QGuiApplication.restoreOverrideCursor()
        dialog = CompareDialog(comparison, old_label, new_label, self.window)
        self.compare_dialogs = [d for d in self.compare_dialogs if d.isVisible()] + [dialog]
        dialog.show()
        return dialog

    def compare_with_current(self, version_id: str) -> CompareDialog | None:
        """What changed from a version to the text as it is now."""
        old = self._load(version_id)
        if old is None:
            return None
        return self.show_comparison(old, self.document.article(), self._label(version_id), tr("Current text"))

    def compare_two(self, older_id: str, newer_id: str) -> CompareDialog | None:
        """What changed from one version to another (the older one first)."""
        older_id, newer_id = sorted((older_id, newer_id))
        old, new = self._load(older_id), self._load(newer_id)
        if old is None or new is None:
            return None
        return self.show_comparison(old, new, self._label(older_id), self._label(newer_id))

    def compare_with_file_dialog(self) -> CompareDialog | None:
        """Review ▸ Compare with File…: what differs from another bundle to the article open here."""
        path = ask_compare_path(self.window, str(self.window.start_folder()))
        return self.compare_with_path(path) if path is not None else None

    def compare_with_path(self, path: Path) -> CompareDialog | None:
        """Compare the article in another bundle (the old side) with the open one (the new side)."""
        path = Path(path)
        try:
            other = _open_for_comparison(path)
        except EditorError as exc:
            dialogs.show_error(self.window, str(exc))
            return None
        return self.show_comparison(other, self.document.article(), path.name, self.window.display_name())

    # --- restoring, copying, deleting ----------------------------------------------------
    def restore(self, version_id: str) -> bool:
        """Put a version's text, metadata and images back, as one step that Undo takes back."""
        try:
            restored = versions.restore_version(self._working_article(), version_id)
        except EditorError as exc:
            dialogs.show_error(self.window, str(exc))
            return False
        label = self._label(version_id)
        refusal = restore_refusal(self.document, restored.article)
        if refusal is not None:
            self.window.statusBar().showMessage(refusal, 8000)
            return False
        if compare_articles(self.document.article(), restored.article).identical:
            self.window.statusBar().showMessage(tr("The article already matches “{name}”.").format(name=label), 8000)
            self._tell_missing(label, restored.missing_images)
            return False
        # What is replaced is kept as a version first, so a restore never loses work, even after a save.
        name = next((v.name for v in self.list_versions() if v.id == version_id), label)
        self.add_version(tr("Before restoring “{name}”").format(name=name), automatic=True)
        apply_article(self.document, restored.article, tr("Restore Version"))
        self._refresh_dialog()
        self.window.statusBar().showMessage(tr("Restored “{name}”.").format(name=label), 8000)
        self._tell_missing(label, restored.missing_images)
        return True

    def _tell_missing(self, label: str, names: list[str]) -> None:
        if names:
            dialogs.show_warnings(self.window, tr("Restored “{name}” with notes").format(name=label), [
                tr("The image “{name}” of this version is no longer kept in the bundle.").format(name=n)
                for n in names])

    def copy_text(self, version_id: str) -> bool:
        """Put a version's Markdown text on the clipboard."""
        try:
            text = versions.version_text(self._working_article(), version_id)
        except EditorError as exc:
            dialogs.show_error(self.window, str(exc))
            return False
        QGuiApplication.clipboard().setText(text)
        self.window.statusBar().showMessage(tr("Copied the text of “{name}”.").format(
            name=self._label(version_id)), 8000)
        return True

    def delete(self, version_id: str) -> bool:
        """Delete a version after asking, and save the bundle without it."""
        if not ask_delete_version(self.window, self._label(version_id)):
            return False
        versions.delete_version(self._working_article(), version_id)
        self._needed_cache.pop(versions.version_path(version_id), None)
        self._sync_objects()
        self._refresh_dialog()
        if self.document.path is not None:
            self._save_bundle()
        return True

    def shutdown(self) -> None:
        """Close the feature's windows."""
        for dialog in [self.dialog, *self.compare_dialogs]:
            if dialog is not None:
                dialog.close()


def _now() -> datetime:
    return datetime.now(UTC)


def install(window: MainWindow) -> VersionsFeature:
    """Install the versions commands on the window."""
    return VersionsFeature(window)
