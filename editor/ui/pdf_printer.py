"""Prints a PrintJob to PDF bytes with Qt WebEngine, offline and with page scripts off, from any thread."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from urllib.parse import quote

from PySide6.QtCore import QCoreApplication, QEventLoop, QMarginsF, QObject, QThread, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWidgets import QApplication

from editor.core.errors import EditorError
from editor.core.export.pdf import PrintJob
from editor.core.model import ImageAsset
from editor.ui.preview_page import PreviewPage, make_profile
from editor.ui.url_scheme import ASSET_PREFIX, BASE_URL, AssetSchemeHandler, OfflineInterceptor

# Loading and laying out even a long article with large photos takes seconds; this means it is stuck.
PRINT_TIMEOUT_MS = 90_000
_PAPER = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}


def tr(text: str) -> str:
    """Translate a user-visible sentence."""
    return QCoreApplication.translate("PdfPrinter", text)


def page_layout(job: PrintJob) -> QPageLayout:
    """Portrait pages of the job's paper size with its margins on every side."""
    margin = max(0.0, job.margin_mm)
    return QPageLayout(QPageSize(_PAPER.get(job.paper, QPageSize.PageSizeId.A4)), QPageLayout.Orientation.Portrait,
                       QMarginsF(margin, margin, margin, margin), QPageLayout.Unit.Millimeter)


def sandbox_refuses_user(arguments: list[str] | None = None) -> bool:
    """Whether the page engine would stop the whole process: Chromium's sandbox will not start as root."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return False
    if os.environ.get("QTWEBENGINE_DISABLE_SANDBOX", "") not in ("", "0"):
        return False
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "").split() + list(arguments or [])
    return "--no-sandbox" not in flags


def ensure_application() -> QApplication:
    """The running QApplication, or a new one (offscreen when there is no display) for a command-line export."""
    existing = QCoreApplication.instance()
    if sandbox_refuses_user(QCoreApplication.arguments() if existing is not None else sys.argv):
        # Chromium ends the process outright in this case; a sentence is better than a vanished program.
        raise EditorError(tr("PDF export cannot run as the root user, because the page engine refuses to; "
                             "run it as a normal user, or set QTWEBENGINE_DISABLE_SANDBOX=1 to accept "
                             "running it without its sandbox."))
    if existing is not None:
        if not isinstance(existing, QApplication):
            raise EditorError(tr("PDF export needs a graphical Qt application, but another kind is running."))
        return existing
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        # A terminal without a desktop still prints: the page is laid out without being shown.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from editor.ui.app import make_application

    return make_application()


def failure_sentence(exc: BaseException) -> str:
    """One sentence for whatever stopped a print: an EditorError's own, else what kind of failure it was."""
    if isinstance(exc, EditorError):
        return str(exc)
    return tr("The PDF could not be printed because the page engine failed ({kind}).").format(kind=type(exc).__name__)


class _PrintRun(QObject):
    """One page load and print; reports PDF bytes or an error sentence to `done` exactly once."""

    def __init__(self, job: PrintJob, done: Callable[[bytes | None, str], None]) -> None:
        super().__init__()
        self._job = job
        self._done = done
        self._finished = False
        # Children are deleted in the order they were made: the page's holder goes before the profile.
        holder = QObject(self)
        self.profile = make_profile(self)
        self.handler = AssetSchemeHandler(self._find_asset, self.profile)
        self.interceptor = OfflineInterceptor(self.profile)
        self.page = PreviewPage(self.profile, self.handler, self.interceptor, holder)
        self.page.loadFinished.connect(self._loaded)
        self.page.renderProcessTerminated.connect(self._crashed)
        self._watch = QTimer(self)
        self._watch.setSingleShot(True)
        self._watch.timeout.connect(lambda: self._finish(None, tr("Printing the PDF took too long and was stopped.")))

    def _find_asset(self, name: str) -> ImageAsset | None:
        return self._job.article.asset(name)

    def start(self) -> None:
        """Load the article from the private scheme, which has no size limit unlike setHtml."""
        try:
            html = self._job.page_html(lambda name: ASSET_PREFIX + quote(name))
        except EditorError as exc:
            self._finish(None, str(exc))
            return
        self.handler.page_html = html.encode("utf-8")
        self._watch.start(PRINT_TIMEOUT_MS)
        self.page.load(QUrl(BASE_URL))

    def _loaded(self, ok: bool) -> None:
        # loadFinished comes after the page's load event, so every image has arrived or failed by now.
        if self._finished:
            return
        if not ok:
            self._finish(None, tr("The article could not be laid out for printing."))
            return
        self.page.printToPdf(self._printed, page_layout(self._job))

    def _printed(self, data: object) -> None:
        pdf = bytes(data.data()) if hasattr(data, "data") else bytes(data or b"")
        if pdf:
            self._finish(pdf, "")
        else:
            self._finish(None, tr("The page engine could not print the article to PDF."))

    def _crashed(self, _status: QWebEnginePage.RenderProcessTerminationStatus, _code: int) -> None:
        self._finish(None, tr("The page engine stopped while printing the PDF."))

    def _finish(self, pdf: bytes | None, error: str) -> None:
        if self._finished:
            return
        self._finished = True
        self._watch.stop()
        self._done(pdf, error)


class _Courier(QObject):
    """Carries a job from a worker thread to the application's thread, where WebEngine pages must live."""

    requested = Signal()

    def __init__(self, job: PrintJob, outcome: _Outcome) -> None:
        super().__init__()
        self.job = job
        self.outcome = outcome
        self.run: _PrintRun | None = None

    @Slot()
    def start(self) -> None:
        """Begin printing; runs in the application's thread."""
        try:
            self.run = _PrintRun(self.job, self._done)
            self.run.start()
        except Exception as exc:  # raised in a slot it would only be printed, leaving the worker waiting
            self._done(None, failure_sentence(exc))

    def _done(self, pdf: bytes | None, error: str) -> None:
        if self.run is not None:
            self.run.deleteLater()
        self.deleteLater()
        self.outcome.set(pdf, error)


class _Outcome:
    """The result of one print, handed between threads (plain Python: it outlives the Qt objects)."""

    def __init__(self) -> None:
        self.pdf: bytes | None = None
        self.error = tr("Printing the PDF took too long and was stopped.")
        self.ready = threading.Event()

    def set(self, pdf: bytes | None, error: str) -> None:
        """Record the result and wake whoever waits for it."""
        self.pdf, self.error = pdf, error
        self.ready.set()

    def value(self) -> bytes:
        """The PDF bytes, or EditorError with the reason there are none."""
        if self.pdf is None:
            raise EditorError(self.error)
        return self.pdf


def print_pdf(job: PrintJob) -> bytes:
    """The job's article printed to PDF; raise EditorError with a sentence when it cannot be printed."""
    try:
        return _print(job)
    except EditorError:
        raise
    except Exception as exc:  # whoever exports shows one sentence, never a traceback
        raise EditorError(failure_sentence(exc)) from exc


def _print(job: PrintJob) -> bytes:
    app = ensure_application()
    if QThread.currentThread() is not app.thread():
        return _print_from_worker(job, app)
    outcome = _Outcome()
    loop = QEventLoop()

    def done(pdf: bytes | None, error: str) -> None:
        outcome.set(pdf, error)
        loop.quit()

    run = _PrintRun(job, done)
    run.start()
    if not outcome.ready.is_set():
        loop.exec()
    # The page goes now, before its profile, rather than whenever the application next idles.
    import shiboken6

    shiboken6.delete(run)
    return outcome.value()


def _print_from_worker(job: PrintJob, app: QApplication) -> bytes:
    outcome = _Outcome()
    courier = _Courier(job, outcome)
    courier.moveToThread(app.thread())
    courier.requested.connect(courier.start)  # the courier lives in the application's thread: a queued call
    courier.requested.emit()
    # The application's thread enforces its own time limit; this one only covers a stalled event loop.
    outcome.ready.wait(PRINT_TIMEOUT_MS / 1000 + 30)
    return outcome.value()
