"""The open article in the window: text in a QTextDocument, everything else behind one QUndoStack."""

from __future__ import annotations

import copy
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QTextDocument, QUndoCommand, QUndoStack

from editor.core.model import Article, Comment, ImageAsset, Metadata
from editor.ui.comment_store import Anchors, CommentStore
from editor.ui.text_layout import ParagraphLayout


def tr(text: str) -> str:
    """Translate a user-visible string of this module."""
    return QCoreApplication.translate("ArticleDocument", text)


_METADATA_FIELDS = {f.name for f in fields(Metadata)}
_ASSET_FIELDS = {"alt", "caption", "credit", "source_url", "licence"}


class _TextStep(QUndoCommand):
    """One step of the text document's own undo history, placed in the shared stack."""

    def __init__(self, document: QTextDocument, review: CommentStore | None = None) -> None:
        super().__init__(tr("Typing"))
        self._document = document
        self._done = True  # the edit already happened when the command is pushed
        # Comment places before and after the edit: Qt's cursors cannot find a deleted stretch again on undo.
        self._review = review
        self._before: Anchors | None = review.checkpoint if review is not None else None
        self._after: Anchors | None = None

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._document.redo()
        if self._review is not None and self._after is not None:
            self._review.set_anchors(self._after)

    def undo(self) -> None:
        if self._review is not None:
            self._after = self._review.anchors()
        self._document.undo()
        if self._review is not None and self._before is not None:
            self._review.set_anchors(self._before)


class _MetadataEdit(QUndoCommand):
    """A change of one metadata field; consecutive edits of the same field merge into one step."""

    ID = 1001

    def __init__(self, owner: ArticleDocument, name: str, old: Any, new: Any) -> None:
        super().__init__(tr("Edit {field}").format(field=name.replace("_", " ")))
        self._owner, self._name, self._old, self._new = owner, name, old, new

    def id(self) -> int:
        return self.ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _MetadataEdit) or other._name != self._name or isinstance(self._new, list):
            return False
        self._new = other._new
        return True

    def redo(self) -> None:
        self._owner._apply_metadata(self._name, self._new)

    def undo(self) -> None:
        self._owner._apply_metadata(self._name, self._old)


class _AssetEdit(QUndoCommand):
    """A change of one text field of an image (alt, caption, credit…); typing merges."""

    ID = 1002

    def __init__(self, owner: ArticleDocument, name: str, field_name: str, old: str, new: str) -> None:
        super().__init__(tr("Edit image {field}").format(field=field_name.replace("_", " ")))
        self._owner, self._name, self._field, self._old, self._new = owner, name, field_name, old, new

    def id(self) -> int:
        return self.ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _AssetEdit) or (other._name, other._field) != (self._name, self._field):
            return False
        self._new = other._new
        return True

    def redo(self) -> None:
        self._owner._apply_asset_field(self._name, self._field, self._new)

    def undo(self) -> None:
        self._owner._apply_asset_field(self._name, self._field, self._old)


class _AssetListEdit(QUndoCommand):
    """Any change to the list of images (add, remove, reorder, rename, replace): old and new lists."""

    def __init__(self, owner: ArticleDocument, text: str, old: list[ImageAsset], new: list[ImageAsset]) -> None:
        super().__init__(text)
        self._owner, self._old, self._new = owner, old, new

    def redo(self) -> None:
        self._owner._apply_assets(self._new)

    def undo(self) -> None:
        self._owner._apply_assets(self._old)


class ArticleDocument(QObject):
    """One open article: its text, metadata, images, file location, and a single undo history."""

    metadata_changed = Signal(str)  # field name
    assets_changed = Signal()
    content_changed = Signal()  # text, metadata or images changed: the preview should follow
    modified_changed = Signal(bool)
    location_changed = Signal()

    def __init__(self, article: Article | None = None, path: Path | None = None,
                 fingerprint: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        article = article or Article()
        self.path = path
        self.fingerprint = fingerprint
        self._metadata = copy.deepcopy(article.metadata)
        self._assets = list(article.assets)
        self._foreign_info = copy.deepcopy(article.foreign_info)
        # Review data travels with the article; the review features keep it current.
        self.status_history = copy.deepcopy(article.status_history)
        self.private_files = dict(article.private_files)
        self.undo_stack = QUndoStack(self)
        self.text_document = QTextDocument(self)
        # QPlainTextEdit only accepts a document with the plain-text layout.
        self.text_document.setDocumentLayout(ParagraphLayout(self.text_document))
        self.text_document.setPlainText(article.body)
        self.text_document.clearUndoRedoStacks()
        self.text_document.setModified(False)
        self.review = CommentStore(self, article.comments)  # after the text is in: comments find their place
        self.text_document.undoCommandAdded.connect(self._on_text_undo_step)
        self.text_document.contentsChanged.connect(self.content_changed)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)

    # --- reading -------------------------------------------------------------------------
    @property
    def metadata(self) -> Metadata:
        """The current metadata (treat as read-only; change it with set_metadata)."""
        return self._metadata

    @property
    def assets(self) -> list[ImageAsset]:
        """The current images in order (treat as read-only)."""
        return list(self._assets)

    def asset(self, name: str) -> ImageAsset | None:
        """The image with this file name, or None."""
        return next((a for a in self._assets if a.name == name), None)

    def article(self) -> Article:
        """A snapshot of the whole article as it is now, for saving, rendering and checks."""
        return Article(
            body=self.text_document.toPlainText(),
            metadata=copy.deepcopy(self._metadata),
            assets=list(self._assets),
            foreign_info=copy.deepcopy(self._foreign_info),
            comments=self.review.comments(),
            status_history=copy.deepcopy(self.status_history),
            private_files=dict(self.private_files),
        )

    def text_and_words(self) -> Article:
        """The text, metadata and images as they are now, without the review's comments and history.

        What the preview renders on every key press; cheaper than article(), which also places every comment.
        """
        return Article(body=self.text_document.toPlainText(), metadata=copy.deepcopy(self._metadata),
                       assets=list(self._assets))

    @property
    def comments(self) -> list[Comment]:
        """Copies of the comments as they are now (change them through self.review)."""
        return self.review.comments()

    @property
    def is_modified(self) -> bool:
        """Whether there are changes since the last save or open."""
        return not self.undo_stack.isClean()

    @property
    def display_name(self) -> str:
        """The name shown in the title bar."""
        if self.path is not None:
            return self.path.name
        return self._metadata.title or tr("Untitled")

    # --- changing (each call is one undoable step) ---------------------------------------
    def set_metadata(self, name: str, value: Any) -> None:
        """Change one metadata field."""
        if name not in _METADATA_FIELDS:
            raise KeyError(name)
        old = getattr(self._metadata, name)
        if old == value:
            return
        if name == "status":  # a step of its own, recorded in the status history
            self.undo_stack.push(self.review.status_step(old, value))
            return
        self.undo_stack.push(_MetadataEdit(self, name, copy.deepcopy(old), copy.deepcopy(value)))

    def set_asset_field(self, name: str, field_name: str, value: str) -> None:
        """Change alt text, caption, credit, source URL or licence of an image."""
        if field_name not in _ASSET_FIELDS:
            raise KeyError(field_name)
        asset = self.asset(name)
        if asset is None or getattr(asset, field_name) == value:
            return
        self.undo_stack.push(_AssetEdit(self, name, field_name, getattr(asset, field_name), value))

    def add_asset(self, asset: ImageAsset, index: int | None = None) -> None:
        """Add an image (already imported by the core pipeline)."""
        new = list(self._assets)
        new.insert(len(new) if index is None else index, asset)
        self.undo_stack.push(_AssetListEdit(self, tr("Add image"), list(self._assets), new))

    def remove_asset(self, name: str) -> None:
        """Remove an image; its references in the text stay (and are then reported as missing)."""
        new = [a for a in self._assets if a.name != name]
        self.undo_stack.push(_AssetListEdit(self, tr("Remove image"), list(self._assets), new))

    def move_asset(self, name: str, index: int) -> None:
        """Move an image to another place in the list."""
        new = [a for a in self._assets if a.name != name]
        moving = self.asset(name)
        if moving is None:
            return
        new.insert(max(0, min(index, len(new))), moving)
        if new != self._assets or [a.name for a in new] != [a.name for a in self._assets]:
            self.undo_stack.push(_AssetListEdit(self, tr("Move image"), list(self._assets), new))

    def replace_asset(self, name: str, new_asset: ImageAsset, text: str | None = None) -> None:
        """Put another asset (renamed, or with a new file) in the place of an existing one."""
        new = [new_asset if a.name == name else a for a in self._assets]
        self.undo_stack.push(_AssetListEdit(self, text or tr("Replace image"), list(self._assets), new))

    def rename_asset(self, name: str, new_name: str) -> None:
        """Rename an image and every reference to it in the text, as one undo step."""
        from editor.core.references import image_markdown, image_references

        asset = self.asset(name)
        if asset is None or new_name == name:
            return
        self.undo_stack.beginMacro(tr("Rename image"))
        self.replace_asset(name, replace(asset, name=new_name))
        body = self.text_document.toPlainText()
        refs = [r for r in image_references(body) if r.name == name]
        if refs:
            from PySide6.QtGui import QTextCursor

            cursor = QTextCursor(self.text_document)
            cursor.beginEditBlock()
            for ref in reversed(refs):
                cursor.setPosition(ref.start)
                cursor.setPosition(ref.end, QTextCursor.MoveMode.KeepAnchor)
                cursor.insertText(image_markdown(new_name, ref.alt.replace("\\[", "[").replace("\\]", "]")))
            cursor.endEditBlock()
        self.undo_stack.endMacro()

    def mark_saved(self, path: Path, fingerprint: str | None) -> None:
        """Record a successful save at `path`."""
        moved = path != self.path
        self.path, self.fingerprint = path, fingerprint
        self._break_text_merge()
        self.undo_stack.setClean()
        if moved:
            self.location_changed.emit()

    # --- applied by undo commands ----------------------------------------------------------
    def _on_clean_changed(self, clean: bool) -> None:
        self.modified_changed.emit(not clean)

    def _break_text_merge(self) -> None:
        # QTextDocument merges new typing into its previous undo step only while it is "modified";
        # clearing the flag makes typing after an image or metadata edit a step of its own.
        self.text_document.setModified(False)

    def _on_text_undo_step(self) -> None:
        self.undo_stack.push(_TextStep(self.text_document, self.review))

    def _apply_metadata(self, name: str, value: Any) -> None:
        self._break_text_merge()
        setattr(self._metadata, name, copy.deepcopy(value))
        self.metadata_changed.emit(name)
        self.content_changed.emit()

    def _apply_asset_field(self, name: str, field_name: str, value: str) -> None:
        self._break_text_merge()
        self._assets = [replace(a, **{field_name: value}) if a.name == name else a for a in self._assets]
        self.assets_changed.emit()
        self.content_changed.emit()

    def _apply_assets(self, assets: list[ImageAsset]) -> None:
        self._break_text_merge()
        self._assets = list(assets)
        self.assets_changed.emit()
        self.content_changed.emit()
