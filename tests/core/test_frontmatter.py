"""Front matter: splitting YAML/TOML/JSON blocks off Markdown, and metadata to and from Hugo and Jekyll keys."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core.errors import EditorError
from editor.core.frontmatter import (
    MAX_FRONT_MATTER,
    hugo_date,
    metadata_from_front_matter,
    metadata_to_hugo,
    metadata_to_jekyll,
    normalize_date,
    split_front_matter,
    yaml_front_matter,
)
from editor.core.model import Metadata, Status
from tests.core.frontmatter_samples import realistic_article


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("---\ntitle: Hello\ntags: [a, b]\n---\n\nBody\n", "yaml"),
        ("\ufeff---\r\ntitle: Hello\r\ntags: [a, b]\r\n...\r\nBody\n", "yaml"),
        ('+++\ntitle = "Hello"\ntags = ["a", "b"]\n+++\n\nBody\n', "toml"),
        ('{\n  "title": "Hello",\n  "tags": ["a", "b"]\n}\n\nBody\n', "json"),
    ],
)
def test_split_reads_each_kind_of_front_matter(text, kind):
    data, body, found = split_front_matter(text)
    assert found == kind
    assert data == {"title": "Hello", "tags": ["a", "b"]}
    assert body == "Body\n"


def test_text_without_front_matter_is_all_body():
    assert split_front_matter("# Title\n\n---\n\ntext\n") == ({}, "# Title\n\n---\n\ntext\n", "")


def test_rules_around_plain_text_are_not_front_matter():
    text = "---\n\nJust a paragraph between rules\n\n---\n\nMore\n"
    assert split_front_matter(text) == ({}, text, "")


def test_empty_yaml_block_gives_no_data():
    assert split_front_matter("---\n---\nBody") == ({}, "Body", "yaml")


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: [unclosed\n---\nBody\n",
        "---\n- just\n- a list\n---\nBody\n",
        "---\ntitle: never closed\n",
        '+++\ntitle = "x\n+++\nBody\n',
        '{"title": "x",\n\nBody\n',
        "---\na: &x [1, 2]\nb: *x\n---\nBody\n",
    ],
)
def test_bad_front_matter_is_one_sentence(text):
    with pytest.raises(EditorError) as caught:
        split_front_matter(text)
    message = str(caught.value)
    assert message.endswith(".") and "\n" not in message and message.count(". ") == 0


def test_yaml_never_builds_python_objects():
    with pytest.raises(EditorError):
        split_front_matter("---\nx: !!python/object/apply:os.system ['echo hi']\n---\n")


def test_oversized_front_matter_is_refused():
    text = "---\n" + "k: " + "x" * (MAX_FRONT_MATTER + 10) + "\n---\nBody\n"
    with pytest.raises(EditorError, match="larger than"):
        split_front_matter(text)


def test_written_front_matter_splits_back_to_the_same_data_and_body():
    data = {"title": "Ünïcode “title”", "tags": ["a", "b c"], "draft": False, "params": {"k": "v: w"}}
    for body in ("Body\n", "\nstarts with a blank line\n", "", "---\nnot front matter\n"):
        assert split_front_matter(yaml_front_matter(data, body)) == (data, body, "yaml")


def test_metadata_maps_to_hugo_keys():
    meta = realistic_article().metadata
    data = metadata_to_hugo(meta)
    assert data["title"] == meta.title
    assert data["date"] == "2024-01-16T09:30:00"  # a form Hugo reads; as written under params
    assert data["params"]["written_dates"] == {"date": "2024-01-16T09:30"}
    assert data["lastmod"] == "2024-01-17"
    assert data["draft"] is True
    assert data["slug"] == meta.effective_slug
    assert data["summary"] == meta.summary
    assert data["description"] == meta.subtitle
    assert data["tags"] == ["russia", "north korea"]
    assert data["categories"] == ["World"]
    assert data["images"] == ["putin-meets-choe.jpg"]
    assert data["params"]["authors"] == ["Ann Öberg", "Li Wei"]
    assert data["params"]["language"] == "de"
    assert data["params"]["status"] == "in-review"
    assert data["params"]["source_url"] == meta.source_url
    assert data["params"]["custom"] == {"desk": "foreign", "wordcount": "812"}
    assert "resources" not in data


def test_published_article_is_not_a_draft_and_resources_carry_the_words():
    article = realistic_article()
    article.metadata.status = Status.PUBLISHED
    data = metadata_to_hugo(article.metadata, article.assets)
    assert data["draft"] is False
    photo = data["resources"][0]
    assert photo == {
        "src": "putin-meets-choe.jpg",
        "title": article.assets[0].caption,
        "params": {"alt": article.assets[0].alt, "credit": article.assets[0].credit,
                   "source_url": "https://example.org/tass/1", "licence": "CC BY 4.0"},
    }


def test_hugo_mapping_comes_back_unchanged():
    meta = realistic_article().metadata
    assert metadata_from_front_matter(metadata_to_hugo(meta)) == meta


@pytest.mark.parametrize("status", list(Status))
def test_every_status_survives_hugo(status):
    meta = Metadata(title="T", status=status)
    assert metadata_from_front_matter(metadata_to_hugo(meta)).status is status


def test_jekyll_mapping_comes_back_unchanged():
    meta = realistic_article().metadata
    meta.featured_image = "putin-meets-choe.jpg"
    data = metadata_to_jekyll(meta)
    assert data["layout"] == "post" and data["published"] is False and data["categories"] == ["World"]
    back = metadata_from_front_matter(data)
    back.custom.pop("layout")
    assert back == meta


def test_jekyll_front_matter_maps_back():
    text = (
        "---\nlayout: post\ntitle: \"Welcome to Jekyll!\"\ndate: 2024-01-16 09:30:00 +0100\n"
        "categories: jekyll update\ntags: release notes\npublished: true\npermalink: /news/welcome/\n"
        "author: Tom\nexcerpt: Short\nimage: /assets/img/cover.jpg\nlast_modified_at: 2024-02-01\n---\nHi\n"
    )
    data, body, _ = split_front_matter(text)
    meta = metadata_from_front_matter(data)
    assert meta.title == "Welcome to Jekyll!"
    assert meta.date == "2024-01-16T09:30:00+01:00"
    assert meta.updated == "2024-02-01"
    assert meta.status is Status.PUBLISHED
    assert meta.section == "jekyll"
    assert meta.tags == ["release", "notes"]
    assert meta.authors == ["Tom"]
    assert meta.summary == "Short"
    assert meta.featured_image == "cover.jpg"
    assert meta.custom["permalink"] == "/news/welcome/"
    assert meta.custom["layout"] == "post"
    assert meta.custom["categories"] == "jekyll, update"
    assert body == "Hi\n"


def test_toml_hugo_front_matter_maps_back():
    text = (
        '+++\ntitle = "T"\ndate = 2024-01-16T09:30:00Z\ndraft = false\ndescription = "Dek"\n'
        'categories = ["Sport", "Local"]\ntags = "a, b c"\n[params]\nauthors = ["X"]\nmood = 3\n+++\nBody'
    )
    meta = metadata_from_front_matter(split_front_matter(text)[0])
    assert (meta.title, meta.status, meta.subtitle) == ("T", Status.PUBLISHED, "Dek")
    assert meta.date == "2024-01-16T09:30:00+00:00"
    assert meta.section == "Sport" and meta.tags == ["a", "b c"] and meta.authors == ["X"]
    assert meta.custom == {"mood": "3", "categories": "Sport, Local"}


def test_missing_and_odd_values_do_not_break_mapping():
    meta = metadata_from_front_matter({"title": None, "tags": [1, {"name": "x"}], "author": {"name": "Al"},
                                       "draft": "no"})
    assert meta.tags == ["1", "x"] and meta.authors == ["Al"] and meta.status is Status.PUBLISHED


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2024-01-16", "2024-01-16"), ("2024-01-16T09:30", "2024-01-16T09:30:00"),
     ("2024-01-16T09:30:00+01:00", "2024-01-16T09:30:00+01:00"), ("soon", "")],
)
def test_hugo_dates_are_in_a_form_hugo_reads(value, expected):
    assert hugo_date(value) == expected


def test_unreadable_date_is_kept_as_written_and_left_out_for_hugo():
    meta = Metadata(title="T", date="next Tuesday")
    data = metadata_to_hugo(meta)
    assert "date" not in data
    assert metadata_from_front_matter(data).date == "next Tuesday"


def test_normalize_date_keeps_text_it_does_not_know():
    assert normalize_date("2024-01-16 09:30:00 -0500") == "2024-01-16T09:30:00-05:00"
    assert normalize_date("16 Jan 2024") == "16 Jan 2024"


_words_strategy = st.lists(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=","), min_size=1, max_size=12)
    .map(str.strip).filter(bool), max_size=3,
)


@settings(max_examples=150, deadline=None)
@given(
    title=st.text(max_size=40), subtitle=st.text(max_size=40), summary=st.text(max_size=40),
    authors=_words_strategy, tags=_words_strategy, section=st.text(max_size=12).map(str.strip),
    status=st.sampled_from(list(Status)), language=st.sampled_from(["en", "de-CH", ""]),
    date=st.sampled_from(["", "2024-01-16", "2024-01-16T09:30", "2024-01-16T09:30:00+01:00", "soon"]),
    custom=st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=12), max_size=3),
)
def test_any_metadata_survives_hugo_front_matter_as_text(title, subtitle, summary, authors, tags, section, status,
                                                          language, date, custom):
    meta = Metadata(title=title, subtitle=subtitle, summary=summary, authors=authors, tags=tags, section=section,
                    status=status, language=language, date=date, updated=date, custom=custom)
    text = yaml_front_matter(metadata_to_hugo(meta), "Body")
    data, body, _ = split_front_matter(text)
    assert body == "Body"
    assert metadata_from_front_matter(data) == meta
