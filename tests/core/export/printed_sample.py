"""A realistic article with two photos for the PDF and pandoc export tests."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from editor.core.model import Article, ImageAsset, Metadata

TITLE = "Harbour cranes return to Leith"
BODY_SENTENCE = "The last of the old cranes was lifted back onto the quay on Tuesday morning"
CAPTION = "A crane on the quay at dawn"
CREDIT = "Photo by Morag Lindsay"
ALT = "A tall red crane against a pale sky"
SECOND_CAPTION = "Dockers watching the lift"
SECOND_CREDIT = "Photo by Ian Crew"
SECOND_ALT = "Five people in hard hats looking up"


def photo(width: int, height: int, colour: tuple[int, int, int], fmt: str) -> bytes:
    """A small picture with some shapes in it, in the given Pillow format."""
    image = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((width // 4, height // 4, width // 2, height - 10), fill=(20, 20, 20))
    draw.ellipse((width // 2, 10, width - 10, height // 2), fill=(240, 240, 240))
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def realistic_article() -> Article:
    """A news story: headline, dek, two authors, a list, a quote, a table and two captioned photos."""
    body = (
        f"{BODY_SENTENCE}, ending a restoration that took four years.\n\n"
        "![crane](assets/crane%20at%20dawn.jpg)\n\n"
        "## What was done\n\n"
        "- new *steel* in the jib\n- a rebuilt cab\n- paint matched to the 1950s colour\n\n"
        "> “It looks the way my father remembered it,” said one docker.\n\n"
        "![dockers](assets/dockers.png)\n\n"
        "| Crane | Year | Height |\n|---|---|---|\n| Titan | 1952 | 41 m |\n| Goliath | 1961 | 45 m |\n\n"
        "The cranes will be lit at night from **next month**.\n"
    )
    return Article(
        body=body,
        metadata=Metadata(
            title=TITLE, subtitle="Four years of restoration end on the quay", authors=["Morag Lindsay", "Ian Crew"],
            date="2024-03-05", section="Edinburgh", tags=["harbour", "heritage"], summary="The cranes are back.",
            language="en-GB", featured_image="crane at dawn.jpg",
        ),
        assets=[
            ImageAsset.from_bytes("crane at dawn.jpg", photo(320, 240, (180, 40, 30), "JPEG"), alt=ALT,
                                  caption=CAPTION, credit=CREDIT, width=320, height=240),
            ImageAsset.from_bytes("dockers.png", photo(200, 150, (30, 90, 160), "PNG"), alt=SECOND_ALT,
                                  caption=SECOND_CAPTION, credit=SECOND_CREDIT, width=200, height=150),
        ],
    )
