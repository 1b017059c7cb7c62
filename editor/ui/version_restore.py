"""Putting an earlier state of the article into the open document as one undoable step."""

from __future__ import annotations

import dataclasses
from dataclasses import fields

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QTextCursor

from editor.core.model import Article, Metadata
from editor.ui.document import ArticleDocument
from editor.ui.review_mode import is_text_locked

_IMAGE_WORDS = ("alt", "caption", "credit", "source_url", "licence", "width", "height")


def tr(text: str) -> str:
    """Translate a user-visible string of restoring."""
    return QCoreApplication.translate("VersionRestore", text)


def _same(document: ArticleDocument, article: Article) -> bool:
    current = document.article()
    return (current.body == article.body and current.metadata == article.metadata
            and [(a, a.sha256) for a in current.assets] == [(a, a.sha256) for a in article.assets])


def restore_refusal(document: ArticleDocument, article: Article) -> str | None:
    """Why the article cannot be put back now (review mode, and its text differs), as one sentence; else None."""
    if is_text_locked(document.text_document) and document.text_document.toPlainText() != article.body:
        return tr("The text cannot be changed in review mode; turn review mode off to restore this version.")
    return None


def apply_article(document: ArticleDocument, article: Article, label: str) -> bool:
    """Give the document the article's text, metadata and images as one undo step.

    False when nothing differs, or when review mode refuses (see restore_refusal).
    """
    if _same(document, article) or restore_refusal(document, article) is not None:
        return False
    stack = document.undo_stack
    stack.beginMacro(label)
    try:
        if document.text_document.toPlainText() != article.body:
            cursor = QTextCursor(document.text_document)
            cursor.beginEditBlock()
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.insertText(article.body)
            cursor.endEditBlock()
        for item in fields(Metadata):
            document.set_metadata(item.name, getattr(article.metadata, item.name))
        _apply_images(document, article)
    finally:
        stack.endMacro()
    return True


def _apply_images(document: ArticleDocument, article: Article) -> None:
    wanted = [a.name for a in article.assets]
    for asset in document.assets:
        if asset.name not in wanted:
            document.remove_asset(asset.name)
    for index, target in enumerate(article.assets):
        current = document.asset(target.name)
        if current is None:
            document.add_asset(target, index)
            continue
        if current.sha256 == target.sha256:
            # The same picture: keep the document's bytes, take the version's words.
            target = dataclasses.replace(current, **{key: getattr(target, key) for key in _IMAGE_WORDS})
        if target != current or target.sha256 != current.sha256:
            document.replace_asset(target.name, target, tr("Restore image"))
        if [a.name for a in document.assets].index(target.name) != index:
            document.move_asset(target.name, index)
