"""The Markdown text widget: shared undo history, paste and drop of images, web text and bundles."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QEvent,
    QIODevice,
    QKeyCombination,
    QMimeData,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QContextMenuEvent,
    QDropEvent,
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QResizeEvent,
    QUndoStack,
    QWheelEvent,
)
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QWidget

from editor.ui.review_mode import is_text_locked, refuse, run_step, step_refused

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp"})
BUNDLE_SUFFIXES = frozenset({".textbundle", ".textpack", ".md", ".markdown"})
# The text column is at most this many average characters wide; wider windows get side margins.
COLUMN_CHARS = 80
# Breathing room around the text. Viewport margins, not the document margin: changing that would be an undo step.
MIN_SIDE_MARGIN = 12
TOP_MARGIN = 8
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_TAG = re.compile(r"<[^>]*>")


def tr(text: str) -> str:
    """Translate a user-visible string of this module."""
    return QCoreApplication.translate("MarkdownEdit", text)


def is_undo_key(event: QKeyEvent) -> bool:
    """Whether the key event is the platform's Undo shortcut."""
    return event.matches(QKeySequence.StandardKey.Undo)


def is_redo_key(event: QKeyEvent) -> bool:
    """Whether the key event is the platform's Redo shortcut, or Ctrl+Y."""
    combo = event.keyCombination()
    ctrl_y = combo.key() == Qt.Key.Key_Y and combo.keyboardModifiers() == Qt.KeyboardModifier.ControlModifier
    return ctrl_y or event.matches(QKeySequence.StandardKey.Redo)


def image_png_bytes(mime: QMimeData) -> bytes | None:
    """The clipboard image as PNG bytes: the PNG the source offered, or the image re-encoded."""
    raw = bytes(mime.data("image/png").data()) if mime.hasFormat("image/png") else b""
    if raw.startswith(_PNG_SIGNATURE):
        return raw
    image = mime.imageData()
    if not isinstance(image, QImage) or image.isNull():
        return None
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    ok = image.save(buffer, "PNG")
    buffer.close()
    return bytes(array.data()) if ok else None


def _prefers_image(mime: QMimeData) -> bool:
    """Whether pasted data is a picture rather than text that also comes with a picture of itself.

    Word processors put a rendering of copied text beside it; browsers copying an image add an <img>.
    """
    if not mime.hasImage():
        return False
    if mime.hasHtml():
        html = mime.html()
        return "<img" in html.lower() and not _TAG.sub("", html).strip()
    text = mime.text().strip() if mime.hasText() else ""
    return not text or ("://" in text and not any(c.isspace() for c in text))


def _handled_files(source: QMimeData) -> tuple[list[Path], Path | None]:
    """Local image files, and the first bundle or Markdown file, among the URLs of pasted data."""
    images: list[Path] = []
    bundle: Path | None = None
    for url in source.urls():
        if not url.isLocalFile():
            continue
        path = Path(url.toLocalFile())
        suffix = path.suffix.lower()
        if suffix in IMAGE_SUFFIXES:
            images.append(path)
        elif suffix in BUNDLE_SUFFIXES and bundle is None:
            bundle = path
    return images, bundle


class MarkdownEdit(QPlainTextEdit):
    """A plain-text editor whose undo, paste and drop go through the article, not the widget."""

    images_pasted = Signal(list)  # Path for local image files, bytes (PNG) for image data
    bundle_dropped = Signal(Path)
    zoom_requested = Signal(int)  # +1 / -1 from Ctrl+wheel

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stack: QUndoStack | None = None
        self._reserved: set[QKeyCombination] = set()
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setCenterOnScroll(False)
        self.setTabChangesFocus(False)
        self.setAccessibleName(tr("Article text"))
        self.setAccessibleDescription(tr("The Markdown text of the article"))
        # The side margins of the centred column take the text background, not the window's.
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.Base))
        self.setPalette(palette)
        self.setAutoFillBackground(True)

    def set_undo_stack(self, stack: QUndoStack | None) -> None:
        """The history that Ctrl+Z and Ctrl+Shift+Z act on."""
        self._stack = stack

    def reserve_shortcuts(self, sequences: list[QKeySequence]) -> None:
        """Keys the widget must leave to actions (some platforms bind Ctrl+K to "delete to end of line")."""
        self._reserved = {seq[0] for seq in sequences if not seq.isEmpty()}

    # --- undo goes to the shared stack --------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and (is_undo_key(event) or is_redo_key(event) or event.keyCombination() in self._reserved):
            # Not claimed here, so the window's Undo/Redo actions (on the shared stack) get the key.
            event.ignore()
            return True
        if event.type() == QEvent.Type.ReadOnlyChange and self.isReadOnly():
            # Qt leaves a read-only editor selectable by mouse only; a reviewer selects by keyboard too, to comment.
            self.setTextInteractionFlags(self.textInteractionFlags() | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        undo, redo = is_undo_key(event), is_redo_key(event)
        if undo or redo:
            # Reached when the window's action is disabled too: review mode may refuse, and then says why.
            run_step(self._stack, undo, self)
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.context_menu(event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()

    def context_menu(self, position: QPoint) -> QMenu:
        """The standard menu with Undo/Redo acting on the article's shared history."""
        menu = self.createStandardContextMenu(position)
        for action in list(menu.actions()):
            name = action.objectName()
            if name not in ("edit-undo", "edit-redo"):
                continue
            stack = self._stack
            if stack is not None:
                undo = name == "edit-undo"
                make = stack.createUndoAction if undo else stack.createRedoAction
                shared = make(menu, tr("Undo") if undo else tr("Redo"))
                shared.setObjectName(name + "-shared")
                shared.setShortcut(action.shortcut())
                shared.triggered.disconnect()  # through run_step, which review mode may refuse
                shared.triggered.connect(lambda _checked=False, u=undo, s=stack: run_step(s, u, self))
                shared.setEnabled(shared.isEnabled() and not step_refused(stack, undo))
                menu.insertAction(action, shared)
            menu.removeAction(action)
        return menu

    # --- paste and drop -------------------------------------------------------------------
    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasImage() or source.hasUrls() or source.hasHtml() or source.hasText()

    def insertFromMimeData(self, source: QMimeData) -> None:
        if self.isReadOnly():  # Qt pastes even into a read-only editor
            self._refuse_change()
            return
        if source.hasUrls() and self._take_files(source):
            return
        if _prefers_image(source):
            data = image_png_bytes(source)
            if data is not None:
                self.images_pasted.emit([data])
                return
        if source.hasHtml():
            markdown = self._markdown_from_html(source.html())
            if markdown:
                self.textCursor().insertText(markdown)
                self.ensureCursorVisible()
                return
        if source.hasText():
            self.textCursor().insertText(source.text())
            self.ensureCursorVisible()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.isReadOnly():
            event.ignore()
            self._refuse_change()
            return
        source = event.mimeData()
        if source.hasUrls() and any(_handled_files(source)):
            # The image goes where it was dropped: the caret moves there before it is announced.
            self.setTextCursor(self.cursorForPosition(event.position().toPoint()))
            self._take_files(source)
            event.acceptProposedAction()
            return
        super().dropEvent(event)

    def _refuse_change(self) -> None:
        refuse(self, None if is_text_locked(self.document()) else tr("The text is read-only; nothing was inserted."))

    def _markdown_from_html(self, html: str) -> str:
        try:
            from editor.core.html_import import html_to_markdown

            return html_to_markdown(html)
        except Exception:  # any failure of the converter falls back to the plain text
            return ""

    def _take_files(self, source: QMimeData) -> bool:
        """Handle dropped or pasted local files; False when they are not images or bundles."""
        images, bundle = _handled_files(source)
        if images:
            self.images_pasted.emit(images)
        if bundle is not None:
            self.bundle_dropped.emit(bundle)
        return bool(images) or bundle is not None

    # --- layout ----------------------------------------------------------------------------
    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta:
                self.zoom_requested.emit(1 if delta > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.update_margins()

    def update_margins(self) -> None:
        """Centre a readable text column in wide windows."""
        column = QFontMetricsF(self.font()).averageCharWidth() * COLUMN_CHARS
        column += 2 * self.document().documentMargin()
        frame = self.frameWidth() * 2 + self.verticalScrollBar().sizeHint().width()
        spare = self.width() - frame - column
        side = max(MIN_SIDE_MARGIN, int(spare / 2))
        margins = self.viewportMargins()
        if (margins.left(), margins.top()) != (side, TOP_MARGIN):
            self.setViewportMargins(side, TOP_MARGIN, side, 0)
