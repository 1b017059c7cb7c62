"""TextBundle and TextPack export: the native bundle, written by the same code that saves it.

OUT ending in .textpack gives the zipped form, anything else the folder form. The full export carries
everything the bundle holds, review data included (comments, status history, saved versions). The "clean"
variant leaves the review data out: no comments, no status history, and none of our own files (versions
and the images only they kept), so the result can go to a publisher. Data other apps stored in info.json
is kept in both: it is not review data.
"""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

from editor.core.bundle import save_bundle
from editor.core.export.common import Progress, report
from editor.core.model import Article


def export_copy(article: Article, *, clean: bool = False) -> Article:
    """A copy of the article to export, sharing the image bytes; the original is left untouched by the save."""
    return Article(
        body=article.body,
        metadata=copy.deepcopy(article.metadata),
        assets=[dataclasses.replace(asset) for asset in article.assets],
        foreign_info=copy.deepcopy(article.foreign_info),
        comments=[] if clean else copy.deepcopy(article.comments),
        status_history=[] if clean else copy.deepcopy(article.status_history),
        private_files={} if clean else dict(article.private_files),
    )


def export(article: Article, out: Path, *, progress: Progress | None = None, clean: bool = False) -> list[str]:
    """Write the article as a .textbundle folder or .textpack zip at OUT; returns notes (none)."""
    report(progress, 0, 1)
    # Saving points the saved article's images at the new bundle, so a copy is saved, never the caller's article.
    save_bundle(export_copy(article, clean=clean), Path(out), force=True)
    report(progress, 1, 1)
    return []
