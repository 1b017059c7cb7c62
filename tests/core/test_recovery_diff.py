"""The sentences the recovery dialog shows about how a recovered copy differs from the saved bundle."""

from __future__ import annotations

from editor.core.model import Article, Comment, ImageAsset, Status, StatusChange
from editor.core.recovery import describe_changes
from tests.core.bundle_samples import clone, png, sample_article


def test_never_saved() -> None:
    article = Article(body="one two three", assets=[ImageAsset.from_bytes("a.png", png())])
    assert describe_changes(article, None) == ["Never saved.", "It holds 3 words and 1 image."]


def test_no_difference() -> None:
    assert describe_changes(sample_article(), sample_article()) == ["No differences from the saved version."]


def test_words_added_and_removed_are_counted() -> None:
    saved = Article(body="alpha beta gamma delta")
    recovered = Article(body="alpha BETA gamma delta epsilon zeta")
    assert describe_changes(recovered, saved) == ["3 words added and 1 removed in the text."]
    assert describe_changes(Article(body="alpha"), saved) == ["3 words removed from the text."]
    assert describe_changes(Article(body="alpha beta gamma delta x"), saved) == ["1 word added to the text."]
    assert describe_changes(Article(body="alpha  beta\ngamma delta"), saved) == [
        "Only spacing or line breaks changed in the text."
    ]


def test_a_long_text_counts_in_thousands() -> None:
    saved = Article(body=" ".join(f"w{n}" for n in range(3000)))
    recovered = Article(body=saved.body + " " + " ".join(f"new{n}" for n in range(1200)))
    assert describe_changes(recovered, saved) == ["1,200 words added to the text."]


def test_metadata_changes() -> None:
    saved = sample_article()
    recovered = clone(saved)
    recovered.metadata.title = "B"
    recovered.metadata.status = Status.APPROVED
    recovered.metadata.tags = ["x"]
    recovered.metadata.summary = "New"
    assert describe_changes(recovered, saved) == [
        "The title changed from “Talks in Moscow” to “B”.",
        "The status changed from In review to Approved.",
        "The tags and summary changed.",
    ]


def test_image_changes() -> None:
    saved = sample_article()
    recovered = clone(saved)
    recovered.assets[0].caption = "New caption"
    recovered.assets[0].credit = "AP"
    recovered.assets.pop(1)
    recovered.assets.append(ImageAsset.from_bytes("a.jpg", png(1, 2)))
    recovered.assets.append(ImageAsset.from_bytes("b.png", png(2, 1)))
    assert describe_changes(recovered, saved) == [
        "2 images added: a.jpg, b.png.",
        "1 image removed: crowd outside.png.",
        "The caption of “putin-meets-choe.png” changed.",
        "The credit of “putin-meets-choe.png” changed.",
    ]


def test_replaced_and_reordered_pictures() -> None:
    saved = sample_article()
    recovered = clone(saved)
    recovered.assets.reverse()
    recovered.assets[0].sha256 = "0" * 64
    assert describe_changes(recovered, saved) == [
        "The picture “crowd outside.png” was replaced.",
        "The images are in a different order.",
    ]


def test_review_and_other_data() -> None:
    saved = sample_article()
    saved.comments = [Comment(id="1", text="a"), Comment(id="2", text="b")]
    saved.status_history = [StatusChange(Status.DRAFT)]
    recovered = clone(saved)
    recovered.comments[0].text = "a, answered"
    recovered.comments.pop(1)
    recovered.comments += [Comment(id="3"), Comment(id="4")]
    recovered.status_history += [StatusChange(Status.IN_REVIEW), StatusChange(Status.APPROVED)]
    recovered.foreign_info["com.example.other"] = {}
    assert describe_changes(recovered, saved) == [
        "2 comments added.",
        "1 comment removed.",
        "1 comment changed or answered.",
        "The status history has 2 new steps.",
        "Data kept for other apps changed.",
    ]
    recovered.status_history = []
    assert "The status history changed." in describe_changes(recovered, saved)


def test_many_added_images_are_listed_briefly() -> None:
    recovered = Article(assets=[ImageAsset.from_bytes(f"{n}.png", png()) for n in range(8)])
    assert describe_changes(recovered, Article()) == ["8 images added: 0.png, 1.png, 2.png, 3.png, 4.png and 3 more."]


def test_edits_in_several_places_of_a_long_article_are_counted_exactly() -> None:
    paragraphs = [" ".join(f"p{p}s{s}w{w}" + ("." if w == 9 else "") for s in range(10) for w in range(10))
                  for p in range(300)]
    saved = Article(body="\n\n".join(paragraphs))
    changed = list(paragraphs)
    changed[3] = changed[3].replace("p3s4w2 ", "")  # one word removed
    changed[150] = changed[150].replace("p150s0w0", "new words here")  # one replaced by three
    changed.insert(200, "A whole new paragraph of seven words.")
    recovered = Article(body="\n\n".join(changed))
    assert describe_changes(recovered, saved) == ["10 words added and 2 removed in the text."]


def test_a_long_text_rewritten_as_a_whole_counts_every_word() -> None:
    saved = Article(body=" ".join(f"old{n}" for n in range(9000)))
    recovered = Article(body=" ".join(f"new{n}" for n in range(9000)))
    assert describe_changes(recovered, saved) == ["9,000 words added and 9,000 removed in the text."]
