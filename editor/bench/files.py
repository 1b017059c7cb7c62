"""Qt-free figures: a full render, opening and saving a bundle of photos, importing a 24-megapixel JPEG."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from editor.bench.corpus import make_large_jpeg, make_markdown
from editor.bench.report import Row, median
from editor.core.bundle import open_bundle, save_bundle
from editor.core.images import DEFAULT_SETTINGS, import_image
from editor.core.model import Article
from editor.core.render import render_body
from editor.core.zip_clone import can_clone


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds taken by each of `repeat` runs of `action`."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def full_render_ms(text: str, repeat: int) -> float:
    """Median time of a full Markdown render of `text` (the preview's baseline)."""
    article = Article(body=text)
    return median(timed(lambda: render_body(article), repeat))


def _read_everything(path: Path) -> None:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    for file in files:
        file.read_bytes()


def _flush(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _copy(path: Path, dest: Path) -> None:
    """Copy a bundle and flush every byte to disk, as a save must before it can say the bundle is saved."""
    if dest.exists():
        shutil.rmtree(dest) if dest.is_dir() else dest.unlink()
    if path.is_dir():
        shutil.copytree(path, dest)
        for file in dest.rglob("*"):
            if file.is_file():
                _flush(file)
    else:
        shutil.copyfile(path, dest)
        _flush(dest)


def bundle_rows(bundle: Path, photos: int, repeat: int, work: Path) -> list[Row]:
    """Open, and save after a text edit, of one generated bundle; baselines read or copy every byte."""
    form = "TextPack" if bundle.suffix == ".textpack" else "folder"
    open_ms = median(timed(lambda: open_bundle(bundle), repeat))
    read_ms = median(timed(lambda: _read_everything(bundle), repeat))
    opened = open_bundle(bundle)
    state = {"fingerprint": opened.fingerprint, "n": 0}

    def save_after_edit() -> None:
        state["n"] += 1
        opened.article.body += f"\n\nOne more line {state['n']}.\n"
        state["fingerprint"] = save_bundle(opened.article, bundle, expected_fingerprint=state["fingerprint"])

    save_ms = median(timed(save_after_edit, repeat))
    copy_ms = median(timed(lambda: _copy(bundle, work / ("copy" + bundle.suffix)), repeat))
    rows = [
        Row(f"open a bundle with {photos} photos ({form})", open_ms, "ms", "read every file", read_ms),
        Row(f"save after a text edit, {photos} photos ({form})", save_ms, "ms", "copy the whole bundle to disk",
            copy_ms, "≤ 100 ms", save_ms <= 100),
    ]
    if form == "TextPack":
        rows[1].note = ("the old pack cloned, its pictures kept" if can_clone(work) else
                        "this file system cannot clone: the zip is rewritten whole, and flushed, to stay atomic")
    return rows


def import_rows(work: Path, repeat: int) -> list[Row]:
    """Import of a 24-megapixel JPEG through the pipeline against a plain full-size decode and resize."""
    source = make_large_jpeg(work / "camera-24mp.jpg", 24)
    edge = DEFAULT_SETTINGS.max_edge or 2560

    def plain() -> None:
        with Image.open(source) as image:
            image.load()
            scale = edge / max(image.size)
            image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS)

    pipeline_ms = median(timed(lambda: import_image(source), repeat))
    plain_ms = median(timed(plain, repeat))
    return [Row("import a 24-megapixel JPEG", pipeline_ms, "ms", "full-size decode + resize", plain_ms,
                "≤ 300 ms", pipeline_ms <= 300)]


def render_rows(sizes: list[int], repeat: int) -> dict[int, float]:
    """Full render time per article size, the baseline for the preview figures."""
    return {words: full_render_ms(make_markdown(words), repeat) for words in sizes}
