"""info.json: tolerant parsing and what we write."""

from __future__ import annotations

import json

import pytest

from editor import APP_ID
from editor.core.info_json import build_info, loads_tolerant, parse_info, strip_trailing_commas
from editor.core.model import Metadata


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('{"a": [1, 2,],}', {"a": [1, 2]}),
        ('{"a": "x,}", "b": "\\",]",\n}', {"a": "x,}", "b": '",]'}),
        ('\ufeff{"a": 1}', {"a": 1}),
    ],
)
def test_tolerant_json(raw: str, expected: dict) -> None:
    assert loads_tolerant(raw.encode()) == expected


def test_trailing_comma_removal_leaves_strings_alone() -> None:
    assert strip_trailing_commas('["a,]", 1 ,\n ]') == '["a,]", 1 \n ]'


def test_other_apps_keys_are_kept_and_standard_ones_rewritten() -> None:
    raw = json.dumps({"version": 1, "type": "x", "creatorIdentifier": "other", "sourceURL": "u", "com.x": {"k": 1}})
    info = parse_info(raw.encode())
    assert info.foreign == {"sourceURL": "u", "com.x": {"k": 1}}
    assert not info.ours
    written = json.loads(build_info(Metadata(), [], info.foreign, "abc", []))
    assert written["version"] == 2
    assert written["creatorIdentifier"] == APP_ID
    assert written["com.x"] == {"k": 1}
    assert written[APP_ID]["textSha256"] == "abc"


def test_broken_or_odd_info_gives_a_warning_not_an_error() -> None:
    assert parse_info(b"[1, 2]").warnings
    assert parse_info(b"\xff\xfe").warnings
    assert parse_info(None).warnings


def _review_info() -> dict:
    from editor.core.model import Comment, Reply, Status, StatusChange

    comments = [Comment(id="c1", author="Ed Itor", created="2024-05-01T14:02:00+02:00", text="Source?", start=3,
                        end=9, quote="claims", resolved=True, replies=[Reply("Ann", "2024-05-02T09:00:00Z", "Added")]),
                Comment(id="c2", text="gone", start=1, end=1, quote="x", detached=True)]
    history = [StatusChange(Status.IN_REVIEW, "Ann", "2024-05-01T14:02:00+02:00", Status.DRAFT),
               StatusChange(Status.APPROVED, "", "")]
    return {"comments": comments, "history": history}


def test_comments_and_status_history_are_written_under_our_key_and_read_back() -> None:
    review = _review_info()
    raw = build_info(Metadata(), [], {}, "abc", [], review["comments"], review["history"])
    ours = json.loads(raw)[APP_ID]
    assert ours["formatVersion"] == 2
    assert ours["comments"][0]["replies"] == [{"author": "Ann", "created": "2024-05-02T09:00:00Z", "text": "Added"}]
    assert ours["statusHistory"][0] == {"status": "in-review", "author": "Ann", "when": "2024-05-01T14:02:00+02:00",
                                        "previous": "draft"}
    info = parse_info(raw)
    assert info.comments == review["comments"]
    assert info.status_history == review["history"]
    assert info.warnings == []


def test_version_1_data_is_upgraded_to_empty_review_data() -> None:
    raw = json.dumps({APP_ID: {"formatVersion": 1, "metadata": {"title": "Old"},
                               "comments": "not ours in version 1"}}).encode()
    info = parse_info(raw)
    assert info.metadata.title == "Old"
    assert info.comments == [] and info.status_history == []
    assert info.warnings == []


def test_bad_review_entries_are_skipped_and_unknown_statuses_reported() -> None:
    raw = json.dumps({APP_ID: {"formatVersion": 2, "comments": [
        5, {"id": "ok", "start": -3, "end": "x", "resolved": "yes", "replies": [1, {"text": "r"}]}],
        "statusHistory": [{"status": "lost"}, {"status": "approved", "previous": "nonsense"}, {"status": "draft"}],
    }}).encode()
    info = parse_info(raw)
    assert [(c.id, c.start, c.end, c.resolved, [r.text for r in c.replies]) for c in info.comments] == \
        [("ok", 0, 0, False, ["r"])]
    assert [c.status.value for c in info.status_history] == ["draft"]
    assert len(info.warnings) == 1 and "status history" in info.warnings[0]
