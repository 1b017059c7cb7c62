"""The File menu's work for the main window: new, open, save, save as, import, and asking before anything is lost.

Kept apart from the window's layout (editor.ui.main_window) so each file holds one concern; MainWindow
inherits these methods, so callers keep writing `window.save()` or `window.open_path(path)`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer

from editor.core.errors import ConflictError, EditorError
from editor.ui import dialogs, file_ops
from editor.ui.document import ArticleDocument

if TYPE_CHECKING:
    from editor.ui.export_dialog import ExportFlow

MESSAGE_MS = 8000


def tr(text: str) -> str:
    """Translate a user-visible string of the File menu's work."""
    return QCoreApplication.translate("MainWindow", text)


class FileCommands:
    """Open, save and import for a MainWindow (which supplies document, guard, preferences and the rest)."""

    def may_discard_document(self) -> bool:
        """Ask about unsaved changes; True when the current article may be replaced or closed."""
        if not self.document.is_modified:
            return True
        answer = dialogs.ask_unsaved_changes(self, self.display_name())
        if answer == "save":
            return self.save()
        return answer == "discard"

    # --- File menu ---------------------------------------------------------------------
    def new_document(self) -> bool:
        """Start a new, empty article (after asking about unsaved changes)."""
        if self._saving or not self.may_discard_document():
            return False
        self._swap_document(self._blank_document(), None)
        return True

    def close_document(self) -> bool:
        """Close the article and leave an empty one in its place."""
        return self.new_document()

    def open_dialog(self) -> bool:
        """Ask for an article and open it."""
        path = dialogs.ask_open_path(self, str(self.start_folder()))
        return self.open_path(path) if path is not None else False

    def open_folder_dialog(self) -> bool:
        """Ask for a .textbundle folder and open it."""
        path = dialogs.ask_open_folder(self, str(self.start_folder()))
        return self.open_path(path) if path is not None else False

    def open_recent(self, path: str) -> bool:
        """Open an entry of the recent files menu."""
        return self.open_path(Path(path))

    def clear_recent(self) -> None:
        """Empty the recent files menu."""
        self.preferences.recent_files = []
        self.preferences.save(self.settings)
        self.commands.fill_recent_menu()

    @property
    def saving(self) -> bool:
        """Whether a save is running now."""
        return self._saving

    def open_path(self, path: Path, discard: bool = False) -> bool:
        """Open a .textbundle folder, .textpack or .md file; on failure say why in one sentence and keep the article.

        `discard` replaces unsaved changes without asking (the caller already asked, e.g. before a reload).
        """
        path = Path(path)
        if self._saving or not (discard or self.may_discard_document()):
            return False
        try:
            loaded = file_ops.load_document(path, self)
        except EditorError as exc:
            if not path.exists() and str(path) in self.preferences.recent_files:
                self.preferences.recent_files.remove(str(path))
                self.preferences.save(self.settings)
            dialogs.show_error(self, str(exc))
            return False
        if not self.guard.claim(loaded.document.path):
            loaded.document.deleteLater()
            return False
        self._swap_document(loaded.document, loaded.source)
        self._remember(loaded.source)
        if loaded.warnings:
            self.statusBar().showMessage(loaded.warnings[0], MESSAGE_MS)
            dialogs.show_warnings(self, tr("Opened “{name}” with notes").format(name=path.name), loaded.warnings)
        return True

    def open_later(self, path: Path) -> None:
        """Open a dropped article once the drop is over (a question box inside a drop handler misbehaves)."""
        QTimer.singleShot(0, self, lambda: self.open_path(Path(path)))

    def show_document(self, document: ArticleDocument, source: Path | None) -> bool:
        """Put a document built elsewhere (a recovered article) in the window, after asking about unsaved changes."""
        if self._saving or not self.may_discard_document() or not self.guard.claim(document.path):
            return False
        self._swap_document(document, source)
        return True

    def save(self) -> bool:
        """Save where the article came from; an article without a bundle location (or a read-only one) asks for one."""
        if self.document.path is None or self.guard.read_only:
            return self.save_as_dialog()
        return self._save_to(self.document.path, self.document.fingerprint, force=False)

    def save_as_dialog(self) -> bool:
        """Ask for a bundle location and save there."""
        suggested = file_ops.suggested_save_path(self.document, self._source, self.start_folder())
        path = dialogs.ask_save_path(self, suggested)
        return self.save_as(path) if path is not None else False

    def save_as(self, path: Path) -> bool:
        """Save to a .textbundle folder or .textpack file (by its suffix; none means a folder)."""
        path = dialogs.with_bundle_suffix(Path(path), dialogs.BUNDLE_SUFFIX)
        current = self.document.path
        if current is not None and file_ops.same_path(path, current):
            if self.guard.read_only:
                dialogs.show_error(self, tr("“{name}” is open read-only; choose another place to save it.").format(
                    name=current.name))
                return False
            return self._save_to(current, self.document.fingerprint, force=False)
        if path.exists():
            if not dialogs.ask_replace(self, path):
                return False
            return self._save_to(path, None, force=True)
        return self._save_to(path, None, force=False)

    def save_quietly(self, report: Callable[[str], None]) -> bool:
        """Save into the article's own bundle without asking anything (autosave); a problem goes to `report`."""
        path = self.document.path
        if path is None or self.guard.read_only:
            return False
        return self._save_to(path, self.document.fingerprint, force=False, report=report)

    def _save_to(self, path: Path, expected: str | None, force: bool,
                 report: Callable[[str], None] | None = None) -> bool:
        if self._saving:
            return False
        document = self.document
        article = document.article()
        step = document.undo_stack.index()
        notes: list[str] = []
        backup = file_ops.backup_job(path, self.data_root / "backups", self.preferences.backups_kept)
        tell = report or (lambda sentence: dialogs.show_error(self, sentence))
        self._saving = True
        try:
            fingerprint = file_ops.run_save(article, path, expected, force, self, backup=backup, notes=notes)
        except ConflictError as exc:
            self._saving = False
            if report is not None:
                report(str(exc))
                return False
            return self._resolve_conflict(path, expected)
        except EditorError as exc:
            self._saving = False
            tell(str(exc))
            return False
        except Exception as exc:  # a bug in a writer must not take the text with it
            self._saving = False
            sentence = tr("The article could not be saved because of an unexpected problem ({error}); "
                          "your text is still open.").format(error=exc)
            tell(sentence)
            return False
        self._saving = False
        document.mark_saved(path, fingerprint)
        if document.undo_stack.index() != step:
            # Something changed while the save ran (an image import finishing): that part is not on disk.
            document.undo_stack.resetClean()
        self._source = path
        self._remember(path)
        self._update_title()
        self.statusBar().showMessage(" ".join([tr("Saved “{name}”.").format(name=path.name), *notes]), MESSAGE_MS)
        self.saved.emit(path)
        return True

    def _resolve_conflict(self, path: Path, expected: str | None) -> bool:
        answer = dialogs.ask_conflict(self, path.name)
        if answer == "overwrite":
            return self._save_to(path, expected, force=True)
        if answer == "save_as":
            return self.save_as_dialog()
        return False

    def export_dialog(self) -> ExportFlow:
        """File ▸ Export…: check the article, then export it in a chosen format."""
        from editor.ui import export_dialog  # loaded on first use: the window opens sooner

        return export_dialog.start_export(self)

    def import_dialog(self) -> bool:
        """File ▸ Import…: ask for a file another program wrote and bring it in as a new article."""
        from editor.ui import import_dialogs

        path = import_dialogs.ask_import_path(self, str(self.start_folder()))
        return self.import_path(path) if path is not None else False

    def import_folder_dialog(self) -> bool:
        """Ask for a page bundle folder (Hugo) and bring it in as a new article."""
        from editor.ui import import_dialogs

        path = import_dialogs.ask_import_folder(self, str(self.start_folder()))
        return self.import_path(path) if path is not None else False

    def import_path(self, path: Path) -> bool:
        """Bring in an article another program wrote as a new, unsaved one; notes say what could not come along."""
        path = Path(path)
        if self._saving or not self.may_discard_document():
            return False
        try:
            from editor.ui import import_dialogs

            result = import_dialogs.import_with_busy_cursor(path)
        except EditorError as exc:
            dialogs.show_error(self, str(exc))
            return False
        # Not saved anywhere yet: Save asks for a bundle location, named after what was imported.
        self._swap_document(ArticleDocument(result.article, None, None, self), path)
        self.statusBar().showMessage(tr("Imported “{name}”.").format(name=path.name), MESSAGE_MS)
        if result.notes:
            dialogs.show_warnings(self, tr("Imported “{name}” with notes").format(name=path.name),
                                  list(result.notes))
        return True

    def _remember(self, path: Path) -> None:
        self.preferences.add_recent(str(path.absolute()))
        self.preferences.remember_tags(self.document.metadata.tags)
        self.preferences.save(self.settings)
        self.metadata_form.apply_preferences(self.preferences)
        self.commands.fill_recent_menu()

    def start_folder(self) -> Path:
        """Where file choosers start: beside the current article, else beside the last one opened."""
        where = self.document.path or self._source
        if where is not None:
            return where.parent
        if self.preferences.recent_files:
            return Path(self.preferences.recent_files[0]).parent
        return Path.home()
