"""Renames, removals and replacements that reach the text and the featured image, each one undo step."""

import pytest

from editor.core.model import Article, ImageAsset, Metadata
from editor.ui.document import ArticleDocument
from editor.ui.image_actions import (
    complete_name,
    remove_everywhere,
    rename_everywhere,
    rename_problem,
    replace_file,
    unclashed,
)


def doc(body: str = "", featured: str = "") -> ArticleDocument:
    assets = [ImageAsset.from_bytes("a.png", b"a", caption="Boat", alt="A boat"), ImageAsset.from_bytes("b.png", b"b")]
    return ArticleDocument(Article(body=body, metadata=Metadata(featured_image=featured), assets=assets))


def test_complete_name_adds_the_old_extension():
    assert complete_name(" harbour ", "a.png") == "harbour.png"
    assert complete_name("harbour.png", "a.png") == "harbour.png"


@pytest.mark.parametrize(("name", "ok"), [("harbour.png", True), ("a.png", True), ("B.png", False),
                                           ("b.png", False), ("x.jpg", False), ("", False), ("a b.png", False),
                                           ("../x.png", False), (".png", False), ("con/x.png", False)])
def test_rename_problem(name, ok):
    assert (rename_problem(name, "a.png", {"a.png", "b.png"}) is None) is ok


def test_rename_everywhere_moves_the_featured_image_too_in_one_step():
    document = doc("![](assets/a.png)", featured="a.png")
    rename_everywhere(document, "a.png", "boat.png")
    assert document.metadata.featured_image == "boat.png"
    assert document.text_document.toPlainText() == "![](assets/boat.png)"
    document.undo_stack.undo()
    assert document.metadata.featured_image == "a.png"
    assert document.asset("a.png") is not None


def test_remove_everywhere_clears_the_featured_image_in_one_step():
    document = doc(featured="a.png")
    remove_everywhere(document, "a.png")
    assert document.metadata.featured_image == ""
    document.undo_stack.undo()
    assert document.metadata.featured_image == "a.png"
    assert [a.name for a in document.assets] == ["a.png", "b.png"]


def test_replace_with_the_same_format_keeps_name_and_words():
    document = doc()
    result = replace_file(document, "a.png", ImageAsset.from_bytes("new.png", b"new", width=9))
    assert result == "a.png"
    asset = document.asset("a.png")
    assert (asset.caption, asset.alt, asset.width, asset.data.read_bytes()) == ("Boat", "A boat", 9, b"new")
    assert document.undo_stack.count() == 1


def test_replace_with_another_format_avoids_a_taken_name():
    document = ArticleDocument(Article(body="![](assets/a.png)", assets=[
        ImageAsset.from_bytes("a.png", b"a", credit="X"), ImageAsset.from_bytes("a.jpg", b"j")]))
    result = replace_file(document, "a.png", ImageAsset.from_bytes("new.jpg", b"n"))
    assert result == "a-2.jpg"
    assert document.asset("a-2.jpg").credit == "X"
    assert document.text_document.toPlainText() == "![](assets/a-2.jpg)"


def test_unclashed_renames_only_clashing_assets():
    assets = [ImageAsset.from_bytes("A.png", b"1"), ImageAsset.from_bytes("c.png", b"2")]
    assert [a.name for a in unclashed(assets, {"a.png"})] == ["a-2.png", "c.png"]
