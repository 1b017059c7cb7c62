"""The law of the format: whatever article is saved, opening it gives the same article back."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor import APP_ID
from editor.core.bundle import BundleError, open_bundle, save_bundle
from editor.core.bundle_text import CaptionSource, caption_line
from editor.core.errors import EditorError
from editor.core.model import Article, Comment, ImageAsset, Metadata, Reply, Status, StatusChange
from tests.core.bundle_samples import clone, png, sample_article

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
LINE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"), max_size=30)
NAME = st.text("abcXYZ019 -_()éß", min_size=1, max_size=10).map(str.strip).filter(bool)
PICTURES = [png(w, h) for w in (1, 2, 4) for h in (1, 3)]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)


@st.composite
def assets(draw: st.DrawFn) -> list[ImageAsset]:
    """A few tiny pictures (or arbitrary bytes) with every text field filled at random."""
    stems = draw(st.lists(NAME, max_size=5, unique_by=str.casefold))
    result = []
    for stem in stems:
        data = draw(st.sampled_from(PICTURES) | st.binary(max_size=40))
        result.append(ImageAsset.from_bytes(
            f"{stem}.{draw(st.sampled_from(['png', 'jpg', 'bin']))}", data,
            alt=draw(TEXT), caption=draw(TEXT), credit=draw(TEXT), source_url=draw(TEXT), licence=draw(TEXT),
            width=draw(st.integers(0, 5000)), height=draw(st.integers(0, 5000)),
        ))
    return result


OFFSET = st.integers(0, 10**6)
REPLIES = st.lists(st.builds(Reply, author=TEXT, created=TEXT, text=TEXT), max_size=2)
STATUSES = st.sampled_from(list(Status))


@st.composite
def comments(draw: st.DrawFn) -> list[Comment]:
    """Comments with any words and places (a bundle keeps them as they are; the window re-finds them)."""
    result = []
    for _ in range(draw(st.integers(0, 3))):
        start = draw(OFFSET)
        result.append(Comment(
            id=draw(TEXT), author=draw(TEXT), created=draw(TEXT), text=draw(TEXT), start=start,
            end=start + draw(st.integers(0, 50)), quote=draw(TEXT), resolved=draw(st.booleans()),
            detached=draw(st.booleans()), replies=draw(REPLIES),
        ))
    return result


HISTORY = st.lists(st.builds(StatusChange, status=STATUSES, author=TEXT, when=TEXT,
                             previous=st.none() | STATUSES), max_size=3)


@st.composite
def articles(draw: st.DrawFn) -> Article:
    """Bodies full of standalone images, caption-like lines and blank lines, to stress caption removal."""
    pictures = draw(assets())
    pieces = [LINE, st.just(""), st.just("```"), st.just("    indented")]
    if pictures:
        picture = st.sampled_from(pictures)
        pieces.append(picture.map(lambda a: f"![{a.alt[:3]}](assets/{a.name.replace(' ', '%20')})"))
        pieces.append(picture.map(lambda a: caption_line(CaptionSource(a.caption, a.credit))))
    lines = draw(st.lists(st.one_of(pieces), max_size=12))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    metadata = Metadata(
        title=draw(TEXT), subtitle=draw(TEXT), authors=draw(st.lists(TEXT, max_size=3)), date=draw(TEXT),
        updated=draw(TEXT), slug=draw(TEXT), section=draw(TEXT), tags=draw(st.lists(TEXT, max_size=3)),
        summary=draw(TEXT), language=draw(TEXT), status=draw(st.sampled_from(list(Status))),
        featured_image=draw(TEXT), source_url=draw(TEXT), custom=draw(st.dictionaries(TEXT, TEXT, max_size=3)),
    )
    foreign_keys = TEXT.filter(lambda k: k not in {"version", "type", "transient", "creatorURL", "creatorIdentifier",
                                                   APP_ID})
    return Article(
        body=newline.join(lines) + draw(st.sampled_from(["", "\n"])),
        metadata=metadata,
        assets=pictures,
        foreign_info=draw(st.dictionaries(foreign_keys, JSON, max_size=3)),
        comments=draw(comments()),
        status_history=draw(HISTORY),
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article=articles(), form=st.sampled_from([".textbundle", ".textpack"]))
def test_open_after_save_gives_back_the_article(article: Article, form: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"a{form}"
        save_bundle(clone(article), path)
        opened = open_bundle(path)
        assert opened.article == article
        assert opened.warnings == [w for w in opened.warnings if "not in the bundle" in w]
        assert [a.data.read_bytes() for a in opened.article.assets] == [a.data.read_bytes() for a in article.assets]


_PACK: list[bytes] = []


def _valid_pack() -> bytes:
    if not _PACK:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "a.textpack"
            save_bundle(clone(sample_article()), path)
            _PACK.append(path.read_bytes())
    return _PACK[0]


@settings(max_examples=200, deadline=None)
@given(flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 255)), min_size=1, max_size=4),
       cut=st.none() | st.integers(0, 10**6))
def test_a_damaged_textpack_opens_or_fails_with_one_sentence(flips: list[tuple[int, int]], cut: int | None) -> None:
    data = bytearray(_valid_pack())
    for position, xor in flips:
        data[position % len(data)] ^= xor
    if cut is not None:
        data = data[: cut % len(data)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.textpack"
        path.write_bytes(bytes(data))
        try:
            opened = open_bundle(path)
        except BundleError as exc:
            assert str(exc).endswith(".")
            return
        for asset in opened.article.assets:
            with contextlib.suppress(EditorError):
                asset.data.read_bytes()
