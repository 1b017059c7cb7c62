"""Starting the window: the Qt application, settings, preferences, and a clean exit on Ctrl+C."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from editor.ui.main_window import MainWindow

APP_NAME = "Article Editor"
# Python only runs signal handlers between bytecodes; a timer gives it a moment inside Qt's event loop.
SIGNAL_POLL_MS = 200


def make_application(argv: list[str] | None = None) -> QApplication:
    """The running QApplication, created (after registering the preview's URL scheme) when there is none."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    from editor.ui.preview import register_url_schemes

    # Custom schemes must be known to WebEngine before the application object exists.
    register_url_schemes()
    app = QApplication(list(argv) if argv else [sys.argv[0] if sys.argv else "article-editor"])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("article-editor")
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
