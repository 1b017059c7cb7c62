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
