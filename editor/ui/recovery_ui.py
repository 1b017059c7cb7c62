"""Never losing a word: recovery copies, the offer to restore after a crash, autosave and watching the bundle."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QApplication

from editor.core.bundle_files import bundle_fingerprint
from editor.core.errors import EditorError
from editor.ui import dialogs, recovery_dialog
from editor.ui.autosave import BundleAutosave, RecoveryCopies
from editor.ui.file_watch import BundleWatch
from editor.ui.recovery_dialog import DISCARD, SAVE_AS, RecoveredItem

if TYPE_CHECKING:
    from editor.core.recovery import RecoveryEntry, RecoveryStore
    from editor.ui.main_window import MainWindow

MESSAGE_MS = 8000
# While another question is open (an error about the file given on the command line), ask again a bit later.
RETRY_MS = 250


def tr(text: str) -> str:
    """Translate a user-visible string about recovered articles."""
    return QCoreApplication.translate("Recovery", text)


def make_store(root: Path) -> RecoveryStore:
    """The store of recovery copies under `root` for this instance (replaced in tests to play a second instance)."""
    from editor.core.recovery import RecoveryStore

    return RecoveryStore(root)


class RecoveryFeature(QObject):
    """The window's safety net: copies while typing, restore after a crash, autosave, and changes on disk."""

    def __init__(self, window: MainWindow, store: RecoveryStore | None) -> None:
        super().__init__(window)
        self._window = window
        self.store = store
        self.copies = RecoveryCopies(window, store) if store is not None else None
        self.autosave = BundleAutosave(window)
        self.watch = BundleWatch(window)
        self.queue: list[RecoveryEntry] = []
        self._described: dict[str, RecoveredItem] = {}
        self._asking = False
        self._restoring = False
        window.saved.connect(self._offer_later)
        window.document_replaced.connect(self._offer_later)
        if store is not None:
            QTimer.singleShot(0, self, self.offer_recovered)

    def offer_recovered(self) -> None:
        """Look for articles left by instances that ended without closing, and offer them one after another."""
        window = self._window
        if self.store is None:
            return
        if not window.isVisible() or QApplication.activeModalWidget() is not None:
            QTimer.singleShot(RETRY_MS, self, self.offer_recovered)
            return
        try:
            found = self.store.orphans()
        except (EditorError, OSError) as exc:
            window.statusBar().showMessage(str(exc), MESSAGE_MS)
            return
        known = {entry.key for entry in self.queue}
        self.queue += [entry for entry in found if entry.key not in known]
        self.offer_next()

    def offer_next(self) -> None:
        """Ask about the recovered articles still waiting, until one is restored or the user decides later."""
        if self._asking or not self.queue:
            return
        self._asking = True
        try:
            while self.queue:
                choice = recovery_dialog.ask_recovery(self._window, [self.describe(e) for e in self.queue])
                if choice is None:
                    self.queue = []  # decided later: they are offered again at the next start
                    return
                action, key = choice
                entry = next((e for e in self.queue if e.key == key), None)
                if entry is None:
                    continue
                if action == DISCARD:
                    if recovery_dialog.confirm_discard(self._window, self.describe(entry).title):
                        self._discard(entry)
                    continue
                if self.restore(entry, save_as=action == SAVE_AS):
                    self.queue.remove(entry)
                # This window holds one article: the next is offered once this one is saved or closed.
                return
        finally:
            self._asking = False

    def describe(self, entry: RecoveryEntry) -> RecoveredItem:
        """The entry with how it differs from its bundle on disk (worked out once)."""
        known = self._described.get(entry.key)
        if known is not None:
            return known
        from editor.core.recovery import describe_changes

        item = RecoveredItem(entry)
        saved = None
        if entry.source is not None:
            from editor.core.bundle import open_bundle

            try:
                saved = open_bundle(entry.source).article
            except EditorError as exc:
                item.changes.append(tr("The saved file cannot be read: {reason}").format(reason=exc))
        try:
            item.changes += describe_changes(self.store.load(entry.key), saved)
        except (EditorError, OSError) as exc:
            item.changes.append(str(exc))
        self._described[entry.key] = item
        return item

    def restore(self, entry: RecoveryEntry, save_as: bool = False) -> bool:
        """Show a recovered article in the window as unsaved work, bound to the bundle it came from."""
        from editor.ui.document import ArticleDocument

        window = self._window
        try:
            article = self.store.load(entry.key)
        except (EditorError, OSError) as exc:
            dialogs.show_error(window, str(exc))
            return False
        source = Path(entry.source) if entry.source is not None else None
        # A bundle that is gone since has no state to guard; Save simply writes it again.
        fingerprint = entry.fingerprint if source is not None and bundle_fingerprint(source) is not None else None
        document = ArticleDocument(article, source, fingerprint, window)
        document.undo_stack.resetClean()  # on disk it is not: it must show as modified and be saved
        if self.copies is not None:
            self.copies.continue_key(entry.key)
        self._restoring = True
        try:
            shown = window.show_document(document, source)
        finally:
            self._restoring = False
        if not shown:
            if self.copies is not None:
                self.copies.continue_key(None)
            document.deleteLater()
            return False
        try:
            self.store.claim(entry.key)
        except (EditorError, OSError) as exc:
            window.statusBar().showMessage(str(exc), MESSAGE_MS)
        window.statusBar().showMessage(tr("Restored “{title}”; save it to keep it.").format(
            title=self.describe(entry).title), MESSAGE_MS)
        if save_as:
            window.save_as_dialog()
        return True

    def shutdown(self) -> None:
        """The window closes: stop timers and watching, and finish the copy work."""
        self.autosave.shutdown()
        self.watch.shutdown()
        if self.copies is not None:
            self.copies.shutdown()

    def _discard(self, entry: RecoveryEntry) -> None:
        try:
            self.store.discard(entry.key)
        except (EditorError, OSError) as exc:
            dialogs.show_error(self._window, str(exc))
            return
        self.queue.remove(entry)

    def _offer_later(self, *_args: object) -> None:
        if self.queue and not self._asking and not self._restoring:
            QTimer.singleShot(0, self, self.offer_next)


def install(window: MainWindow) -> RecoveryFeature:
    """Give the window recovery copies, crash recovery, autosave and a watch on its bundle."""
    store = None
    try:
        store = make_store(Path(window.data_root) / "recovery")
    except (EditorError, OSError) as exc:
        sentence = tr("Recovery copies cannot be kept: {reason}").format(reason=exc)
        QTimer.singleShot(0, window, lambda: window.statusBar().showMessage(sentence, 0))
    return RecoveryFeature(window, store)
