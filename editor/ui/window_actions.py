"""The window's menus, toolbar and shortcuts; each action calls a method of the window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMenu, QToolBar

from editor.ui import dialogs

if TYPE_CHECKING:
    from editor.ui.main_window import MainWindow


def tr(text: str) -> str:
    """Translate a user-visible string of the window's menus."""
    return QCoreApplication.translate("MainWindow", text)


def forward_to_focus(method: str) -> None:
    """Run Cut, Copy, Paste or Select All on whichever widget has the keyboard focus."""
    widget = QApplication.focusWidget()
    call = getattr(widget, method, None) if widget is not None else None
    if callable(call):
        call()


def _unique(keys: list[QKeySequence]) -> list[QKeySequence]:
    """The key sequences without repeats (platform bindings may already hold the extra ones)."""
    seen: dict[str, QKeySequence] = {}
    for key in keys:
        seen.setdefault(key.toString(), key)
    return list(seen.values())


class WindowActions:
    """Every action of the window, grouped into its menus."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        w = window
        self.new = self._make(tr("&New"), w.new_document, QKeySequence.StandardKey.New)
        self.open = self._make(tr("&Open…"), w.open_dialog, QKeySequence.StandardKey.Open)
        self.open_folder = self._make(tr("Open Bundle &Folder…"), w.open_folder_dialog, "Ctrl+Shift+O")
        self.save = self._make(tr("&Save"), w.save, QKeySequence.StandardKey.Save)
        self.save_as = self._make(tr("Save &As…"), w.save_as_dialog, "Ctrl+Shift+S")
        self.import_file = self._make(tr("&Import…"), w.import_dialog, "Ctrl+Shift+I")
        self.import_folder = self._make(tr("Import Page Bundle Fol&der…"), w.import_folder_dialog, None)
        self.export = self._make(tr("&Export…"), w.export_dialog, "Ctrl+E")
        self.close = self._make(tr("&Close"), w.close_document, "Ctrl+W")
        self.quit = self._make(tr("&Quit"), w.close, "Ctrl+Q")
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)

        self.undo = w.undo_group.createUndoAction(w, tr("&Undo"))
        self.undo.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Undo))
        self.redo = w.undo_group.createRedoAction(w, tr("&Redo"))
        self.redo.setShortcuts(_unique([*QKeySequence.keyBindings(QKeySequence.StandardKey.Redo),
                                        QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]))
        for action in (self.undo, self.redo):
            w.addAction(action)
        self.cut = self._make(tr("Cu&t"), lambda: forward_to_focus("cut"), QKeySequence.StandardKey.Cut)
        self.copy = self._make(tr("&Copy"), lambda: forward_to_focus("copy"), QKeySequence.StandardKey.Copy)
        self.paste = self._make(tr("&Paste"), lambda: forward_to_focus("paste"), QKeySequence.StandardKey.Paste)
        self.select_all = self._make(tr("Select &All"), lambda: forward_to_focus("selectAll"),
                                     QKeySequence.StandardKey.SelectAll)
        self.preferences = self._make(tr("Pre&ferences…"), w.edit_preferences, "Ctrl+,")
        self.preferences.setMenuRole(QAction.MenuRole.PreferencesRole)

        self.focus_mode = self._make(tr("&Focus Mode"), w.toggle_focus_mode, None)
        self.focus_mode.setCheckable(True)
        self.focus_mode.setShortcuts([QKeySequence("F11"), QKeySequence("Ctrl+Shift+F")])
        self.next_pane = self._make(tr("Next &Pane"), w.focus_next_pane, "F6")
        self.previous_pane = self._make(tr("Previous Pa&ne"), lambda: w.focus_next_pane(-1), "Shift+F6")
        self.zoom_in = self._make(tr("Zoom &In"), w.text_pane.zoom_in, QKeySequence.StandardKey.ZoomIn)
        self.zoom_in.setShortcuts(_unique([*QKeySequence.keyBindings(QKeySequence.StandardKey.ZoomIn),
                                           QKeySequence("Ctrl+=")]))
        self.zoom_out = self._make(tr("Zoom &Out"), w.text_pane.zoom_out, QKeySequence.StandardKey.ZoomOut)
        self.zoom_reset = self._make(tr("&Actual Size"), w.text_pane.zoom_reset, "Ctrl+0")

        self.about = self._make(tr("&About Article Editor"), lambda: dialogs.show_about(w), None)
        self.about.setMenuRole(QAction.MenuRole.AboutRole)

        # Esc leaves focus mode; it is only live in focus mode so it never steals Esc from dialogs or the find bar.
        self.leave_focus = QShortcut(QKeySequence(Qt.Key.Key_Escape), w)
        self.leave_focus.setEnabled(False)
        self.leave_focus.activated.connect(lambda: w.set_focus_mode(False))

        self.recent_menu = QMenu(tr("Open &Recent"), w)
        self.recent_menu.aboutToShow.connect(self.fill_recent_menu)
        self._build_menus()
        self.toolbar = self._build_toolbar()
        self.fill_recent_menu()

    def _make(self, text: str, slot: Callable[[], object], shortcut: QKeySequence | QKeySequence.StandardKey | str
              | None) -> QAction:
        action = QAction(text, self._window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        # Kept on the window so shortcuts keep working while menus or toolbars are hidden (focus mode).
        self._window.addAction(action)
        return action

    def _build_menus(self) -> None:
        w = self._window
        pane = w.text_pane
        bar = w.menuBar()
        file_menu = bar.addMenu(tr("&File"))
        file_menu.addActions([self.new, self.open, self.open_folder])
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.save, self.save_as])
        file_menu.addSeparator()
        file_menu.addActions([self.import_file, self.import_folder, self.export])
        file_menu.addSeparator()
        file_menu.addActions([self.close, self.quit])

        edit_menu = bar.addMenu(tr("&Edit"))
        edit_menu.addActions([self.undo, self.redo])
        edit_menu.addSeparator()
        edit_menu.addActions([self.cut, self.copy, self.paste, self.select_all])
        edit_menu.addSeparator()
        finding = [pane.find_action, getattr(pane, "find_next_action", None),
                   getattr(pane, "find_previous_action", None), pane.replace_action, pane.goto_line_action]
        edit_menu.addActions([a for a in finding if a is not None])
        edit_menu.addSeparator()
        edit_menu.addAction(self.preferences)

        format_menu = bar.addMenu(tr("F&ormat"))
        format_menu.addActions(list(pane.format_actions))

        view_menu = bar.addMenu(tr("&View"))
        for dock, shortcut in ((w.preview_dock, "Ctrl+Alt+P"), (w.images_dock, "Ctrl+Alt+I"),
                               (w.metadata_dock, "Ctrl+Alt+M")):
            toggle = dock.toggleViewAction()
            toggle.setShortcut(QKeySequence(shortcut))
            w.addAction(toggle)
            view_menu.addAction(toggle)
        view_menu.addSeparator()
        view_menu.addActions([self.focus_mode, self.next_pane, self.previous_pane])
        view_menu.addSeparator()
        view_menu.addActions([self.zoom_in, self.zoom_out, self.zoom_reset])
        self.view_menu = view_menu

        # Filled by the review features (comments, versions, spelling, checks).
        self.review_menu = bar.addMenu(tr("&Review"))

        help_menu = bar.addMenu(tr("&Help"))
        help_menu.addAction(self.about)

    def _build_toolbar(self) -> QToolBar:
        toolbar = QToolBar(tr("Main Toolbar"), self._window)
        toolbar.setObjectName("main_toolbar")
        toolbar.setAccessibleName(tr("Main toolbar"))
        toolbar.addActions([self.new, self.open, self.save])
        toolbar.addSeparator()
        toolbar.addActions([self.undo, self.redo])
        toolbar.addSeparator()
        toolbar.addAction(self._window.preview_dock.toggleViewAction())
        self._window.addToolBar(toolbar)
        self.view_menu.insertAction(self.view_menu.actions()[3], toolbar.toggleViewAction())
        return toolbar

    def fill_recent_menu(self) -> None:
        """List the recent files (most recent first) with a way to clear the list."""
        menu = self.recent_menu
        menu.clear()
        recent = list(self._window.preferences.recent_files)
        for number, path in enumerate(recent, start=1):
            name = Path(path).name.replace("&", "&&")
            action = menu.addAction(f"&{number} {name}" if number < 10 else name)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _checked=False, p=path: self._window.open_recent(p))
        if recent:
            menu.addSeparator()
        clear = menu.addAction(tr("&Clear Menu"))
        clear.setEnabled(bool(recent))
        clear.triggered.connect(self._window.clear_recent)
