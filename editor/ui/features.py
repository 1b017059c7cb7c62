"""The window's features beyond editing (recovery, review, spelling, checks), each installed by its own module."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

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


def install_all(window: MainWindow) -> dict[str, object]:
    """Install every feature on the window; returns them by module name."""
    installed: dict[str, object] = {}
    for name in FEATURE_MODULES:
        feature = importlib.import_module(name).install(window)
        if feature is not None:
            installed[name.rsplit(".", 1)[1]] = feature
    return installed
