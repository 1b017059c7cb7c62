"""Who may write the open bundle: the lock against a second instance, and read-only places."""

from __future__ import annotations

import contextlib
import getpass
import socket
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from editor.core.errors import EditorError

if TYPE_CHECKING:
    from editor.ui.document import ArticleDocument
    from editor.ui.main_window import MainWindow

MESSAGE_MS = 8000
# A lock names its holder's process; another machine cannot check that, so the holder marks it fresh now and then.
REFRESH_MS = 60 * 60 * 1000
READ_ONLY_REASONS = ("location", "locked")


def tr(text: str) -> str:
    """Translate a user-visible string about locks and read-only bundles."""
    return QCoreApplication.translate("BundleGuard", text)


def owner_label() -> str:
    """How another instance names us in its "already open" question."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        user = "?"
    return tr("{user} on {host}").format(user=user, host=socket.gethostname())


def ask_locked(parent: QWidget | None, name: str, reason: str) -> bool:
    """Ask what to do with a bundle another instance has open; True opens it read-only, False cancels."""
    box = QMessageBox(QMessageBox.Icon.Warning, tr("Already Open"), reason, QMessageBox.StandardButton.NoButton,
                      parent)
    box.setInformativeText(tr("You can read “{name}” here, but not save over it.").format(name=name))
    read_only = box.addButton(tr("Open &Read-Only"), QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    chosen = box.clickedButton() is read_only
    box.deleteLater()
    return chosen


class BundleGuard(QObject):
    """Holds the lock of the open bundle and says whether it is read-only (and why)."""

    read_only_changed = Signal(bool)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._lock = None  # BundleLock of the bundle shown now
        self._locked_at: Path | None = None
        self._pending: tuple[Path | None, object, set[str]] | None = None
        self._reasons: set[str] = set()
        self.label = QLabel()
        self.label.setAccessibleName(tr("Read-only"))
        self.label.hide()
        window.statusBar().addPermanentWidget(self.label)
        window.document_replaced.connect(self._on_replaced)
        window.saved.connect(self._on_saved)
        self._refresh = QTimer(self)
        self._refresh.setInterval(REFRESH_MS)
        self._refresh.timeout.connect(self.refresh)
        self._refresh.start()

    @property
    def read_only(self) -> bool:
        """Whether saving must go elsewhere (a read-only place, or another instance has it open)."""
        return bool(self._reasons)

    @property
    def reasons(self) -> set[str]:
        """Why the bundle is read-only: "location", "locked", or nothing."""
        return set(self._reasons)

    @property
    def bundle(self) -> Path | None:
        """The bundle shown now whose lock (or read-only state) this guard keeps."""
        return self._locked_at

    def claim(self, path: Path | None) -> bool:
        """Get ready to show the bundle at `path` (lock it, or learn it is read-only); False when the user cancels."""
        from editor.core import lock as locks

        self._drop_pending()
        if path is None:
            self._pending = (None, None, set())
            return True
        if self._lock is not None and self._locked_at is not None and _same(self._locked_at, path):
            self._pending = (path, self._lock, set())  # opened again: keep our own lock
            return True
        if locks.is_read_only_location(path):
            self._pending = (path, None, {"location"})
            return True
        try:
            lock = locks.BundleLock.acquire(path, owner_label())
        except locks.LockedError as exc:
            if not ask_locked(self._window, path.name, str(exc)):
                return False
            self._pending = (path, None, {"locked"})
            return True
        except locks.ReadOnlyLocationError:
            self._pending = (path, None, {"location"})
            return True
        except (EditorError, OSError) as exc:
            # Without a lock the article still opens; the save's own check still guards against overwriting.
            self._window.statusBar().showMessage(str(exc), MESSAGE_MS)
            self._pending = (path, None, set())
            return True
        if getattr(lock, "was_stale", False):
            self._window.statusBar().showMessage(
                tr("“{name}” was left locked by an instance that is no longer running; this window took it over.")
                .format(name=path.name), MESSAGE_MS)
        self._pending = (path, lock, set())
        return True

    def refresh(self) -> None:
        """Mark the held lock as still in use."""
        if self._lock is not None:
            with contextlib.suppress(EditorError, OSError):
                self._lock.refresh()

    def release(self) -> None:
        """Give up the lock (the window closes)."""
        self._refresh.stop()
        self._drop_pending()
        self._set_lock(None, None)
        self._set_reasons(set())

    # --- following the window ---------------------------------------------------------------
    def _on_replaced(self, document: ArticleDocument) -> None:
        pending, self._pending = self._pending, None
        if pending is not None and pending[0] is not None and document.path is not None \
                and _same(pending[0], document.path):
            self._set_lock(pending[1], pending[0])
            self._set_reasons(pending[2])
            return
        if pending is not None and pending[1] is not None and pending[1] is not self._lock:
            _release(pending[1])
        self._set_lock(None, None)
        self._set_reasons(set())

    def _on_saved(self, path: Path) -> None:
        from editor.core import lock as locks

        if self._locked_at is not None and _same(self._locked_at, path):
            self._set_reasons(set())  # the save worked, so the place is writable after all
            return
        new = None
        with contextlib.suppress(EditorError, OSError):
            new = locks.BundleLock.acquire(path, owner_label())
        self._set_lock(new, path if new is not None else None)
        self._set_reasons(set())

    def _drop_pending(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None and pending[1] is not None and pending[1] is not self._lock:
            _release(pending[1])

    def _set_lock(self, lock: object, path: Path | None) -> None:
        if self._lock is not None and self._lock is not lock:
            _release(self._lock)
        self._lock, self._locked_at = lock, path

    def _set_reasons(self, reasons: set[str]) -> None:
        was = self.read_only
        self._reasons = set(reasons)
        pane = self._window.text_pane
        for reason in READ_ONLY_REASONS:
            pane.set_read_only_reason(reason, reason in reasons)
        if "location" in reasons:
            self.label.setText(tr("Read-only: this place cannot be written to; use Save As"))
        elif "locked" in reasons:
            self.label.setText(tr("Read-only: open in another copy of Article Editor; use Save As"))
        self.label.setVisible(bool(reasons))
        if was != self.read_only:
            self.read_only_changed.emit(self.read_only)


def _release(lock: object) -> None:
    with contextlib.suppress(EditorError, OSError):
        lock.release()  # type: ignore[attr-defined]


def _same(a: Path, b: Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return Path(a).absolute() == Path(b).absolute()
