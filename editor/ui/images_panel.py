"""The images panel: the article's pictures, their words, and the actions on them."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QGridLayout,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from editor.core.model import ImageAsset
from editor.core.references import image_markdown, image_references
from editor.ui import image_actions, panel_dialogs, theme
from editor.ui.document import ArticleDocument
from editor.ui.image_details import ImageDetails
from editor.ui.image_import import ImportOutcome, ImportRunner
from editor.ui.image_list import HAS_ICON_ROLE, KEY_ROLE, KIND_ROLE, NAME_ROLE, USED_ROLE, ImageList, local_image_paths
from editor.ui.preferences import Preferences
from editor.ui.review_mode import is_text_locked, refuse
from editor.ui.thumbnails import ThumbnailCache, asset_key
from editor.ui.undo_keys import UndoKeyFilter

MARKS_DELAY_MS = 300
STATE_ROLE = Qt.ItemDataRole.UserRole + 5  # what an image row was last filled from
ARRIVAL_DELAY_MS = 30  # thumbnails arriving within this are shown together
SNIPPET = 70


def tr(text: str) -> str:
    """Translate a user-visible string of the images panel."""
    return QCoreApplication.translate("ImagesPanel", text)


class ImagesPanel(QWidget):
    """Lists the article's images with thumbnails and edits them through the document's undo history."""

    insert_requested = Signal(str)  # Markdown to insert at the caret
    jump_to_offset = Signal(int)  # character offset in the text
    import_finished = Signal()  # a batch of imports has been added (or given up)

    def __init__(self, document: ArticleDocument, preferences: Preferences, parent: QWidget | None = None,
                 thumbnail_folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self._document = document
        self._preferences = preferences
        self._first_use: dict[str, int] = {}
        self._missing: list[tuple[str, int]] = []
        self.importer = ImportRunner(self)
        # Thumbnails come from worker threads; rows show a placeholder until theirs arrives.
        self.thumbnails = ThumbnailCache(parent=self, disk_folder=thumbnail_folder)
        self.thumbnails.ready.connect(self._on_thumbnail)
        self.undo_filter = UndoKeyFilter(lambda: self._document.undo_stack, self)

        self.list = ImageList(self)
        self.list.setAccessibleName(tr("Images"))
        self.details = ImageDetails(document, self.undo_filter, self)
        self._make_actions()
        self._build_layout()

        self._marks_timer = QTimer(self)
        self._marks_timer.setSingleShot(True)
        self._marks_timer.setInterval(MARKS_DELAY_MS)
        self._marks_timer.timeout.connect(self.refresh_marks)
        self._arrived: set[str] = set()
        self._arrival_timer = QTimer(self)
        self._arrival_timer.setSingleShot(True)
        self._arrival_timer.setInterval(ARRIVAL_DELAY_MS)
        self._arrival_timer.timeout.connect(self._show_arrived)

        self.list.currentItemChanged.connect(lambda *_: self._on_selection())
        self.list.itemDoubleClicked.connect(self._on_double_click)
        self.list.customContextMenuRequested.connect(self._show_menu)
        self.list.files_dropped.connect(lambda paths: self.import_sources(paths))
        self.list.move_requested.connect(lambda name, index: self._document.move_asset(name, index))
        self._connect(document)
        self.refresh_marks()

    # --- public -------------------------------------------------------------------------
    def set_document(self, document: ArticleDocument) -> None:
        """Show another document's images."""
        self._disconnect(self._document)
        self._document = document
        self.details.set_document(document)
        self._connect(document)
        self._first_use, self._missing = {}, []
        self.thumbnails.cancel_pending()  # the old document's pictures are no longer wanted first
        self.list.clear()
        self.refresh_marks()

    def selected_name(self) -> str | None:
        """The name of the selected image, if an image is selected."""
        item = self.list.currentItem()
        return item.data(NAME_ROLE) if item is not None and item.data(KIND_ROLE) == "asset" else None

    def select(self, name: str) -> None:
        """Select the image with this name."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(KIND_ROLE) == "asset" and item.data(NAME_ROLE) == name:
                self.list.setCurrentItem(item)
                return

    def import_sources(self, sources: list[Path | bytes], insert: bool = False) -> None:
        """Import files or image data in the background and add them as one undo step.

        With insert=True, insert_requested is emitted for each new image once it is in the document.
        """
        sources = [s for s in sources if isinstance(s, bytes | Path)]
        if not sources:
            return
        document = self._document
        self.importer.run(sources, {a.name for a in document.assets}, self._preferences.import_settings,
                          lambda outcome: self._on_imported(document, insert, outcome))

    def add_images(self) -> None:
        """Ask for image files and import them."""
        paths = panel_dialogs.choose_image_files(self, multiple=True)
        if paths:
            self.import_sources(list(paths))

    def shutdown(self) -> None:
        """Stop background work (when the panel goes away)."""
        self.importer.shutdown()
        self.thumbnails.wait()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    # --- actions -------------------------------------------------------------------------
    def insert_selected(self) -> None:
        """Ask for the selected image to be inserted at the caret."""
        asset = self._selected_asset()
        if asset is not None and is_text_locked(self._document.text_document):
            refuse(self)
        elif asset is not None:
            self.insert_requested.emit(image_markdown(asset.name, asset.alt))

    def move_selected(self, step: int) -> None:
        """Move the selected image up (-1) or down (+1)."""
        name = self.selected_name()
        names = [a.name for a in self._document.assets]
        if name is None or name not in names:
            return
        index = names.index(name) + step
        if 0 <= index < len(names):
            self._document.move_asset(name, index)

    def rename_selected(self) -> None:
        """Ask for a new name and rename the image and its references."""
        name = self.selected_name()
        if name is None:
            return
        refusal = image_actions.rename_refusal(self._document, name)
        if refusal is not None:
            refuse(self, refusal)
            return
        text = name
        while True:
            answer = panel_dialogs.ask_text(self, tr("Rename Image"), tr("New file name:"), text)
            if answer is None:
                return
            new_name = image_actions.complete_name(answer, name)
            if new_name == name:
                return
            problem = image_actions.rename_problem(new_name, name, {a.name for a in self._document.assets})
            if problem is None:
                break
            panel_dialogs.show_problems(self, tr("Rename Image"), [problem])
            text = answer
        image_actions.rename_everywhere(self._document, name, new_name)
        self.select(new_name)

    def replace_selected(self) -> None:
        """Ask for another file and put it in place of the selected image, keeping its words."""
        name = self.selected_name()
        if name is None:
            return
        paths = panel_dialogs.choose_image_files(self, multiple=False)
        if not paths:
            return
        document = self._document
        self.importer.run(paths[:1], {a.name for a in document.assets}, self._preferences.import_settings,
                          lambda outcome: self._on_replaced(document, name, outcome))

    def remove_selected(self) -> None:
        """Remove the selected image, asking first when the text uses it."""
        name = self.selected_name()
        if name is None:
            return
        if self._document.article().is_used(name):
            question = tr("The text shows “{name}”. Remove the image anyway? Its references will be listed "
                          "as missing.").format(name=name)
            if not panel_dialogs.ask_yes_no(self, tr("Remove Image"), question):
                return
        image_actions.remove_everywhere(self._document, name)

    # --- marks ---------------------------------------------------------------------------
    def refresh_marks(self) -> None:
        """Scan the text for image references: mark unused images and list missing ones."""
        refs = image_references(self._document.text_document.toPlainText())
        names = {a.name for a in self._document.assets}
        first_use: dict[str, int] = {}
        missing: dict[str, int] = {}
        for ref in refs:
            if not ref.is_asset:
                continue
            target = first_use if ref.name in names else missing
            target.setdefault(ref.name, ref.start)
        self._first_use = first_use
        self._missing = list(missing.items())
        self._sync_items()

    def _sync_items(self) -> None:
        assets = self._document.assets
        wanted = [("asset", a.name) for a in assets] + [("missing", n) for n, _ in self._missing]
        items = [self.list.item(row) for row in range(self.list.count())]
        shown = [(item.data(KIND_ROLE), item.data(NAME_ROLE)) for item in items]
        selected = self.selected_name()
        self.list.blockSignals(True)
        try:
            if wanted != shown:
                self.list.clear()
                for kind, name in wanted:
                    item = QListWidgetItem()
                    item.setData(KIND_ROLE, kind)
                    item.setData(NAME_ROLE, name)
                    self.list.addItem(item)
            for row, asset in enumerate(assets):
                self._fill_asset_item(self.list.item(row), asset)
            for offset, (name, _) in enumerate(self._missing):
                self._fill_missing_item(self.list.item(len(assets) + offset), name)
            if selected is not None:
                self.select(selected)
        finally:
            self.list.blockSignals(False)
        self._on_selection()

    def _fill_asset_item(self, item: QListWidgetItem, asset: ImageAsset) -> None:
        used = asset.name in self._first_use
        key = asset_key(asset)
        state = (asset.name, asset.caption, used, key)
        # Rows are refreshed after every pause in typing; with many images, rewriting unchanged rows adds up.
        if item.data(STATE_ROLE) == state and item.data(HAS_ICON_ROLE):
            return
        item.setData(STATE_ROLE, state)
        caption = " ".join(asset.caption.split())
        snippet = caption if len(caption) <= SNIPPET else caption[: SNIPPET - 1] + "…"
        first = asset.name if used else tr("{name} — unused").format(name=asset.name)
        item.setText(f"{first}\n{snippet}" if snippet else first)
        font = item.font()
        font.setItalic(not used)
        item.setFont(font)
        item.setData(USED_ROLE, used)
        item.setToolTip(asset.caption or asset.name if used else tr("The text does not show this image."))
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
        if item.data(KEY_ROLE) != key or not item.data(HAS_ICON_ROLE):
            item.setData(KEY_ROLE, key)
            icon = self.thumbnails.icon(asset)
            item.setData(HAS_ICON_ROLE, icon is not None)
            if icon is None:
                failed = self.thumbnails.failed(asset)
                icon = self.style().standardIcon(
                    QStyle.StandardPixmap.SP_MessageBoxWarning if failed else QStyle.StandardPixmap.SP_FileIcon)
            item.setIcon(icon)

    def _fill_missing_item(self, item: QListWidgetItem, name: str) -> None:
        item.setText(tr("Missing: {name}").format(name=name))
        item.setToolTip(tr("The text refers to “{name}”, but there is no such image.").format(name=name))
        item.setForeground(theme.problem_colour(self.palette()))
        item.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)

    def has_thumbnail(self, name: str) -> bool:
        """Whether the row of this image shows its thumbnail yet."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(KIND_ROLE) == "asset" and item.data(NAME_ROLE) == name:
                return bool(item.data(HAS_ICON_ROLE))
        return False

    def _on_thumbnail(self, key: str) -> None:
        # Thumbnails arrive in bursts (a hundred from a disk cache at once); rows are updated in one pass.
        self._arrived.add(key)
        self._arrival_timer.start()

    def _show_arrived(self) -> None:
        arrived, self._arrived = self._arrived, set()
        by_name = {a.name: a for a in self._document.assets}
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(KEY_ROLE) in arrived and item.data(KIND_ROLE) == "asset" and item.data(NAME_ROLE) in by_name:
                item.setData(KEY_ROLE, None)
                self._fill_asset_item(item, by_name[item.data(NAME_ROLE)])

    # --- reacting ------------------------------------------------------------------------
    def _connect(self, document: ArticleDocument) -> None:
        document.assets_changed.connect(self._sync_items)
        document.content_changed.connect(self._marks_timer.start)

    def _disconnect(self, document: ArticleDocument) -> None:
        document.assets_changed.disconnect(self._sync_items)
        document.content_changed.disconnect(self._marks_timer.start)

    def _selected_asset(self) -> ImageAsset | None:
        name = self.selected_name()
        return self._document.asset(name) if name else None

    def _on_selection(self) -> None:
        asset = self._selected_asset()
        self.details.show_asset(asset)
        names = [a.name for a in self._document.assets]
        index = names.index(asset.name) if asset else -1
        for action in (self.insert_action, self.rename_action, self.replace_action, self.remove_action):
            action.setEnabled(asset is not None)
        self.up_action.setEnabled(index > 0)
        self.down_action.setEnabled(0 <= index < len(names) - 1)

    def _on_double_click(self, item: QListWidgetItem) -> None:
        name = item.data(NAME_ROLE)
        for ref in image_references(self._document.text_document.toPlainText()):
            if ref.name == name:
                self.jump_to_offset.emit(ref.start)
                return

    def _show_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.addActions([self.insert_action, self.up_action, self.down_action])
        menu.addSeparator()
        menu.addActions([self.rename_action, self.replace_action, self.remove_action])
        menu.addSeparator()
        menu.addAction(self.add_action)
        menu.exec(self.list.viewport().mapToGlobal(pos))
        menu.deleteLater()

    # --- importing -------------------------------------------------------------------------
    def _on_imported(self, document: ArticleDocument, insert: bool, outcome: ImportOutcome) -> None:
        if outcome.cancelled or document is not self._document:
            self.import_finished.emit()
            return
        assets = image_actions.unclashed(outcome.assets, {a.name for a in document.assets})
        if assets:
            stack = document.undo_stack
            stack.beginMacro(tr("Add images") if len(assets) > 1 else tr("Add image"))
            for asset in assets:
                document.add_asset(asset)
            stack.endMacro()
            self.select(assets[-1].name)
        if insert and assets and is_text_locked(document.text_document):
            refuse(self)  # review mode came on during the import: the pictures are added, not inserted
        elif insert:
            for asset in assets:
                self.insert_requested.emit(image_markdown(asset.name, asset.alt))
        if outcome.errors:
            panel_dialogs.show_problems(self, tr("Some images were not added"), outcome.errors)
        self.import_finished.emit()

    def _on_replaced(self, document: ArticleDocument, name: str, outcome: ImportOutcome) -> None:
        if not outcome.cancelled and document is self._document and document.asset(name) is not None:
            refusal = image_actions.replace_refusal(document, name, outcome.assets[0]) if outcome.assets else None
            if refusal is not None:
                refuse(self, refusal)
            elif outcome.assets:
                self.select(image_actions.replace_file(document, name, outcome.assets[0]))
            if outcome.errors:
                panel_dialogs.show_problems(self, tr("The image was not replaced"), outcome.errors)
        self.import_finished.emit()

    # --- drops -------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_image_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = local_image_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.import_sources(list(paths))

    # --- building ----------------------------------------------------------------------------
    def _make_actions(self) -> None:
        def action(text: str, slot, shortcut: QKeySequence | None = None) -> QAction:
            act = QAction(text, self)
            act.triggered.connect(slot)
            if shortcut is not None:
                act.setShortcut(shortcut)
                act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.list.addAction(act)
            return act

        self.add_action = action(tr("&Add Images…"), self.add_images)
        self.insert_action = action(tr("&Insert at Caret"), self.insert_selected, QKeySequence("Ctrl+Return"))
        self.up_action = action(tr("Move &Up"), lambda: self.move_selected(-1), QKeySequence("Alt+Up"))
        self.down_action = action(tr("Move &Down"), lambda: self.move_selected(1), QKeySequence("Alt+Down"))
        self.rename_action = action(tr("Re&name…"), self.rename_selected, QKeySequence("F2"))
        self.replace_action = action(tr("Re&place File…"), self.replace_selected)
        self.remove_action = action(tr("&Remove"), self.remove_selected, QKeySequence(QKeySequence.StandardKey.Delete))

    def _build_layout(self) -> None:
        buttons = QWidget(self)
        grid = QGridLayout(buttons)
        grid.setContentsMargins(0, 0, 0, 0)
        placed = [
            (self.add_action, 0, 0), (self.insert_action, 0, 1), (self.remove_action, 0, 2),
            (self.up_action, 1, 0), (self.down_action, 1, 1), (self.rename_action, 1, 2),
            (self.replace_action, 2, 0),
        ]
        self.buttons: dict[str, QPushButton] = {}
        for act, row, column in placed:
            button = QPushButton(act.text(), buttons)
            button.setAccessibleName(act.text().replace("&", "").rstrip("…"))
            button.clicked.connect(act.trigger)
            act.enabledChanged.connect(button.setEnabled)
            button.setEnabled(act.isEnabled())
            grid.addWidget(button, row, column)
            self.buttons[act.text().replace("&", "")] = button
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.list)
        splitter.addWidget(self.details)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(buttons)
        layout.addWidget(splitter, 1)
        chain = [*self.buttons.values(), self.list, *self.details.edits()]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
