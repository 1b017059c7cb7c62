"""A realistic article with two real pictures, shared by the front matter export and import tests."""

from __future__ import annotations

import io

from PIL import Image

from editor.core.model import Article, ImageAsset, Metadata, Status
from editor.core.references import image_markdown

CAPTION = 'Russian President "Vladimir" Putin meets *Choe* Son-hui -- in Moscow on Jan. 16, 2024 [1] & <b>'
CREDIT = "photo by TASS Russian News Agency"


def picture(fmt: str, colour: str, size: tuple[int, int] = (64, 48)) -> bytes:
    """A small real picture in the given Pillow format."""
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt)
    return out.getvalue()


def realistic_article() -> Article:
    """A news story with a dek, unicode, a block quote, a featured image and two captioned pictures."""
    photo = ImageAsset.from_bytes(
        "putin-meets-choe.jpg", picture("JPEG", "red"), alt="Putin shakes hands with Choe Son-hui",
        caption=CAPTION, credit=CREDIT, source_url="https://example.org/tass/1", licence="CC BY 4.0",
        width=64, height=48,
    )
    flag = ImageAsset.from_bytes(
        "flag.png", picture("PNG", "blue", (32, 20)), alt="Флаг над Кремлём", caption="Der Kreml – „Flagge“",
        credit="Ève Çelik", width=32, height=20,
    )
    body = (
        "MOSCOW — Russia’s president met North Korea’s foreign minister on Tuesday.\n\n"
        f"{image_markdown(photo.name, 'Two men shake hands')}\n\n"
        "> “We value our friendship,” he said. Café, naïve, 日本語.\n\n"
        f"A flag ![flag inline](assets/{flag.name}) in a sentence.\n\n"
        f"{image_markdown(flag.name, '')}\n\n"
        "```\n![not a figure](assets/flag.png)\n```\n\n"
        "By Ann Öberg\n"
    )
    meta = Metadata(
        title="Putin meets “Choe” in Moscow", subtitle="A dek: talks on trade — and more",
        authors=["Ann Öberg", "Li Wei"],
        date="2024-01-16T09:30", updated="2024-01-17", section="World", tags=["russia", "north korea"],
        summary="The two sides discussed trade.", language="de", status=Status.IN_REVIEW,
        featured_image=photo.name, source_url="https://example.org/story",
        custom={"desk": "foreign", "wordcount": "812"},
    )
    return Article(body=body, metadata=meta, assets=[photo, flag])


def words(article: Article) -> list[tuple[str, str, str, str, str]]:
    """What must survive a round trip for each picture: alt, caption, credit, source and licence."""
    return [(a.alt, a.caption, a.credit, a.source_url, a.licence) for a in article.assets]
