"""Running the core image import on a worker thread, one batch at a time."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from editor.core.errors import EditorError
from editor.core.images import ImportSettings, import_as_asset
from editor.core.model import ImageAsset

PASTED_NAME = "pasted-image.png"
LARGE_BYTES = 4 * 1024 * 1024


def tr(text: str) -> str:
    """Translate a user-visible string of the image import."""
    return QCoreApplication.translate("ImageImport", text)


def source_name(source: Path | bytes) -> str:
    """The name a source is imported under."""
    return source.name if isinstance(source, Path) else PASTED_NAME


def source_size(source: Path | bytes) -> int:
    """The size in bytes of a source (0 when a file cannot be read; the import reports that)."""
    if isinstance(source, Path):
        try:
            return source.stat().st_size
        except OSError:
            return 0
    return len(source)


def needs_progress(sources: list[Path | bytes]) -> bool:
    """Whether a batch is worth a progress dialog: several pictures, or a large one."""
    return len(sources) > 1 or any(source_size(s) >= LARGE_BYTES for s in sources)


@dataclass
class ImportOutcome:
    """What a batch produced: the new assets in order, one sentence per failed picture."""

    assets: list[ImageAsset] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cancelled: bool = False


def _run_batch(batch: ImportBatch, sources: list[Path | bytes], taken: set[str], settings: ImportSettings,
               cancel: threading.Event) -> None:
    outcome = ImportOutcome()
    names = set(taken)
    for index, source in enumerate(sources):
        if cancel.is_set():
            outcome.cancelled = True
            break
        try:
            asset = import_as_asset(source, source_name(source), names, settings)
        except EditorError as exc:
            outcome.errors.append(str(exc))
        except Exception:  # one broken picture must not stop the rest of the batch
            outcome.errors.append(tr("“{name}” could not be imported.").format(name=source_name(source)))
        else:
            names.add(asset.name)
            outcome.assets.append(asset)
        if shiboken6.isValid(batch):
            batch.progressed.emit(index + 1)
    if cancel.is_set():
        outcome.cancelled = True
    if shiboken6.isValid(batch):
        batch.finished.emit(outcome)


class ImportBatch(QObject):
    """Imports a list of files or image data in the background; `finished` carries an ImportOutcome."""

    progressed = Signal(int)  # pictures done so far
    finished = Signal(object)

    def __init__(self, sources: list[Path | bytes], taken: set[str], settings: ImportSettings,
                 pool: QThreadPool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sources = list(sources)
        self._taken = set(taken)
        self._settings = settings
        self._pool = pool
        self._cancel = threading.Event()

    def start(self) -> None:
        """Begin importing."""
        args = (self, self.sources, self._taken, self._settings, self._cancel)
        self._pool.start(lambda: _run_batch(*args))

    def cancel(self) -> None:
        """Stop after the picture being imported now."""
        self._cancel.set()


class ImportRunner(QObject):
    """Runs batches one after another (so new names never clash), with a progress dialog when worth it."""

    progress_delay_ms = 400  # a quick batch finishes before any dialog flashes up

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._batches: list[ImportBatch] = []

    def run(self, sources: list[Path | bytes], taken: set[str], settings: ImportSettings,
            done: Callable[[ImportOutcome], None]) -> ImportBatch:
        """Start importing; `done` is called on the UI thread with the outcome."""
        batch = ImportBatch(sources, taken, settings, self.pool, self)
        progress = self._make_progress(batch) if needs_progress(sources) else None

        def finished(outcome: ImportOutcome) -> None:
            self._finish(batch, progress)
            done(outcome)

        batch.finished.connect(finished)
        self._batches.append(batch)
        batch.start()
        return batch

    def shutdown(self) -> None:
        """Cancel what is queued and wait for the running picture."""
        for batch in self._batches:
            batch.cancel()
        self.pool.waitForDone()

    def _make_progress(self, batch: ImportBatch) -> QProgressDialog:
        dialog = QProgressDialog(tr("Importing images…"), tr("Cancel"), 0, len(batch.sources), self._window)
        dialog.setWindowTitle(tr("Add Images"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(self.progress_delay_ms)
        dialog.canceled.connect(batch.cancel)
        batch.progressed.connect(dialog.setValue)
        dialog.setValue(0)
        return dialog

    def _finish(self, batch: ImportBatch, progress: QProgressDialog | None) -> None:
        if batch in self._batches:
            self._batches.remove(batch)
        if progress is not None:
            progress.canceled.disconnect(batch.cancel)
            progress.close()
            progress.deleteLater()
        batch.deleteLater()
