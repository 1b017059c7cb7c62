"""Starting the window: the Qt application, settings, preferences, and a clean exit on Ctrl+C."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from editor.ui.main_window import MainWindow

APP_NAME = "Article Editor"
# Python only runs signal handlers between bytecodes; a timer gives it a moment inside Qt's event loop.
SIGNAL_POLL_MS = 200
# In the web engine's processes, blocks from this size up get their own mapping, handed back to the system as
# soon as they are freed. glibc otherwise raises this threshold after each large free (up to 32 MiB), so the
# picture data the preview loads (about 2 MB a photo) leaves heaps that stay at their highest size.
MMAP_THRESHOLD = 256 * 1024
MMAP_ENV = "MALLOC_MMAP_THRESHOLD_"
# The window's own process keeps glibc's adaptive threshold (a fixed one made each keystroke in a long article
# map and fault in fresh pages, measurably slower) and instead hands freed memory back this often.
TRIM_EVERY_MS = 2_000
# Background threads (preview, recovery copies, thumbnails) run Python too, and by default one keeps the
# interpreter for 5 ms before the UI thread gets its turn: typing into a long article then stalled for up to
# 17 ms whenever a recovery copy was being written. With 1 ms the worst of nine typing runs was 10 ms.
UI_SWITCH_INTERVAL = 0.001


def limit_engine_heap_growth() -> None:
    """Ask glibc in the processes started from now on (the web engine's) to give large blocks back when freed.

    A threshold the user set is kept. Other C libraries ignore the variable.
    """
    if sys.platform.startswith("linux"):
        os.environ.setdefault(MMAP_ENV, str(MMAP_THRESHOLD))


def engine_only_environment() -> dict[str, str]:
    """The settings limit_engine_heap_growth made for the web engine, which the preview's Python render process
    must not inherit: there every key press's text would be mapped and faulted in afresh (about 3 ms)."""
    value = str(MMAP_THRESHOLD)
    return {MMAP_ENV: value} if os.environ.get(MMAP_ENV) == value else {}


def favour_ui_thread() -> None:
    """Have a background thread hand the interpreter to the waiting UI thread after 1 ms instead of 5 ms."""
    sys.setswitchinterval(min(sys.getswitchinterval(), UI_SWITCH_INTERVAL))


class HeapTrimmer(QObject):
    """Hands the memory this process has freed back to the system now and then, off the UI thread.

    The web engine's browser side runs in this process; the buffers it frees after loading a page full of
    photos otherwise stay in the heap (about 80 MB with 100 photos open).
    """

    def __init__(self, parent: QObject | None = None, every_ms: int = TRIM_EVERY_MS) -> None:
        super().__init__(parent)
        self._trim = _malloc_trim()
        self._running: threading.Thread | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(every_ms)
        self._timer.timeout.connect(self.trim)
        if self._trim is not None:
            self._timer.start()

    @property
    def active(self) -> bool:
        """Whether the C library can trim its heap (glibc) and the trimmer runs."""
        return self._timer.isActive()

    def trim(self) -> bool:
        """Start one trim on a short-lived thread unless one is still running; True when one was started."""
        if self._trim is None or (self._running is not None and self._running.is_alive()):
            return False
        # ctypes lets go of the interpreter lock during the call; the UI thread waits only if it allocates while
        # the C library holds its heap lock (measured: a few milliseconds at most with 60 photos open).
        self._running = threading.Thread(target=self._trim, args=(0,), name="heap-trim", daemon=True)
        self._running.start()
        return True


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None under another C library."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None


def make_application(argv: list[str] | None = None) -> QApplication:
    """The running QApplication, created (after registering the preview's URL scheme) when there is none."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    from editor.ui.preview import register_url_schemes

    # Custom schemes must be known to WebEngine before the application object exists.
    register_url_schemes()
    limit_engine_heap_growth()  # before the web engine starts its processes, which read it from the environment
    favour_ui_thread()
    app = QApplication(list(argv) if argv else [sys.argv[0] if sys.argv else "article-editor"])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("article-editor")
    HeapTrimmer(app)  # owned by the application, so it lives as long as the process runs the window
    return app


def start_window(path: Path | None = None, settings: QSettings | None = None) -> MainWindow:
    """Create and show the main window, opening `path` if given (a failure is reported and the window stays).

    The text is shown and editable first; the preview and the review features are built right after the
    window's first paint (editor.ui.features.build_after_first_paint).
    """
    from editor.ui.main_window import MainWindow
    from editor.ui.preferences import Preferences

    settings = settings if settings is not None else QSettings()
    window = MainWindow(Preferences.load(settings), settings, defer=True)
    window.show()
    if path is not None:
        window.open_path(Path(path))
    return window


def install_interrupt_handler(app: QApplication, window: MainWindow) -> QTimer:
    """Let Ctrl+C in the terminal close the window the same way the Quit command does."""
    def interrupted(_signum, _frame) -> None:
        # Closing asks about unsaved changes; the event loop ends once the window is gone.
        QTimer.singleShot(0, window.close)

    signal.signal(signal.SIGINT, interrupted)
    ticker = QTimer(app)
    ticker.timeout.connect(lambda: None)
    ticker.start(SIGNAL_POLL_MS)
    return ticker


def run_gui(path: Path | None = None, argv: list[str] | None = None, settings: QSettings | None = None) -> int:
    """Run the window until it is closed; returns the exit code."""
    app = make_application(argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    window = start_window(path, settings)
    previous = signal.getsignal(signal.SIGINT)
    ticker = install_interrupt_handler(app, window)
    try:
        # WebEngine shuts down with the event loop, so a process runs this loop only once.
        return int(app.exec())
    finally:
        ticker.stop()
        signal.signal(signal.SIGINT, previous)
