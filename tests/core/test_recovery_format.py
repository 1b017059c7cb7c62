"""The article file of a recovery copy: JSON that gives the article back, and pictures checked before use."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from editor.core.errors import EditorError
from editor.core.model import Article, AssetData, ImageAsset
from editor.core.recovery_format import CheckedData, article_from_json, article_to_json, stat_record
from tests.core.bundle_samples import png, sample_article


def test_json_round_trip(tmp_path: Path) -> None:
    article = sample_article()
    blobs = tmp_path / "blobs"
    blobs.mkdir()

    def record(data: AssetData, label: str) -> dict[str, object]:
        raw = data.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        (blobs / digest).write_bytes(raw)
        return {"blob": digest}

    data = json.loads(json.dumps(article_to_json(article, record)))
    back = article_from_json(data, blobs)
    assert back == article
    assert [a.data.read_bytes() for a in back.assets] == [a.data.read_bytes() for a in article.assets]


@pytest.mark.parametrize("record", [{"blob": "../../etc/passwd"}, {"blob": "0" * 64}, {"file": 3}])
def test_bad_picture_records_are_damage(tmp_path: Path, record: dict[str, object]) -> None:
    data = article_to_json(Article(assets=[ImageAsset.from_bytes("a.png", png())]), lambda d, label: record)
    with pytest.raises(ValueError):
        article_from_json(data, tmp_path)


def test_checked_data_serves_the_same_file_and_refuses_another(tmp_path: Path) -> None:
    picture = tmp_path / "a.png"
    picture.write_bytes(png(1, 1))
    record = {"file": str(picture), "member": None, **stat_record(picture), "sha256": ""}
    checked = CheckedData(record, "a.png")
    assert checked.path == picture and checked.read_bytes() == png(1, 1)
    picture.write_bytes(png(2, 2))
    with pytest.raises(EditorError, match=r"“a\.png” was changed on disk"):
        checked.read_bytes()
    assert stat_record(tmp_path / "gone") == {}
