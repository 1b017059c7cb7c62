"""Thumbnails are made in the background, cached by content, and failures are remembered."""

import io
import os
import threading

from PIL import Image

from editor.core.model import AssetData, ImageAsset
from editor.ui import thumbnails
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


def jpeg(size=(900, 600), colour=(200, 120, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def test_thumbnails_are_made_off_the_ui_thread(qtbot, monkeypatch):
    threads = []
    real = thumbnails.make_thumbnail

    def spy(data, size):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(data, size)

    monkeypatch.setattr(thumbnails, "make_thumbnail", spy)
    cache = ThumbnailCache(size=64)
    asset = ImageAsset.from_bytes("a.jpg", jpeg())
    with qtbot.waitSignal(cache.ready):
        assert cache.icon(asset) is None
    assert threads == [False]
    assert cache.icon(asset) is not None
    cache.wait()


def test_disk_cache_is_written_and_used_by_the_next_cache(qtbot, tmp_path, monkeypatch):
    folder = tmp_path / "thumbs"
    asset = ImageAsset.from_bytes("a.jpg", jpeg())
    first = ThumbnailCache(size=64, disk_folder=folder)
    with qtbot.waitSignal(first.ready):
        first.icon(asset)
    first.wait()
    stored = folder / f"{asset.sha256}-64.png"
    with Image.open(stored) as im:
        assert max(im.size) == 64

    def refuse(*_args):
        raise AssertionError("the picture was decoded although its thumbnail is on disk")

    monkeypatch.setattr(thumbnails, "make_thumbnail", refuse)
    second = ThumbnailCache(size=64, disk_folder=folder)
    with qtbot.waitSignal(second.ready):
        second.icon(ImageAsset.from_bytes("copy.jpg", jpeg()))
    assert second.icon(asset) is not None
    second.wait()


def test_a_damaged_disk_cache_file_is_made_again(qtbot, tmp_path):
    folder = tmp_path / "thumbs"
    folder.mkdir()
    asset = ImageAsset.from_bytes("a.jpg", jpeg())
    stored = folder / f"{asset.sha256}-64.png"
    stored.write_bytes(b"\x89PNG\r\n\x1a\n" + b"half a file")
    cache = ThumbnailCache(size=64, disk_folder=folder)
    with qtbot.waitSignal(cache.ready):
        cache.icon(asset)
    assert cache.icon(asset) is not None and not cache.failed(asset)
    with Image.open(stored) as im:
        assert max(im.size) == 64
    cache.wait()


def test_pictures_without_a_hash_are_not_kept_on_disk(qtbot, tmp_path):
    folder = tmp_path / "thumbs"
    (tmp_path / "a.jpg").write_bytes(jpeg())
    cache = ThumbnailCache(size=64, disk_folder=folder)
    with qtbot.waitSignal(cache.ready):
        cache.icon(ImageAsset(name="a.jpg", data=AssetData(tmp_path / "a.jpg")))
    cache.wait()
    assert not folder.exists() or list(folder.iterdir()) == []


def test_cancelled_thumbnails_are_made_when_asked_again(qtbot, monkeypatch):
    gate = threading.Event()
    real = thumbnails.make_thumbnail

    def slow(data, size):
        gate.wait(10)
        return real(data, size)

    monkeypatch.setattr(thumbnails, "make_thumbnail", slow)
    cache = ThumbnailCache(size=32)
    assets = [ImageAsset.from_bytes(f"{i}.jpg", jpeg(colour=(i * 40, 0, 0))) for i in range(6)]
    for item in assets:
        cache.icon(item)
    assert cache.pending_count() == 6
    cache.cancel_pending()
    assert cache.pending_count() == 0
    gate.set()
    last = assets[-1]
    with qtbot.waitSignal(cache.ready, check_params_cb=lambda key: key == last.sha256):
        assert cache.icon(last) is None
    assert cache.icon(last) is not None
    cache.wait()


def test_pruning_drops_the_least_recently_used_thumbnails_and_nothing_else(tmp_path):
    folder = tmp_path / "thumbs"
    folder.mkdir()
    names = [f"{str(i) * 64}-64.png" for i in range(5)]
    for age, name in enumerate(names):
        (folder / name).write_bytes(b"x")
        when = 1_000_000_000 + age * 1_000_000_000
        os.utime(folder / name, ns=(when, when))
    (folder / "notes.txt").write_text("not ours")
    os.utime(folder / "notes.txt", ns=(1, 1))
    assert thumbnails.prune_disk_cache(folder, keep=2) == 3
    assert sorted(p.name for p in folder.iterdir()) == sorted([*names[3:], "notes.txt"])
    assert thumbnails.prune_disk_cache(tmp_path / "missing", keep=2) == 0


def test_a_thumbnail_read_from_disk_counts_as_recently_used(qtbot, tmp_path):
    folder = tmp_path / "thumbs"
    asset = ImageAsset.from_bytes("a.jpg", jpeg())
    first = ThumbnailCache(size=64, disk_folder=folder)
    with qtbot.waitSignal(first.ready):
        first.icon(asset)
    first.wait()
    stored = folder / f"{asset.sha256}-64.png"
    os.utime(stored, ns=(1, 1))
    second = ThumbnailCache(size=64, disk_folder=folder)
    with qtbot.waitSignal(second.ready):
        second.icon(asset)
    second.wait()
    assert stored.stat().st_mtime_ns > 1
