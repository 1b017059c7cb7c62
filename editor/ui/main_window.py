"""The main window: the text in the middle, preview, images and metadata in docks (File work: window_files)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QUndoGroup
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QWidget

from editor.core.model import Article, Metadata
from editor.ui import features, file_ops
from editor.ui.bundle_guard import BundleGuard
from editor.ui.document import ArticleDocument
from editor.ui.images_panel import ImagesPanel
from editor.ui.metadata_form import MetadataForm
from editor.ui.preferences import Preferences
from editor.ui.text_pane import TextPane
from editor.ui.window_actions import WindowActions
from editor.ui.window_files import FileCommands

APP_NAME = "Article Editor"
MESSAGE_MS = 8000


def tr(text: str) -> str:
    """Translate a user-visible string of the main window."""
    return QCoreApplication.translate("MainWindow", text)


def _real_preview(document: ArticleDocument) -> QWidget:
    from editor.ui.preview import PreviewPane

    return PreviewPane(document)


class MainWindow(FileCommands, QMainWindow):
    """One article at a time: edit, preview, images, metadata; open, save, and keep the user's work safe."""

    document_replaced = Signal(object)  # the new ArticleDocument, after New, Open or Import
    saved = Signal(object)  # the Path just saved to

    def __init__(self, preferences: Preferences, settings: QSettings, parent: QWidget | None = None, *,
                 preview_factory: Callable[[ArticleDocument], QWidget] | None = None, defer: bool = False) -> None:
        """`defer` builds the preview and the review features just after the first paint (a faster start)."""
        super().__init__(parent)
        self.setObjectName("main_window")
        self.preferences = preferences
        self.settings = settings
        self._source: Path | None = None  # the file opened; differs from document.path for imported Markdown
        self._saving = False
        self._focus_hidden: list[QWidget] | None = None
        self.undo_group = QUndoGroup(self)
        self.document = self._blank_document()
        # Recovery copies, backups, thumbnails: beside an ini settings file (tests, portable use), else app data.
        self.data_root = file_ops.data_root(settings)

        self.text_pane = TextPane(self.document, preferences, self)
        self.setCentralWidget(self.text_pane)
        self.preview_factory = preview_factory or _real_preview
        self.preview = features.PendingPreview() if defer else self.preview_factory(self.document)
        self.images_panel = ImagesPanel(self.document, preferences, thumbnail_folder=self.data_root / "thumbnails")
        self.metadata_form = MetadataForm(self.document, preferences)
        self.preview_dock = self._dock("preview_dock", tr("Preview"), self.preview,
                                       Qt.DockWidgetArea.RightDockWidgetArea)
        self.metadata_dock = self._dock("metadata_dock", tr("Metadata"), self.metadata_form,
                                        Qt.DockWidgetArea.LeftDockWidgetArea)
        self.images_dock = self._dock("images_dock", tr("Images"), self.images_panel,
                                      Qt.DockWidgetArea.LeftDockWidgetArea)
        self.commands = WindowActions(self)
        self._build_status_bar()
        self._wire()
        self.guard = BundleGuard(self)
        self.guard.read_only_changed.connect(self._update_title)
        self._attach(self.document)
        self.features: dict[str, object] = {}
        if defer:
            features.build_after_first_paint(self)
        else:
            self.features = features.install_all(self)
        self.setAcceptDrops(True)
        self.resize(1280, 800)
        self._restore_window_state()
        self.text_pane.editor.setFocus()

    # --- building ----------------------------------------------------------------------
    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)  # saveState/restoreState find docks by name
        dock.setAccessibleName(title)
        widget.setAccessibleName(widget.accessibleName() or title)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    def _build_status_bar(self) -> None:
        self.stats_label = QLabel()
        self.stats_label.setAccessibleName(tr("Word count"))
        self.position_label = QLabel()
        self.position_label.setAccessibleName(tr("Caret position"))
        self.statusBar().addPermanentWidget(self.stats_label)
        self.statusBar().addPermanentWidget(self.position_label)
        self.show_stats(self.text_pane.stats())

    def _wire(self) -> None:
        pane = self.text_pane
        pane.images_pasted.connect(self._import_into_text)
        pane.bundle_dropped.connect(self.open_later)
        pane.stats_changed.connect(self.show_stats)
        self.images_panel.insert_requested.connect(pane.insert_block)
        self.images_panel.jump_to_offset.connect(pane.goto_offset)
        self.wire_preview()

    def wire_preview(self) -> None:
        """Connect the preview pane (again, once a deferred start has built the real one)."""
        self.text_pane.caret_line_changed.connect(self.preview.scroll_to_line)
        self.preview.render_failed.connect(self._on_render_failed)

    def _import_into_text(self, sources: list) -> None:
        # Pasted or dropped on the text: the picture goes where the writer put it.
        self.images_panel.import_sources(sources, insert=True)

    # --- the document ------------------------------------------------------------------
    def _blank_document(self) -> ArticleDocument:
        author = self.preferences.author_name.strip()
        article = Article(metadata=Metadata(authors=[author] if author else []))
        return ArticleDocument(article, parent=self)

    def _attach(self, document: ArticleDocument) -> None:
        self.undo_group.addStack(document.undo_stack)
        self.undo_group.setActiveStack(document.undo_stack)
        document.modified_changed.connect(self._update_title)
        document.location_changed.connect(self._update_title)
        document.metadata_changed.connect(lambda name: name == "title" and self._update_title())
        self._update_title()

    def _swap_document(self, document: ArticleDocument, source: Path | None) -> None:
        old = self.document
        self.document = document
        self._source = source
        for pane in (self.text_pane, self.preview, self.images_panel, self.metadata_form):
            pane.set_document(document)
        self.undo_group.removeStack(old.undo_stack)
        self._attach(document)
        old.deleteLater()
        self.text_pane.editor.setFocus()
        self.document_replaced.emit(document)

    def display_name(self) -> str:
        """The article's name as the title bar and the dialogs show it."""
        if self.document.path is None and self._source is not None:
            return self._source.name
        return self.document.display_name

    def _update_title(self) -> None:
        name = self.display_name()
        if self.guard.read_only:
            name = tr("{name} (read-only)").format(name=name)
        self.setWindowTitle(tr("{name}[*] — {app}").format(name=name, app=APP_NAME))
        self.setWindowModified(self.document.is_modified)

    # --- Edit and View -----------------------------------------------------------------
    def edit_preferences(self) -> None:
        """Show the preferences dialog and apply what was chosen."""
        from editor.ui import preferences_dialog

        chosen = preferences_dialog.edit_preferences(self, self.preferences)
        if chosen is not None:
            self.apply_preferences(chosen)

    def apply_preferences(self, chosen: Preferences) -> None:
        """Take over edited preferences, keep them, and show their effect."""
        prefs = self.preferences  # the panes hold this object, so it is updated rather than replaced
        prefs.author_name = chosen.author_name
        prefs.editor_font_family = chosen.editor_font_family
        prefs.editor_font_size = chosen.editor_font_size
        prefs.import_settings = chosen.import_settings
        prefs.autosave_bundle = chosen.autosave_bundle
        prefs.backups_kept = chosen.backups_kept
        prefs.save(self.settings)
        self.text_pane.apply_preferences(prefs)
        self.metadata_form.apply_preferences(prefs)

    @property
    def in_focus_mode(self) -> bool:
        """Whether only the text is shown."""
        return self._focus_hidden is not None

    def toggle_focus_mode(self) -> None:
        """Enter or leave focus mode."""
        self.set_focus_mode(not self.in_focus_mode)

    def set_focus_mode(self, on: bool) -> None:
        """Show only the text (docks, toolbar and status bar hidden), or bring back what was shown."""
        if on == self.in_focus_mode:
            return
        if on:
            # Every dock, also those the review features add (comments, checks).
            docks = self.findChildren(QDockWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
            bars = [*docks, self.commands.toolbar, self.statusBar()]
            self._focus_hidden = [w for w in bars if w.isVisible()]
            for widget in self._focus_hidden:
                widget.hide()
            self.text_pane.editor.setFocus()
        else:
            for widget in self._focus_hidden or []:
                widget.show()
            self._focus_hidden = None
        self.commands.focus_mode.setChecked(on)
        self.commands.leave_focus.setEnabled(on)

    def focus_next_pane(self, step: int = 1) -> None:
        """Move the keyboard focus to the next visible pane (text, metadata, images, preview)."""
        panes = [self.text_pane, self.metadata_form, self.images_panel, self.preview]
        visible = [p for p in panes if p.isVisible()]
        if not visible:
            return
        focused = self.focusWidget()
        current = next((i for i, p in enumerate(visible) if focused is p or p.isAncestorOf(focused)), -1)
        target = visible[(current + step) % len(visible)]
        entry = self.text_pane.editor if target is self.text_pane else getattr(target, "view", None)
        (entry or _first_focusable(target) or target).setFocus(Qt.FocusReason.ShortcutFocusReason)

    # --- status bar --------------------------------------------------------------------
    def show_stats(self, stats: dict) -> None:
        """Show words, characters, reading time and caret position."""
        self.stats_label.setText(tr("{words} words · {characters} characters · {minutes} min read").format(
            words=stats.get("words", 0), characters=stats.get("characters", 0),
            minutes=stats.get("reading_minutes", 0)))
        self.position_label.setText(tr("Line {line}, Column {column}").format(
            line=stats.get("line", 1), column=stats.get("column", 1)))

    def _on_render_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, MESSAGE_MS)

    # --- window life -------------------------------------------------------------------
    def _restore_window_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray | bytes) and self.restoreState(QByteArray(state)):
            return
        # First run: the text gets the middle, the preview about as much room as it.
        self.resizeDocks([self.metadata_dock, self.preview_dock], [340, 520], Qt.Orientation.Horizontal)

    def _store_window_state(self) -> None:
        self.set_focus_mode(False)
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._saving or not self.may_discard_document():
            event.ignore()
            return
        self._store_window_state()
        self.preferences.save(self.settings)
        self.shutdown()
        self.guard.release()
        event.accept()

    def shutdown(self) -> None:
        """Stop the panes' and features' background work."""
        for pane in (self.images_panel, self.preview, *self.features.values()):
            stop = getattr(pane, "shutdown", None)
            if callable(stop):
                with contextlib.suppress(RuntimeError):
                    stop()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if file_ops.dropped_article(event.mimeData()) is not None:
            event.acceptProposedAction()
            return
        super().dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        path = file_ops.dropped_article(event.mimeData())
        if path is None:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        self.open_later(path)



def _first_focusable(pane: QWidget) -> QWidget | None:
    """The first widget inside the pane that Tab would reach."""
    widget = pane.nextInFocusChain()
    while widget is not None and widget is not pane:
        if pane.isAncestorOf(widget) and widget.isVisible() and widget.isEnabled() \
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            return widget
        widget = widget.nextInFocusChain()
    return None
