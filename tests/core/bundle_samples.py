"""Small articles and pictures shared by the bundle tests."""

from __future__ import annotations

import copy
import io

from PIL import Image

from editor.core.model import Article, ImageAsset, Metadata, Status


def png(width: int = 2, height: int = 2, colour: tuple[int, int, int] = (200, 10, 10)) -> bytes:
    """A tiny PNG."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def sample_article() -> Article:
    """A news story with two photos, one with a space in its name, and another app's data."""
    return Article(
        body=(
            "# Talks in Moscow\n\nMOSCOW — The ministers met on Tuesday.\n\n"
            "![Two men shake hands](assets/putin-meets-choe.png)\n\n"
            "> “We agreed on everything,” he said.\n\n"
            "![Crowd](assets/crowd%20outside.png)\nText right under the picture.\n"
        ),
        metadata=Metadata(
            title="Talks in Moscow", subtitle="A dek", authors=["Ann Writer", "Bo Editor"], date="2024-01-16",
            tags=["russia", "north korea"], status=Status.IN_REVIEW, featured_image="putin-meets-choe.png",
            custom={"desk": "foreign"},
        ),
        assets=[
            ImageAsset.from_bytes(
                "putin-meets-choe.png", png(3, 2), alt="Two men shake hands",
                caption="Vladimir Putin meets Choe Son-hui in Moscow on Jan. 16, 2024",
                credit="photo by TASS Russian News Agency", width=3, height=2,
            ),
            ImageAsset.from_bytes("crowd outside.png", png(1, 1, (0, 0, 255)), caption="A *crowd* [outside]", width=1,
                                  height=1),
        ],
        foreign_info={"com.example.other": {"theme": "dark", "n": [1, 2.5, None, True]}, "sourceURL": "https://x.test"},
    )


def clone(article: Article) -> Article:
    """A deep copy (asset data objects shared), so saving one never changes the expected value."""
    return copy.deepcopy(article)
