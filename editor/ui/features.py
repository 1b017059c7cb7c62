"""The window's features beyond editing (recovery, review, spelling, checks), each installed by its own module.

A window started for a user (editor.ui.app.start_window) shows its text first and builds the preview and
these features just after its first paint; see `build_after_first_paint`.
"""

from __future__ import annotations

import contextlib
import importlib
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDockWidget, QWidget

if TYPE_CHECKING:
    from editor.ui.main_window import MainWindow

# Each module has install(window) -> object | None; the object may have shutdown(), called when the window closes.
FEATURE_MODULES = (
    "editor.ui.recovery_ui",
    "editor.ui.comments_panel",
    "editor.ui.versions_ui",
    "editor.ui.spelling",
    "editor.ui.check_panel",
)
# Should no paint ever come (a window started minimised on some desktops), the rest is built anyway.
FALLBACK_MS = 1500
# Qt-free modules the features import that take long to load (the checks load Markdown and compile many
# patterns): imported on a thread while the preview is built, so the UI thread only waits for the rest.
PRELOAD = ("editor.core.check",)
PRELOAD_POLL_MS = 10
_BUILDING = "articleEditorBuilding"  # a window property: True while a deferred start is still building


def install_all(window: MainWindow) -> dict[str, object]:
    """Install every feature on the window; returns them by module name."""
    installed: dict[str, object] = {}
    for name in FEATURE_MODULES:
        feature = importlib.import_module(name).install(window)
        if feature is not None:
            installed[name.rsplit(".", 1)[1]] = feature
    return installed


class PendingPreview(QWidget):
    """Holds the preview's place in its dock until the real preview is built (it does nothing meanwhile)."""

    render_failed = Signal(str)

    def set_document(self, _document: object) -> None:
        """The real preview shows whatever article is open when it is built."""

    def scroll_to_line(self, _line: int) -> None:
        """Nothing is shown yet, so there is nothing to scroll."""


class _AfterFirstPaint(QObject):
    """Calls `callback` once, in the event loop turn after `widget` first painted (or after a fallback delay)."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)
        QTimer.singleShot(FALLBACK_MS, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            # Queued, so the painted frame reaches the screen before the heavy work starts.
            QTimer.singleShot(0, self, self._run)
        return False

    def _run(self) -> None:
        callback, self._callback = self._callback, None
        if callback is not None:
            callback()


def build_after_first_paint(window: MainWindow) -> None:
    """Build the window's preview and features once its text has painted, so typing can start sooner."""
    window.setProperty(_BUILDING, True)
    _AfterFirstPaint(window.text_pane.editor.viewport(), lambda: finish_building(window))


def finish_building(window: MainWindow, steps: list[Callable[[], bool | None]] | None = None) -> None:
    """Put the real preview in its dock and install the features, if a deferred start left them out.

    Each part is built in its own turn of the event loop, so keys typed meanwhile wait for one part at most;
    the slowest imports meanwhile run on a thread (`PRELOAD`).
    """
    if steps is None:
        steps = [lambda: _build_preview(window)]
        if not window.features:
            loader = _preload()
            before = set(window.findChildren(QDockWidget, options=Qt.FindChildOption.FindDirectChildrenOnly))
            steps += [lambda name=name: _install_one(window, name) for name in FEATURE_MODULES]
            steps.insert(-1, lambda: not loader.is_alive())  # the checks need what the thread imports
            steps.append(lambda: _restore_new_docks(window, before))
    if not window.isVisible():
        return  # closed before its first paint: nothing more to build
    waited = False
    if steps:
        waited = steps[0]() is False  # False: not ready yet, try this step again shortly
        if not waited:
            steps.pop(0)
    if steps:
        QTimer.singleShot(PRELOAD_POLL_MS if waited else 0, window, lambda: finish_building(window, steps))
    else:
        window.setProperty(_BUILDING, False)


def _preload() -> threading.Thread:
    """Import PRELOAD on a thread; a module that fails here is imported (and fails) where it is used."""
    def run() -> None:
        for name in PRELOAD:
            with contextlib.suppress(Exception):
                importlib.import_module(name)

    thread = threading.Thread(target=run, name="feature-preload", daemon=True)
    thread.start()
    return thread


def _build_preview(window: MainWindow) -> None:
    if isinstance(window.preview, PendingPreview):
        placeholder = window.preview
        window.preview = window.preview_factory(window.document)
        window.preview_dock.setWidget(window.preview)
        placeholder.deleteLater()
        window.wire_preview()


def _install_one(window: MainWindow, name: str) -> None:
    feature = importlib.import_module(name).install(window)
    if feature is not None:
        window.features[name.rsplit(".", 1)[1]] = feature


def _restore_new_docks(window: MainWindow, before: set[QDockWidget]) -> None:
    added = set(window.findChildren(QDockWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)) - before
    if added:
        # The features' docks came after the saved layout was applied: apply it again, now that they exist.
        window._restore_window_state()


def is_built(window: MainWindow) -> bool:
    """Whether the window's preview and features are all in place."""
    return not isinstance(window.preview, PendingPreview) and not window.property(_BUILDING)
