"""The article model: slugs, dates, statuses, asset equality and usage."""

import pytest

from editor.core.errors import EditorError
from editor.core.model import Article, AssetData, ImageAsset, Metadata, Status, make_slug, parse_date


def test_slug_follows_title_until_set_by_hand():
    meta = Metadata(title="Putin Meets Choe Son-hui in Moscow")
    assert meta.effective_slug == "putin-meets-choe-son-hui-in-moscow"
    meta.slug = "putin-choe"
    assert meta.effective_slug == "putin-choe"


@pytest.mark.parametrize(
    ("title", "slug"),
    [("Café déjà vu", "cafe-deja-vu"), ("  ", ""), ("Ünïcödé & Co.", "unicode-co")],
)
def test_slug_is_ascii_lower_case(title, slug):
    assert make_slug(title) == slug


def test_parse_date_accepts_dates_and_datetimes():
    assert str(parse_date("2024-01-16")) == "2024-01-16"
    assert parse_date("2024-01-16T09:30:00Z").utcoffset().total_seconds() == 0
    assert parse_date("") is None


@pytest.mark.parametrize("bad", ["16/01/2024", "2024-13-01", "yesterday"])
def test_parse_date_rejects_other_forms_with_a_sentence(bad):
    with pytest.raises(EditorError, match="is not a date"):
        parse_date(bad)


def test_status_labels_are_readable():
    assert Status.CHANGES_REQUESTED.label == "Changes requested"
    assert Status("in-review") is Status.IN_REVIEW


def test_assets_are_equal_by_content_and_words_not_by_storage(tmp_path):
    stored = tmp_path / "a.jpg"
    stored.write_bytes(b"pixels")
    in_memory = ImageAsset.from_bytes("a.jpg", b"pixels", caption="C")
    on_disk = ImageAsset(name="a.jpg", data=AssetData(stored), sha256=in_memory.sha256, caption="C")
    assert in_memory == on_disk
    assert in_memory != ImageAsset.from_bytes("a.jpg", b"other", caption="C")


def test_missing_asset_file_is_a_readable_error(tmp_path):
    asset = ImageAsset(name="gone.jpg", data=AssetData(tmp_path / "gone.jpg"))
    with pytest.raises(EditorError, match="can no longer be read"):
        asset.data.read_bytes()


def test_used_asset_names_come_from_the_text():
    article = Article(
        body="Intro\n\n![Putin](assets/putin.jpg)\n\n![remote](https://example.org/x.png)\n",
        assets=[ImageAsset.from_bytes("putin.jpg", b"1"), ImageAsset.from_bytes("unused.png", b"2")],
    )
    assert article.used_asset_names() == {"putin.jpg"}
    assert article.is_used("putin.jpg")
    assert not article.is_used("unused.png")
