"""Noticing when another program changes or deletes the open bundle, and letting the user choose what to do."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QFileSystemWatcher, QObject, Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from editor.core.bundle_files import bundle_fingerprint
from editor.core.errors import EditorError

if TYPE_CHECKING:
    from editor.ui.document import ArticleDocument
    from editor.ui.main_window import MainWindow

# Editors and sync tools write in bursts (temp file, rename, metadata); one look after the burst is enough.
DEBOUNCE_MS = 300
MESSAGE_MS = 8000
RELOAD, KEEP_MINE, COMPARE, SAVE_AS, IGNORE = "reload", "keep_mine", "compare", "save_as", "ignore"


def tr(text: str) -> str:
    """Translate a user-visible string about files changed by other programs."""
    return QCoreApplication.translate("FileWatch", text)


def show_notice(parent: QWidget | None, title: str, sentence: str, choices: list[tuple[str, str]],
                on_choice: Callable[[str], None]) -> QMessageBox:
    """Show a box that does not block the window; `on_choice` gets the key of the button pressed."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, sentence, QMessageBox.StandardButton.NoButton, parent)
    buttons = {}
    for key, label in choices:
        role = QMessageBox.ButtonRole.RejectRole if key == IGNORE else QMessageBox.ButtonRole.ActionRole
        buttons[box.addButton(label, role)] = key
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setModal(False)
    box.buttonClicked.connect(lambda button: on_choice(buttons.get(button, IGNORE)))
    box.show()
    return box


def ask_reload_over_changes(parent: QWidget | None, name: str) -> bool:
    """Make sure the user wants the disk version even though the window has unsaved changes."""
    answer = QMessageBox.warning(
        parent, tr("Reload?"),
        tr("Reloading “{name}” throws away the changes you made here since the last save.").format(name=name),
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Discard


def show_comparison(parent: QWidget | None, name: str, lines: list[str]) -> None:
    """Show how the window's article differs from the version on disk."""
    box = QMessageBox(QMessageBox.Icon.Information, tr("Compare with Disk"),
                      tr("How your version of “{name}” differs from the one on disk:").format(name=name),
                      QMessageBox.StandardButton.Close, parent)
    box.setInformativeText("\n".join(lines) if lines else tr("No differences were found."))
    box.exec()
    box.deleteLater()


class BundleWatch(QObject):
    """Watches the open bundle and reacts when someone other than this window changes it."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._poke)
        self.watcher.directoryChanged.connect(self._poke)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.check)
        self._reported: str | None = None  # the disk state the user was last told about
        self.notice: QMessageBox | None = None
        self.last_event = ""  # "changed" or "deleted", for the status of the last check
        window.document_replaced.connect(self._on_replaced)
        window.saved.connect(lambda _path: self.rewatch())
        self._follow(window.document)
        self.rewatch()

    def rewatch(self) -> None:
        """Watch the bundle shown now (again: a replaced file or folder is a new one to the system)."""
        with contextlib.suppress(RuntimeError):
            old = self.watcher.files() + self.watcher.directories()
            if old:
                self.watcher.removePaths(old)
        path = self._window.document.path
        if path is None:
            return
        wanted = [path]
        if path.is_dir():
            wanted += [p for p in _inner_paths(path) if p.exists()]
        existing = [str(p) for p in wanted if p.exists()]
        if not path.exists() and path.parent.is_dir():
            # Gone from disk: its folder shows when another program puts it back (a sync tool, an undo in a
            # file manager), which is a change the user should hear about like any other.
            existing.append(str(path.parent))
        if existing:
            self.watcher.addPaths(existing)

    def check(self) -> None:
        """Compare the disk with what the window last read or wrote; tell the user about a change once."""
        window = self._window
        if window.saving:
            self.debounce.start()  # our own save is under way; look once it is done
            return
        self.rewatch()
        document = window.document
        path = document.path
        if path is None:
            return
        current = bundle_fingerprint(path)
        if current == document.fingerprint or (current == self._reported and current is not None):
            return
        self._reported = current
        if current is None:
            self._deleted(document, path)
        else:
            self._changed(path)

    def shutdown(self) -> None:
        """Stop watching and close any open notice."""
        self.debounce.stop()
        self._close_notice()
        with contextlib.suppress(RuntimeError):
            old = self.watcher.files() + self.watcher.directories()
            if old:
                self.watcher.removePaths(old)

    # --- what the user can do ------------------------------------------------------------------
    def choose(self, action: str) -> bool:
        """Carry out a choice from the notice; True when it did something."""
        self.notice = None
        window = self._window
        path = window.document.path
        if action == RELOAD and path is not None:
            if window.document.is_modified and not ask_reload_over_changes(window, path.name):
                return False
            return window.open_path(path, discard=True)
        if action in (KEEP_MINE, SAVE_AS):
            return window.save_as_dialog()
        if action == COMPARE and path is not None:
            show_comparison(window, path.name, self.differences())
            self._changed(path)  # the choice is still open after looking
            return True
        return False

    def differences(self) -> list[str]:
        """How the window's article differs from the bundle on disk, one line each."""
        from editor.core.bundle import open_bundle
        from editor.core.recovery import describe_changes

        path = self._window.document.path
        if path is None:
            return []
        try:
            on_disk = open_bundle(path).article
        except EditorError as exc:
            return [str(exc)]
        return describe_changes(self._window.document.article(), on_disk)

    # --- inside ---------------------------------------------------------------------------------
    def _poke(self, _path: str) -> None:
        self.debounce.start()

    def _follow(self, document: ArticleDocument) -> None:
        document.location_changed.connect(self.rewatch)

    def _on_replaced(self, document: ArticleDocument) -> None:
        self._reported = None
        self._close_notice()
        self._follow(document)
        self.rewatch()

    def _changed(self, path: Path) -> None:
        self.last_event = "changed"
        self._notify(tr("Changed on Disk"),
                     tr("“{name}” was changed by another program.").format(name=path.name),
                     [(RELOAD, tr("&Reload")), (KEEP_MINE, tr("&Keep Mine (Save As…)")),
                      (COMPARE, tr("&Compare")), (IGNORE, tr("&Ignore"))])

    def _deleted(self, document: ArticleDocument, path: Path) -> None:
        self.last_event = "deleted"
        # Nothing on disk holds this text any more: it is unsaved work, and Save may put it back.
        document.fingerprint = None
        document.undo_stack.resetClean()
        self._notify(tr("Deleted on Disk"),
                     tr("“{name}” was deleted or moved by another program; your text is still here.").format(
                         name=path.name),
                     [(SAVE_AS, tr("Save &As…")), (IGNORE, tr("&Ignore"))])

    def _notify(self, title: str, sentence: str, choices: list[tuple[str, str]]) -> None:
        self._close_notice()
        self._window.statusBar().showMessage(sentence, MESSAGE_MS)
        self.notice = show_notice(self._window, title, sentence, choices, self.choose)

    def _close_notice(self) -> None:
        notice, self.notice = self.notice, None
        if notice is not None:
            with contextlib.suppress(RuntimeError):  # already closed by the user
                notice.close()


def _inner_paths(bundle: Path) -> list[Path]:
    """The files inside a folder bundle whose change matters: the text, info.json and the assets folder."""
    inner = [bundle / "info.json", bundle / "assets"]
    with contextlib.suppress(OSError):
        inner += [p for p in bundle.iterdir() if p.name.startswith("text.") and p.is_file()]
    return inner
