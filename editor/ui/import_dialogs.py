"""File ▸ Import…: choosing what to bring in, and bringing it in with the core's importers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from editor.core.errors import EditorError

if TYPE_CHECKING:
    from editor.core.importers import ImportResult

IMPORTABLE_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".textpack")


def tr(text: str) -> str:
    """Translate a user-visible string of importing."""
    return QCoreApplication.translate("ImportDialogs", text)


def ask_import_path(parent: QWidget | None, directory: str = "") -> Path | None:
    """Ask for a file to import (Markdown, HTML or a TextPack from another program); None when cancelled."""
    patterns = " ".join(f"*{suffix}" for suffix in IMPORTABLE_SUFFIXES)
    chosen, _ = QFileDialog.getOpenFileName(
        parent, tr("Import Article"), directory,
        f"{tr('Articles from other programs')} ({patterns});;{tr('All files (*)')}")
    return Path(chosen) if chosen else None


def ask_import_folder(parent: QWidget | None, directory: str = "") -> Path | None:
    """Ask for a folder to import (a Hugo page bundle, or a TextBundle); None when cancelled."""
    folder = QFileDialog.getExistingDirectory(parent, tr("Import Page Bundle Folder"), directory)
    return Path(folder) if folder else None


def import_with_busy_cursor(path: Path) -> ImportResult:
    """Run the core's import_source with a busy cursor; raises EditorError with one sentence on any failure."""
    from editor.core import importers

    QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.BusyCursor))
    try:
        return importers.import_source(Path(path))
    except EditorError:
        raise
    except OSError as exc:
        raise EditorError(tr("“{name}” could not be imported ({reason}).").format(
            name=Path(path).name, reason=exc.strerror or exc)) from exc
    except Exception as exc:  # an importer bug on an odd file must not take the window down
        raise EditorError(tr("“{name}” could not be imported because of an unexpected problem ({kind}).").format(
            name=Path(path).name, kind=type(exc).__name__)) from exc
    finally:
        QGuiApplication.restoreOverrideCursor()
