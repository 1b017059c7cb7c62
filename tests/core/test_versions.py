"""Versions kept inside the bundle: saved, listed, loaded, restored, kept cheaply, and surviving save/open."""

from __future__ import annotations

import dataclasses
import json
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.core.bundle import open_bundle, save_bundle
from editor.core.model import Article, AssetData, Comment, ImageAsset, Reply, Status, StatusChange
from editor.core.versions import (
    OBJECTS_DIR,
    VERSIONS_DIR,
    VersionError,
    delete_version,
    keep_objects,
    list_versions,
    load_version,
    needed_images,
    new_version_id,
    object_path,
    rebind_private_files,
    restore_version,
    save_version,
    version_path,
    version_text,
)
from tests.core.bundle_samples import png, sample_article

WHEN = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)


def reviewed_article() -> Article:
    """The sample story with a comment thread and a status history."""
    article = sample_article()
    article.comments = [Comment(id="c1", author="Bo", created="2026-11-26T10:00:00+00:00", text="Source?",
                                start=3, end=8, quote="Talks", replies=[Reply("Ann", "2026-11-26T11:00", "Added.")])]
    article.status_history = [StatusChange(Status.IN_REVIEW, "Ann", "2026-11-26T09:00:00+00:00")]
    return article


def object_files(article: Article) -> set[str]:
    return {rel for rel in article.private_files if rel.startswith(OBJECTS_DIR)}


def test_a_saved_version_is_one_small_json_file_and_copies_no_image() -> None:
    article = reviewed_article()
    info = save_version(article, "  Sent  to desk ", "Bo Editor", WHEN)
    assert info.name == "Sent to desk" and info.author == "Bo Editor"
    assert info.created == "2026-11-26T23:30:00+00:00"
    assert list(article.private_files) == [version_path(info.id)]
    data = json.loads(article.private_files[version_path(info.id)].read_bytes())
    assert data["body"] == article.body
    assert [a["sha256"] for a in data["assets"]] == [a.sha256 for a in article.assets]
    assert data["assets"][0]["credit"] == "photo by TASS Russian News Agency"
    assert data["comments"][0]["replies"][0]["text"] == "Added."
    assert data["statusHistory"] == [{"status": "in-review", "author": "Ann", "when": "2026-11-26T09:00:00+00:00"}]


def test_version_ids_sort_by_time_even_across_time_zones() -> None:
    early = new_version_id(datetime(2026, 1, 2, 10, 0, tzinfo=timezone(timedelta(hours=5))))  # 05:00 UTC
    late = new_version_id(datetime(2026, 1, 2, 6, 0, tzinfo=UTC))
    assert early < late
    assert new_version_id(WHEN) != new_version_id(WHEN)


def test_versions_are_listed_oldest_first_with_name_author_and_words() -> None:
    article = Article(body="one two three")
    save_version(article, "second", "B", WHEN + timedelta(minutes=5))
    save_version(article, "first", "A", WHEN)
    listed = list_versions(article)
    assert [(v.name, v.author, v.words) for v in listed] == [("first", "A", 3), ("second", "B", 3)]


def test_an_empty_name_gets_one_from_the_time() -> None:
    assert save_version(Article(), "   ", "", WHEN).name == "Version of 2026-11-26 23:30 UTC"


def test_a_damaged_version_file_is_left_out_of_the_list_and_refused_in_one_sentence() -> None:
    article = Article(body="x")
    good = save_version(article, "good", "", WHEN)
    article.private_files[version_path("20260101T000000000000Z-bad")] = AssetData(b"{not json")
    assert [v.id for v in list_versions(article)] == [good.id]
    with pytest.raises(VersionError, match=r"damaged"):
        load_version(article, "20260101T000000000000Z-bad")
    with pytest.raises(VersionError, match=r"not in this article"):
        load_version(article, "nope")


def test_load_version_gives_back_text_metadata_images_and_review_data() -> None:
    article = reviewed_article()
    info = save_version(article, "v1", "", WHEN)
    expected = reviewed_article()
    article.body = "Rewritten."
    article.metadata.title = "Other"
    article.assets[0].caption = "changed"
    article.comments = []
    old = load_version(article, info.id)
    assert old.body == expected.body
    assert old.metadata == expected.metadata
    assert old.assets == expected.assets
    assert old.assets[0].data.read_bytes() == expected.assets[0].data.read_bytes()
    assert old.comments == expected.comments and old.status_history == expected.status_history
    assert version_text(article, info.id) == expected.body


def test_restore_keeps_the_review_data_and_status_of_now() -> None:
    article = reviewed_article()
    info = save_version(article, "v1", "", WHEN)
    article.body = "New text."
    article.metadata.status = Status.APPROVED
    article.comments.append(Comment(id="c2", text="Later remark"))
    restored = restore_version(article, info.id)
    assert restored.article.body == reviewed_article().body
    assert restored.article.metadata.status == Status.APPROVED
    assert [c.id for c in restored.article.comments] == ["c1", "c2"]
    assert restored.missing_images == []


def test_a_removed_image_is_kept_by_content_and_the_version_stays_restorable() -> None:
    article = sample_article()
    info = save_version(article, "v1", "", WHEN)
    gone = article.assets.pop(0)
    lost = keep_objects(article.private_files, article.assets, {gone.sha256: gone.data})
    assert lost == []
    assert object_files(article) == {object_path(gone.sha256)}
    restored = restore_version(article, info.id)
    assert restored.missing_images == []
    assert restored.article.assets[0].data.read_bytes() == gone.data.read_bytes()


def test_an_image_back_in_the_article_is_no_longer_kept_twice() -> None:
    article = sample_article()
    save_version(article, "v1", "", WHEN)
    gone = article.assets.pop(0)
    keep_objects(article.private_files, article.assets, {gone.sha256: gone.data})
    article.assets.insert(0, gone)
    keep_objects(article.private_files, article.assets, {})
    assert object_files(article) == set()


def test_an_image_whose_bytes_are_lost_is_named_on_restore() -> None:
    article = sample_article()
    info = save_version(article, "v1", "", WHEN)
    name = article.assets.pop(0).name
    assert keep_objects(article.private_files, article.assets, {}) != []
    restored = restore_version(article, info.id)
    assert restored.missing_images == [name]
    assert name not in [a.name for a in restored.article.assets]
    with pytest.raises(VersionError, match=r"no longer kept"):
        load_version(article, info.id).assets[0].data.read_bytes()


def test_deleting_the_only_version_that_needed_an_image_drops_the_kept_copy() -> None:
    article = sample_article()
    info = save_version(article, "v1", "", WHEN)
    gone = article.assets.pop(0)
    keep_objects(article.private_files, article.assets, {gone.sha256: gone.data})
    delete_version(article, info.id)
    assert article.private_files == {}


def test_needed_images_reads_each_version_once_with_a_cache() -> None:
    article = sample_article()
    info = save_version(article, "v1", "", WHEN)
    cache: dict[str, frozenset[str]] = {}
    first = needed_images(article.private_files, cache)
    article.private_files[version_path(info.id)] = AssetData(b"garbage that would not parse")
    assert needed_images(article.private_files, cache) == first == {a.sha256 for a in article.assets}


@pytest.mark.parametrize("name", ["story.textbundle", "story.textpack"])
def test_versions_and_kept_images_survive_save_open_and_a_second_save(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    article = reviewed_article()
    first = save_version(article, "as sent", "Ann", WHEN)
    save_bundle(article, path)
    opened = open_bundle(path).article
    gone = opened.assets.pop(0)  # the editor takes a photo out
    keep_objects(opened.private_files, opened.assets, {gone.sha256: gone.data})
    opened.body += "\nA new paragraph.\n"
    second = save_version(opened, "edited", "Bo", WHEN + timedelta(hours=1))
    fingerprint = save_bundle(opened, path, expected_fingerprint=open_bundle(path).fingerprint)
    save_bundle(opened, path, expected_fingerprint=fingerprint)
    again = open_bundle(path).article
    assert [v.name for v in list_versions(again)] == ["as sent", "edited"]
    assert [v.id for v in list_versions(again)] == [first.id, second.id]
    restored = restore_version(again, first.id)
    assert restored.missing_images == []
    assert restored.article.body == reviewed_article().body
    assert restored.article.assets[0].data.read_bytes() == reviewed_article().assets[0].data.read_bytes()
    assert load_version(again, first.id).comments == reviewed_article().comments


def test_rebinding_points_private_files_at_the_saved_zip(tmp_path: Path) -> None:
    article = Article(body="x")
    info = save_version(article, "v", "", WHEN)
    path = tmp_path / "a.textpack"
    save_bundle(article, path)
    mine = {version_path(info.id): AssetData(b"old bytes kept in memory"), f"{VERSIONS_DIR}extra.json": AssetData(b"")}
    rebind_private_files(mine, path)
    assert json.loads(mine[version_path(info.id)].read_bytes())["body"] == "x"
    assert mine[f"{VERSIONS_DIR}extra.json"].read_bytes() == b""
    with zipfile.ZipFile(path) as archive:
        assert any(n.endswith(version_path(info.id)) for n in archive.namelist())


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_TEXT, title=_TEXT, caption=_TEXT, name=_TEXT)
def test_a_version_reads_back_exactly_whatever_its_words(tmp_path: Path, body: str, title: str, caption: str,
                                                         name: str) -> None:
    article = Article(body=body, assets=[ImageAsset.from_bytes("a.png", png(), caption=caption)])
    article.metadata.title = title
    info = save_version(article, name, "", WHEN)
    old = load_version(article, info.id)
    assert (old.body, old.metadata.title, old.assets[0].caption) == (body, title, caption)
    assert dataclasses.replace(old.assets[0]) == article.assets[0]
    assert list_versions(article)[0].name == (" ".join(name.split()) or "Version of 2026-11-26 23:30 UTC")


_POOL = [("red.png", (255, 0, 0)), ("green.png", (0, 255, 0)), ("blue.png", (0, 0, 255))]
_STEPS = st.lists(st.tuples(st.sampled_from(["version", "add", "remove", "recolour", "save", "type"]),
                            st.integers(0, len(_POOL) - 1)), min_size=1, max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=_STEPS, zipped=st.booleans())
def test_every_version_stays_restorable_through_any_edits_and_saves(tmp_path_factory, steps, zipped) -> None:
    """The law: whatever happens to the images, each version restores with all its pictures, after save/open too."""
    path = tmp_path_factory.mktemp("law") / ("a.textpack" if zipped else "a.textbundle")
    article = Article(body="start", assets=[ImageAsset.from_bytes(_POOL[0][0], png(colour=_POOL[0][1]))])
    seen: dict[str, AssetData] = {}
    expected: dict[str, tuple[str, dict[str, bytes]]] = {}
    fingerprint = None
    clock = WHEN
    for number, (step, which) in enumerate(steps):
        name, colour = _POOL[which]
        if step == "version":
            clock += timedelta(seconds=1)
            info = save_version(article, f"v{number}", "", clock)
            expected[info.id] = (article.body, {a.name: a.data.read_bytes() for a in article.assets})
        elif step == "add" and article.asset(name) is None:
            article.assets.append(ImageAsset.from_bytes(name, png(colour=colour)))
        elif step == "remove":
            article.assets = [a for a in article.assets if a.name != name]
        elif step == "recolour" and article.asset(name) is not None:
            fresh = ImageAsset.from_bytes(name, png(colour=(number * 20 % 256, 7, 7)))
            article.assets = [fresh if a.name == name else a for a in article.assets]
        elif step == "save":
            fingerprint = save_bundle(article, path, expected_fingerprint=fingerprint)
            article = open_bundle(path).article
        else:
            article.body += f" word{number}"
        seen.update({a.sha256: a.data for a in article.assets})
        assert keep_objects(article.private_files, article.assets, seen) == []
    save_bundle(article, path, expected_fingerprint=fingerprint)
    for candidate in (article, open_bundle(path).article):
        assert [v.id for v in list_versions(candidate)] == sorted(expected)
        for version_id, (body, images) in expected.items():
            restored = restore_version(candidate, version_id)
            assert restored.missing_images == []
            assert restored.article.body == body
            assert {a.name: a.data.read_bytes() for a in restored.article.assets} == images


def test_a_version_file_nested_too_deeply_is_reported_as_damaged() -> None:
    """A hostile bundle's version file that would exhaust the parser's recursion gives one sentence."""
    version_id = new_version_id(datetime(2024, 1, 1, tzinfo=UTC))
    article = Article(body="x", private_files={version_path(version_id): AssetData(b"[" * 200_000)})
    with pytest.raises(VersionError, match="damaged"):
        load_version(article, version_id)
