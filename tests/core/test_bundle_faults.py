"""A save killed at any moment leaves the old bundle or the new one, complete, never a mix."""

from __future__ import annotations

import multiprocessing
import os
import random
import shutil
import signal
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from editor.core import bundle_write
from editor.core.bundle import bundle_fingerprint, open_bundle, save_bundle
from editor.core.model import Article, ImageAsset
from tests.core.bundle_samples import clone, png, sample_article

# Every step of a save that changes what is on disk goes through one of these.
HOOKED = ("open", "fsync", "replace", "rename", "link", "unlink", "rmdir", "mkdir")
TRIALS = 20


def _counting(kill_at: int | None, counter: list[int], log: list[str] | None = None
              ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def wrap(function: Callable[..., Any]) -> Callable[..., Any]:
        def step(*args: Any, **kwargs: Any) -> Any:
            counter[0] += 1
            if log is not None:
                log.append(getattr(function, "__name__", "?"))
            if counter[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return function(*args, **kwargs)

        return step

    return wrap


def _hook(patch: Callable[[object, str, Any], None], wrap: Callable[[Callable[..., Any]], Callable[..., Any]],
          atomic_exchange: bool) -> None:
    for name in HOOKED:
        patch(os, name, wrap(getattr(os, name)))
    # Steps inside the temporary files count too, so the zip form is also killed while half-written.
    patch(zipfile.ZipFile, "writestr", wrap(zipfile.ZipFile.writestr))
    patch(bundle_write, "atomic_write_bytes", wrap(bundle_write.atomic_write_bytes))
    exchange = bundle_write.exchange_paths if atomic_exchange else (lambda first, second: False)
    patch(bundle_write, "exchange_paths", wrap(exchange))


def _save_and_maybe_die(path: Path, article: Article, fingerprint: str | None, kill_at: int,
                        atomic_exchange: bool) -> None:
    _hook(setattr, _counting(kill_at, [0]), atomic_exchange)
    save_bundle(article, path, expected_fingerprint=fingerprint)


def _new_article() -> Article:
    article = sample_article()
    article.body = "The new version.\n\n![Crowd](assets/crowd%20outside.png)\n"
    article.metadata.title = "New title"
    article.assets[1].caption = "New caption"
    del article.assets[0]
    article.assets.append(ImageAsset.from_bytes("added.png", png(4, 4)))
    return article


@pytest.mark.parametrize(
    ("suffix", "atomic_exchange"),
    [(".textpack", True), (".textbundle", True), (".textbundle", False)],
    ids=["zip", "folder-exchange", "folder-rename"],
)
def test_a_save_killed_at_random_moments_leaves_old_or_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str, atomic_exchange: bool
) -> None:
    old, new = sample_article(), _new_article()
    counter: list[int] = [0]
    log: list[str] = []
    with monkeypatch.context() as patch:
        dry = tmp_path / f"dry{suffix}"
        fingerprint = save_bundle(clone(old), dry)
        _hook(patch.setattr, _counting(None, counter, log), atomic_exchange)
        save_bundle(clone(new), dry, expected_fingerprint=fingerprint)
    steps = counter[0]
    assert steps > 5
    # Random moments, plus every moment just before and after something is moved into place.
    moves = {i + 1 + d for i, name in enumerate(log) if name in {"rename", "replace", "<lambda>", "exchange_paths"}
             for d in (0, 1)}
    moments = sorted(set(random.Random(20240116).sample(range(1, steps + 2), min(TRIALS, steps + 1))) | moves)
    template = tmp_path / f"template{suffix}"
    save_bundle(clone(old), template)
    context = multiprocessing.get_context("fork")
    outcomes = set()
    for trial, moment in enumerate(moments):
        path = tmp_path / f"trial{trial}" / f"Story{suffix}"
        path.parent.mkdir()
        # A copy of a saved bundle is as good as saving again, and much quicker than fsyncing each time.
        (shutil.copytree if template.is_dir() else shutil.copy2)(template, path)
        fingerprint = bundle_fingerprint(path)
        arguments = (path, clone(new), fingerprint, moment, atomic_exchange)
        child = context.Process(target=_save_and_maybe_die, args=arguments)
        child.start()
        child.join()
        assert child.exitcode in (0, -signal.SIGKILL)
        opened = open_bundle(path)
        assert opened.article in (old, new), f"killed at step {moment} of {steps}"
        for asset in opened.article.assets:
            asset.data.read_bytes()
        outcomes.add("new" if opened.article == new else "old")
        outcomes.update("repaired" for w in opened.warnings if "interrupted" in w)
    assert {"old", "new"} <= outcomes
    # Only the rename fallback has a moment when no bundle sits at the path; then opening repairs it.
    assert ("repaired" in outcomes) == (not atomic_exchange)
