"""Counting every step a save takes on disk, and making the Nth one fail or kill the process."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from editor import APP_ID
from editor.core import bundle_write
from editor.core.bundle import open_bundle
from editor.core.model import Article, AssetData, ImageAsset, Metadata, Status

# The os functions through which a save changes what is on disk (shutil and tempfile call them too).
OS_STEPS = ("open", "fsync", "replace", "rename", "link", "unlink", "rmdir", "mkdir", "chmod")
# Those that can fail because the disk is full or not writable.
WRITE_STEPS = frozenset({"write", "fsync", "replace", "rename", "link", "mkdir", "open", "exchange_paths"})


def picture(fmt: str, size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    """A small picture in the given Pillow format."""
    out = io.BytesIO()
    mode = "P" if fmt == "GIF" else "RGB"
    Image.new("RGB", size, colour).convert(mode).save(out, fmt)
    return out.getvalue()


def old_article() -> Article:
    """The version on disk before the save: unicode words everywhere, three pictures, a private file."""
    return Article(
        body=(
            "# Встреча в Москве — 会谈\n\nZürich, 16 janv. — «Nous étions d’accord», dit‑il. 🎉 שלום\n\n"
            "![Two men](assets/meeting.png)\n\n"
            "e\u0301\u0301 and Ω≈ç√∫ on a line.\n\n![Straße](assets/Straße%20café.jpg)\n\n"
            "![Anim](assets/loop.gif)\n"
        ),
        metadata=Metadata(
            title="Переговоры — talks «finaux»", subtitle="Ein Untertitel mit Ümläuten", authors=["Zoë Ñúñez", "李雷"],
            date="2024-01-16", tags=["россия", "naïve", "🙂"], status=Status.IN_REVIEW, featured_image="meeting.png",
            language="ru", custom={"desk": "международный"},
        ),
        assets=[
            ImageAsset.from_bytes("meeting.png", picture("PNG", (6, 4), (200, 10, 10)), alt="Два человека",
                                  caption="Vladimir Putin meets Choe Son-hui", credit="photo by TASS", width=6,
                                  height=4),
            ImageAsset.from_bytes("Straße café.jpg", picture("JPEG", (8, 8), (0, 120, 200)), caption="Café «Ost»",
                                  credit="photo by Jürgen", width=8, height=8),
            ImageAsset.from_bytes("loop.gif", picture("GIF", (3, 3), (0, 200, 0)), alt="a loop", width=3, height=3),
        ],
        foreign_info={"com.example.other": {"theme": "тёмная", "n": [1, 2.5, None]}},
        private_files={f"{APP_ID}/versions/0001.md": AssetData("Первая версия.\n".encode())},
    )


def new_article() -> Article:
    """The version being saved: every part of the old one changed somehow."""
    article = old_article()
    article.body = ("# Новая версия 新版本\n\nThe text was rewritten — «entièrement» ✍️.\n\n"
                    "![Straße](assets/Straße%20café.jpg)\n\n![Added](assets/added%20ü.png)\n")
    article.metadata.title = "Neuer Titel — новый"
    article.metadata.tags = ["後で", "edited"]
    article.metadata.status = Status.APPROVED
    article.assets[1].caption = "Café «West», new caption"
    del article.assets[2]
    article.assets[0] = ImageAsset.from_bytes("meeting.png", picture("PNG", (5, 7), (10, 10, 220)),
                                              alt="Replaced picture", width=5, height=7)
    article.assets.append(ImageAsset.from_bytes("added ü.png", picture("PNG", (2, 9), (90, 90, 90)),
                                                caption="Neu", credit="photo by Ana", width=2, height=9))
    article.private_files[f"{APP_ID}/versions/0002.md"] = AssetData("Вторая версия.\n".encode())
    return article


def snapshot(article: Article) -> tuple[Article, list[bytes], dict[str, bytes]]:
    """What "equal" means here: the article's words and every byte of its images and private files."""
    return (article, [asset.data.read_bytes() for asset in article.assets],
            {rel: data.read_bytes() for rel, data in article.private_files.items()})


def on_disk(path: Path) -> tuple[tuple[Article, list[bytes], dict[str, bytes]], list[str]]:
    """Open the bundle at `path` and return its snapshot and the warnings from opening it."""
    opened = open_bundle(path)
    return snapshot(opened.article), opened.warnings


def copy_bundle(template: Path, dest: Path) -> None:
    """A copy of a saved bundle (a folder or a file)."""
    if template.is_dir():
        shutil.copytree(template, dest)
    else:
        shutil.copy2(template, dest)


class _Handle:
    """A file object whose writes are counted steps, like the os calls around it."""

    def __init__(self, inner: Any, step: Callable[[str], None]) -> None:
        self._inner = inner
        self._step = step

    def write(self, data: Any) -> int:
        self._step("write")
        return self._inner.write(data)

    def __enter__(self) -> _Handle:
        return self

    def __exit__(self, *exc: object) -> None:
        self._inner.__exit__(*exc)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._inner)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class Steps:
    """Counts the steps of a save and does `action(kind)` at the chosen one."""

    def __init__(self, at: int | None = None, action: Callable[[str], None] | None = None,
                 kinds: frozenset[str] | None = None) -> None:
        self.at = at
        self.action = action
        self.kinds = kinds  # only these kinds count; None counts all
        self.count = 0
        self.log: list[str] = []

    def step(self, kind: str) -> None:
        """One step of kind `kind` is about to happen."""
        if self.kinds is not None and kind not in self.kinds:
            return
        self.count += 1
        self.log.append(kind)
        if self.count == self.at and self.action is not None:
            self.action(kind)


def kill_now(kind: str) -> None:
    """Die the way a power cut or the OOM killer ends a process: at once, with no clean-up."""
    os.kill(os.getpid(), signal.SIGKILL)


def install(patch: Callable[[object, str, Any], None], steps: Steps, *, real_fsync: bool = True,
            atomic_exchange: bool = True) -> None:
    """Route every disk-changing call of a save through `steps`.

    real_fsync=False skips the flush itself (it still counts as a step): a killed process loses nothing
    the kernel already has, so flushing only matters for power cuts, and skipping it keeps trials fast.
    """

    def wrap(kind: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            steps.step(kind)
            return function(*args, **kwargs)

        return run

    for name in OS_STEPS:
        function = getattr(os, name)
        if name == "fsync" and not real_fsync:
            function = _no_fsync
        patch(os, name, wrap(name, function))
    real_fdopen = os.fdopen

    def fdopen(*args: Any, **kwargs: Any) -> Any:
        return _Handle(real_fdopen(*args, **kwargs), steps.step)

    patch(os, "fdopen", fdopen)
    exchange = bundle_write.exchange_paths if atomic_exchange else _no_exchange
    patch(bundle_write, "exchange_paths", wrap("exchange_paths", exchange))


def _no_fsync(fd: int) -> None:
    os.fstat(fd)  # still fails on a bad descriptor, as fsync would


def _no_exchange(first: Path, second: Path) -> bool:
    return False


@contextlib.contextmanager
def patched() -> Iterator[Callable[[object, str, Any], None]]:
    """A setattr that is undone on exit (for use outside a test's own monkeypatch)."""
    with pytest.MonkeyPatch.context() as patch:
        yield patch.setattr
