"""Thumbnails are made in the background, cached by content, and failures are remembered."""

import io

from PIL import Image

from editor.core.model import AssetData, ImageAsset
from editor.ui.thumbnails import ThumbnailCache, asset_key


def png(size=(300, 100)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (0, 90, 200)).save(out, "PNG")
    return out.getvalue()


def test_first_call_returns_none_then_the_icon_arrives(qtbot):
    cache = ThumbnailCache(size=64)
    asset = ImageAsset.from_bytes("a.png", png())
    with qtbot.waitSignal(cache.ready) as blocker:
        assert cache.icon(asset) is None
    assert blocker.args == [asset.sha256]
    icon = cache.icon(asset)
    assert icon is not None
    assert max(icon.availableSizes()[0].toTuple()) == 64
    cache.wait()


def test_the_same_content_under_another_name_uses_the_cached_icon(qtbot):
    cache = ThumbnailCache()
    data = png()
    with qtbot.waitSignal(cache.ready):
        cache.icon(ImageAsset.from_bytes("a.png", data))
    assert cache.icon(ImageAsset.from_bytes("copy.png", data)) is not None
    cache.wait()


def test_a_file_that_disappeared_is_marked_failed_once(qtbot, tmp_path):
    cache = ThumbnailCache()
    gone = ImageAsset(name="gone.png", data=AssetData(tmp_path / "gone.png"))
    assert asset_key(gone).startswith("gone.png@")
    with qtbot.waitSignal(cache.ready):
        cache.icon(gone)
    assert cache.failed(gone)
    assert cache.icon(gone) is None  # not retried
    cache.wait()
