"""The words that go with the selected image: alt text, caption, credit, source and licence."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from editor.core.errors import EditorError
from editor.core.images import image_size
from editor.core.model import ImageAsset
from editor.ui import theme
from editor.ui.document import ArticleDocument
from editor.ui.undo_keys import UndoKeyFilter


def tr(text: str) -> str:
    """Translate a user-visible string of the image details."""
    return QCoreApplication.translate("ImageDetails", text)


def format_bytes(count: int) -> str:
    """A file size for people: 812 bytes, 245 KB, 3.4 MB."""
    if count < 1024:
        return tr("{n} bytes").format(n=count)
    if count < 1024 * 1024:
        return tr("{n} KB").format(n=round(count / 1024))
    return tr("{n:.1f} MB").format(n=count / (1024 * 1024))


def describe_file(asset: ImageAsset) -> str:
    """Pixel size and file size of an image, as one line."""
    try:
        path = asset.data.path
        data = None if path is not None and asset.width else asset.data.read_bytes()
        size = path.stat().st_size if data is None and path is not None else len(data or b"")
        width, height = (asset.width, asset.height) if asset.width else image_size(data or b"")
    except (EditorError, OSError):
        return tr("The image file cannot be read.")
    return tr("{w} × {h} pixels, {size}").format(w=width, h=height, size=format_bytes(size))


class ImageDetails(QWidget):
    """Edits the text fields of one image; every edit is an undoable step of the document."""

    def __init__(self, document: ArticleDocument, undo_filter: UndoKeyFilter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._name: str | None = None
        self._info_key: tuple[str, str] | None = None
        self._updating = False

        self.name_label = QLabel(self)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.info_label = QLabel(self)
        self.alt_edit = QLineEdit(self)
        self.alt_hint = QLabel(tr("Needed for screen readers: describe what the picture shows."), self)
        self.alt_hint.setObjectName("altHint")
        self.alt_hint.setStyleSheet(f"color: {theme.hint_colour(self.palette()).name()};")
        self.alt_hint.setWordWrap(True)
        self.caption_edit = QPlainTextEdit(self)
        self.caption_edit.setTabChangesFocus(True)
        self.caption_edit.setMaximumHeight(80)
        self.credit_edit = QLineEdit(self)
        self.credit_edit.setPlaceholderText(tr("e.g. photo by Jane Doe"))
        self.source_edit = QLineEdit(self)
        self.source_edit.setPlaceholderText("https://")
        self.licence_edit = QLineEdit(self)
        self.licence_edit.setPlaceholderText(tr("e.g. CC BY 4.0"))

        self._edits = {
            "alt": self.alt_edit, "caption": self.caption_edit, "credit": self.credit_edit,
            "source_url": self.source_edit, "licence": self.licence_edit,
        }
        names = {
            "alt": tr("Alt text"), "caption": tr("Caption"), "credit": tr("Credit"),
            "source_url": tr("Source URL"), "licence": tr("Licence"),
        }
        labels = {
            "alt": tr("&Alt text:"), "caption": tr("Ca&ption:"), "credit": tr("C&redit:"),
            "source_url": tr("Sour&ce:"), "licence": tr("Lic&ence:"),
        }
        layout = QFormLayout(self)
        layout.addRow(self.name_label)
        layout.addRow(self.info_label)
        for field_name, edit in self._edits.items():
            edit.setAccessibleName(names[field_name])
            label = QLabel(labels[field_name], self)
            label.setBuddy(edit)
            layout.addRow(label, edit)
            if field_name == "alt":
                layout.addRow(self.alt_hint)
            undo_filter.watch(edit)
            if isinstance(edit, QLineEdit):
                edit.textEdited.connect(lambda text, f=field_name: self._on_edited(f, text))
            else:
                edit.textChanged.connect(lambda f=field_name, e=edit: self._on_edited(f, e.toPlainText()))
        self.show_asset(None)

    @property
    def asset_name(self) -> str | None:
        """The name of the image being shown, if any."""
        return self._name

    def edits(self) -> list[QWidget]:
        """The editable fields, in tab order."""
        return list(self._edits.values())

    def set_document(self, document: ArticleDocument) -> None:
        """Edit images of another document."""
        self._document = document
        self.show_asset(None)

    def show_asset(self, asset: ImageAsset | None) -> None:
        """Show an image's fields (or nothing) without changing the document."""
        self._updating = True
        try:
            self._name = asset.name if asset else None
            for edit in self._edits.values():
                edit.setEnabled(asset is not None)
            if asset is None:
                self.name_label.setText(tr("No image selected."))
                self.info_label.clear()
                self._info_key = None
                for edit in self._edits.values():
                    self._set_text(edit, "")
                self.alt_hint.setVisible(False)
                return
            self.name_label.setText(asset.name)
            if self._info_key != (asset.name, asset.sha256):
                self._info_key = (asset.name, asset.sha256)
                self.info_label.setText(describe_file(asset))
            for field_name, edit in self._edits.items():
                self._set_text(edit, getattr(asset, field_name))
            self.alt_hint.setVisible(not asset.alt.strip())
        finally:
            self._updating = False

    @staticmethod
    def _set_text(edit: QLineEdit | QPlainTextEdit, text: str) -> None:
        if isinstance(edit, QLineEdit):
            if edit.text() != text:
                edit.setText(text)
                if not edit.hasFocus():
                    edit.setCursorPosition(0)  # long credits show their beginning
        elif edit.toPlainText() != text:
            edit.setPlainText(text)

    def _on_edited(self, field_name: str, value: str) -> None:
        if self._updating or self._name is None:
            return
        if field_name == "alt":
            self.alt_hint.setVisible(not value.strip())
        self._document.set_asset_field(self._name, field_name, value)
