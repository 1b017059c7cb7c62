"""Putting an earlier state into the open document: text, metadata and images, undone in one step."""

from __future__ import annotations

import dataclasses

from editor.core.model import Article, ImageAsset, Metadata
from editor.ui.document import ArticleDocument
from editor.ui.version_restore import apply_article
from tests.ui.window_helpers import png_bytes


def images(document: ArticleDocument) -> list[tuple[str, str, str]]:
    return [(a.name, a.caption, a.sha256) for a in document.assets]


def test_text_metadata_and_images_change_together_and_undo_as_one_step(qtbot) -> None:
    red = ImageAsset.from_bytes("red.png", png_bytes("red"), caption="Red")
    blue = ImageAsset.from_bytes("blue.png", png_bytes("blue"), caption="Blue")
    green = ImageAsset.from_bytes("green.png", png_bytes("green"))
    document = ArticleDocument(Article(body="Now.\n", metadata=Metadata(title="Now"), assets=[red, blue]))
    before = images(document)
    target = Article(body="Then.\n", metadata=Metadata(title="Then"),
                     assets=[green, dataclasses.replace(blue, caption="Blue then"),
                             ImageAsset.from_bytes("red.png", png_bytes("black"))])
    assert apply_article(document, target, "Restore Version")
    assert document.text_document.toPlainText() == "Then.\n" and document.metadata.title == "Then"
    assert images(document) == [(a.name, a.caption, a.sha256) for a in target.assets]
    assert document.undo_stack.count() == 1 and document.undo_stack.undoText() == "Restore Version"
    document.undo_stack.undo()
    assert document.text_document.toPlainText() == "Now.\n" and document.metadata.title == "Now"
    assert images(document) == before
    document.undo_stack.redo()
    assert images(document) == [(a.name, a.caption, a.sha256) for a in target.assets]


def test_the_same_state_adds_no_undo_step(qtbot) -> None:
    document = ArticleDocument(Article(body="Same.\n"))
    assert apply_article(document, Article(body="Same.\n"), "Restore Version") is False
    assert document.undo_stack.count() == 0
