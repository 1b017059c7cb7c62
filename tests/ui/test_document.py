"""The open article's snapshots: the whole article for saving, and the lighter one the preview renders."""

from __future__ import annotations

from editor.core.model import Article, Comment, ImageAsset, Metadata
from editor.ui.document import ArticleDocument


def _document() -> ArticleDocument:
    article = Article(
        body="Intro with a note.\n\n![Dog](assets/dog.jpg)\n",
        metadata=Metadata(title="Dogs", tags=["pets"]),
        assets=[ImageAsset.from_bytes("dog.jpg", b"\xff\xd8jpeg", alt="A dog")],
        comments=[Comment(id="c1", start=11, end=15, text="Which note?", author="Ed")],
    )
    return ArticleDocument(article)


def test_the_preview_snapshot_holds_the_text_metadata_and_images_but_not_the_review(qapp):
    document = _document()
    whole, light = document.article(), document.text_and_words()
    assert (light.body, light.metadata, light.assets) == (whole.body, whole.metadata, whole.assets)
    assert whole.comments and not light.comments


def test_the_preview_snapshot_does_not_change_when_the_article_does(qapp):
    document = _document()
    light = document.text_and_words()
    document.set_metadata("title", "Cats")
    document.text_document.setPlainText("Other text.")
    assert (light.metadata.title, light.body) == ("Dogs", "Intro with a note.\n\n![Dog](assets/dog.jpg)\n")
    assert document.text_and_words().metadata.title == "Cats"
