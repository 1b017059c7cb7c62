"""Comparing two states of an article: words, hunks, metadata, captions and images."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from editor.core.compare import (
    FieldChange,
    ImageChange,
    Segment,
    compare_articles,
    make_hunks,
    text_segments,
    tokens,
)
from editor.core.model import Article, ImageAsset, Metadata, Status
from tests.core.bundle_samples import png, sample_article


def changed(hunks_segments: list[Segment]) -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in hunks_segments if s.kind != "equal"]


def test_one_changed_word_is_one_deletion_and_one_insertion() -> None:
    old = Article(body="The quick brown fox jumps over the lazy dog.\n")
    new = Article(body="The quick red fox jumps over the lazy dog.\n")
    result = compare_articles(old, new)
    assert len(result.hunks) == 1
    assert changed(result.hunks[0].segments) == [("delete", "brown"), ("insert", "red")]
    assert (result.words_deleted, result.words_inserted) == (1, 1)
    assert result.hunks[0].old_text == "The quick brown fox jumps over the lazy dog."
    assert result.hunks[0].new_text == "The quick red fox jumps over the lazy dog."


def test_identical_articles_have_no_differences() -> None:
    result = compare_articles(sample_article(), sample_article())
    assert result.identical and result.hunks == []


def test_far_apart_changes_make_separate_hunks_with_context_and_line_numbers() -> None:
    words = [f"w{i}" for i in range(100)]
    old = "\n".join(words) + "\n"
    new = old.replace("w10\n", "ten\n").replace("w80\n", "eighty\n")
    result = compare_articles(Article(body=old), Article(body=new), context=3)
    assert [changed(h.segments) for h in result.hunks] == [
        [("delete", "w10"), ("insert", "ten")], [("delete", "w80"), ("insert", "eighty")]]
    assert result.hunks[0].old_text == "w7\nw8\nw9\nw10\nw11\nw12\nw13"
    assert (result.hunks[0].old_line, result.hunks[1].new_line) == (8, 78)


def test_added_and_removed_paragraphs_are_whole_insertions_and_deletions() -> None:
    old = "Keep this.\n\nDrop this one.\n\nKeep that.\n"
    new = "Keep this.\n\nKeep that.\n\nA new ending.\n"
    result = compare_articles(Article(body=old), Article(body=new))
    kinds = [c for h in result.hunks for c in changed(h.segments)]
    assert [(kind, text.strip()) for kind, text in kinds] == [("delete", "Drop this one."), ("insert", "A new ending.")]


def test_segments_put_both_texts_back_together() -> None:
    old, new = "Alpha beta, gamma.\nDelta!\n", "Alpha gamma; beta.\nEpsilon\n"
    segments = text_segments(old, new)
    assert "".join(s.text for s in segments if s.kind != "insert") == old
    assert "".join(s.text for s in segments if s.kind != "delete") == new


def test_tokens_are_words_and_punctuation_with_their_trailing_space() -> None:
    assert tokens("  It’s here, isn't it?\n") == ["  ", "It’s ", "here", ", ", "isn't ", "it", "?\n"]


def test_metadata_changes_are_listed_field_by_field() -> None:
    old = Metadata(title="A", tags=["x"], status=Status.DRAFT, custom={"desk": "foreign", "gone": "1"})
    new = Metadata(title="B", tags=["x", "y"], status=Status.APPROVED, custom={"desk": "home"})
    result = compare_articles(Article(metadata=old), Article(metadata=new))
    assert result.metadata == [
        FieldChange("Title", "A", "B"), FieldChange("Tags", "x", "x, y"), FieldChange("Status", "Draft", "Approved"),
        FieldChange("desk", "foreign", "home"), FieldChange("gone", "1", ""),
    ]


def test_caption_credit_and_alt_changes_are_listed_per_image() -> None:
    old = sample_article()
    new = sample_article()
    new.assets[0] = dataclasses.replace(new.assets[0], caption="New caption", alt="New alt")
    new.assets[1] = dataclasses.replace(new.assets[1], credit="photo by Ann")
    result = compare_articles(old, new)
    assert result.images == []
    assert [c.label for c in result.image_fields] == [
        "Caption of “putin-meets-choe.png”", "Alt text of “putin-meets-choe.png”", "Credit of “crowd outside.png”"]
    assert result.image_fields[0].new == "New caption"


def test_images_added_removed_replaced_and_renamed_are_told_apart() -> None:
    a = ImageAsset.from_bytes("a.png", png(colour=(1, 1, 1)))
    b = ImageAsset.from_bytes("b.png", png(colour=(2, 2, 2)))
    c = ImageAsset.from_bytes("c.png", png(colour=(3, 3, 3)))
    d = ImageAsset.from_bytes("d.png", png(colour=(4, 4, 4)))
    old = Article(assets=[a, b, c])
    new_a = ImageAsset.from_bytes("a.png", png(colour=(9, 9, 9)))
    new = Article(assets=[new_a, dataclasses.replace(b, name="b2.png"), d])
    result = compare_articles(old, new)
    assert sorted(result.images, key=lambda c: c.kind) == [
        ImageChange("added", "d.png"), ImageChange("removed", "c.png"), ImageChange("renamed", "b2.png", "b.png"),
        ImageChange("replaced", "a.png")]


_WORDS = st.lists(st.sampled_from(["a", "b", "c", " ", "\n", ",", "dd", "\n\n"]), max_size=30).map("".join)


@given(old=_WORDS, new=_WORDS)
def test_every_difference_lands_in_some_hunk(old: str, new: str) -> None:
    segments = text_segments(old, new)
    assert "".join(s.text for s in segments if s.kind != "insert") == old
    assert "".join(s.text for s in segments if s.kind != "delete") == new
    hunks = make_hunks(segments, context=1)
    in_hunks = [(s.kind, s.text) for h in hunks for s in h.segments if s.kind != "equal"]
    assert in_hunks == [(s.kind, s.text) for s in segments if s.kind != "equal"]
    assert (hunks == []) == (old == new)
