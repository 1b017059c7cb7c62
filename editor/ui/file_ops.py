"""Opening and saving articles for the window: the core does the work, saving runs off the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QMimeData, QObject, QSettings, QStandardPaths, Qt, QThread
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QProgressDialog, QWidget

from editor.core.errors import EditorError
from editor.core.model import Article
from editor.ui.document import ArticleDocument

MARKDOWN_SUFFIXES = (".md", ".markdown")
# A save this quick needs no dialog; a slower one shows that the program is still alive.
PROGRESS_DELAY_MS = 400


def tr(text: str) -> str:
    """Translate a user-visible string of opening and saving."""
    return QCoreApplication.translate("FileOps", text)


@dataclass
class Loaded:
    """An article read from disk and what the reader wants the user to know."""

    document: ArticleDocument
    source: Path  # what the user opened (a .md file stays the source, not a save location)
    warnings: list[str] = field(default_factory=list)


def is_markdown(path: Path) -> bool:
    """Whether the path is a plain Markdown file rather than a bundle."""
    return path.suffix.lower() in MARKDOWN_SUFFIXES


def load_document(path: Path, parent: QObject | None = None) -> Loaded:
    """Read a bundle, TextPack or Markdown file into a new document; raises EditorError with one sentence."""
    from editor.core import bundle

    path = Path(path)
    try:
        if is_markdown(path):
            opened = bundle.open_markdown_file(path)
            # A Markdown file is imported: saving asks for a bundle location instead of touching it.
            document = ArticleDocument(opened.article, None, None, parent)
        else:
            opened = bundle.open_bundle(path)
            document = ArticleDocument(opened.article, Path(opened.path), opened.fingerprint, parent)
    except EditorError:
        raise
    except OSError as exc:
        raise EditorError(tr("“{name}” could not be opened ({reason}).").format(
            name=path.name, reason=exc.strerror or exc)) from exc
    except Exception as exc:  # a reader bug on an odd file must not take the window down
        raise EditorError(tr("“{name}” could not be opened because of an unexpected problem ({kind}).").format(
            name=path.name, kind=type(exc).__name__)) from exc
    return Loaded(document, path, [str(w) for w in getattr(opened, "warnings", []) or []])


class _SaveThread(QThread):
    """Runs one save_bundle call and keeps its result or its exception."""

    def __init__(self, job: Callable[[], str | None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._job = job
        self.result: str | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self._job()
        except Exception as exc:  # handed back to the UI thread, which decides what to show
            self.error = exc


def data_root(settings: QSettings) -> Path:
    """Where recovery copies and backups live: beside an ini settings file (portable use, tests), else app data."""
    if settings.format() == QSettings.Format.IniFormat and settings.fileName():
        return Path(settings.fileName()).parent
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    # Never the working folder: a system without a data location still gets a fixed place in the home folder.
    return Path(location) if location else Path.home() / ".article-editor"


def backup_job(path: Path, backups_root: Path, keep: int) -> Callable[[], object] | None:
    """Keeping the version on disk before it is replaced, or None when no backups are wanted."""
    if keep <= 0:
        return None

    def job() -> object:
        from editor.core.backup import keep_backup

        return keep_backup(path, backups_root, keep=keep)

    return job


def run_save(article: Article, path: Path, expected_fingerprint: str | None, force: bool,
             parent: QWidget | None, *, backup: Callable[[], object] | None = None,
             notes: list[str] | None = None) -> str | None:
    """Save the article with the core's save_bundle in a worker thread; returns the new fingerprint.

    The window waits in a local event loop so it keeps painting; a busy cursor shows at once and a
    modal progress dialog after a moment, which also keeps the user from editing what is being saved.
    `backup` runs first in the same thread; its failure does not stop the save and lands in `notes`.
    Raises what save_bundle raised (ConflictError, EditorError…).
    """
    from editor.core import bundle

    def job() -> str | None:
        if backup is not None:
            try:
                backup()
            except EditorError as exc:
                if notes is not None:
                    notes.append(str(exc))
            except OSError as exc:
                if notes is not None:
                    notes.append(tr("The previous version was not backed up ({reason}).").format(
                        reason=exc.strerror or exc))
        return bundle.save_bundle(article, path, expected_fingerprint=expected_fingerprint, force=force)

    thread = _SaveThread(job)
    loop = QEventLoop()
    thread.finished.connect(loop.quit)
    progress = QProgressDialog(tr("Saving “{name}”…").format(name=path.name), "", 0, 0, parent)
    progress.setCancelButton(None)  # an atomic save cannot be stopped half-way
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setAutoClose(False)
    progress.setAccessibleName(tr("Saving"))
    progress.setMinimumDuration(PROGRESS_DELAY_MS)
    QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.BusyCursor))
    try:
        thread.start()
        if not thread.isFinished():
            loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        thread.wait()
    finally:
        QGuiApplication.restoreOverrideCursor()
        progress.close()
        progress.deleteLater()
        thread.deleteLater()
    if thread.error is not None:
        raise thread.error
    return thread.result


def suggested_save_path(document: ArticleDocument, source: Path | None, default_folder: Path) -> Path:
    """Where Save As proposes to save: beside the current file, named after it or after the title."""
    from editor.core.model import make_slug

    if document.path is not None:
        return document.path
    folder = source.parent if source is not None else default_folder
    stem = source.stem if source is not None else (make_slug(document.metadata.title) or tr("untitled"))
    return folder / f"{stem}.textbundle"


def dropped_article(mime: QMimeData | None) -> Path | None:
    """The first local bundle, TextPack or Markdown file among dropped URLs, if any."""
    if mime is None or not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.suffix.lower() in (".textbundle", ".textpack", *MARKDOWN_SUFFIXES):
                return path
    return None


def same_path(a: Path, b: Path) -> bool:
    """Whether two paths name the same place on disk."""
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a.absolute() == b.absolute()
