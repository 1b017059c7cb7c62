"""Deterministic test material for the benchmarks: long articles and photos, made from a seed."""

from __future__ import annotations

import functools
import io
import random
from pathlib import Path

from PIL import Image

from editor.core.bundle import save_bundle
from editor.core.model import Article, ImageAsset, Metadata

_SYLLABLES = ("ka", "lo", "mer", "tin", "sa", "vel", "dor", "ri", "an", "pu", "gle", "tho", "ne", "mi", "sol", "ber")
_WORDS_PER_SECTION = 450


UNKNOWN_SHARE = 0.03  # names, jargon and typos: words a dictionary does not know, as in real articles


@functools.cache
def _english_frequencies() -> dict[str, int]:
    from spellchecker import SpellChecker

    return dict(SpellChecker(language="en", distance=1).word_frequency.dictionary)


def _made_up_words(rng: random.Random, size: int = 3000) -> list[str]:
    """Words of made-up syllables that the English dictionary does not know (some, like "satin", it would)."""
    known = _english_frequencies()
    words: set[str] = set()
    while len(words) < size:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4)))
        if word not in known:
            words.add(word)
    return sorted(words)


@functools.cache
def _english_words(size: int = 3000) -> tuple[str, ...]:
    """The most frequent words of the English spelling dictionary, so the text reads to the checker as prose."""
    frequency = _english_frequencies()
    return tuple(word for word, _count in sorted(frequency.items(), key=lambda item: (-item[1], item[0]))[:size])


class _Writer:
    """Builds Markdown from a seeded random source, counting the words it writes."""

    def __init__(self, seed: int, unknown_share: float = UNKNOWN_SHARE) -> None:
        self.rng = random.Random(seed)
        self.made_up = _made_up_words(self.rng)
        self.english = _english_words() if unknown_share < 1 else ()
        self.unknown_share = unknown_share
        self.words = 0
        self.notes = 0

    def word(self) -> str:
        if self.rng.random() < self.unknown_share:
            return self.rng.choice(self.made_up)
        return self.rng.choice(self.english)

    def phrase(self, count: int) -> str:
        self.words += count
        return " ".join(self.word() for _ in range(count))

    def paragraph(self) -> str:
        sentences = []
        for _ in range(self.rng.randint(3, 6)):
            sentence = self.phrase(self.rng.randint(8, 18)).capitalize()
            roll = self.rng.random()
            if roll < 0.15:
                sentence += f" [{self.phrase(2)}][ref{self.rng.randint(1, 20)}]"
            elif roll < 0.25:
                sentence += f" *{self.phrase(2)}*"
            elif roll < 0.3:
                self.notes += 1
                sentence += f"[^n{self.notes}]"
            elif roll < 0.35:
                sentence += f" “{self.phrase(3)}”"
            sentences.append(sentence + ".")
        return " ".join(sentences)

    def section(self, number: int, images: list[str]) -> str:
        parts = [f"## {self.phrase(4).capitalize()} {number}"]
        start = self.words
        while self.words - start < _WORDS_PER_SECTION:
            roll = self.rng.random()
            if roll < 0.1:
                parts.append("\n".join(f"- {self.phrase(self.rng.randint(4, 10))}" for _ in range(4)))
            elif roll < 0.14:
                rows = [f"| {self.phrase(1)} | {self.phrase(1)} | {self.rng.randint(1, 999)} |" for _ in range(4)]
                parts.append("| Name | Place | Count |\n|---|---|---:|\n" + "\n".join(rows))
            elif roll < 0.17:
                parts.append("```python\n" + "\n".join(f"value_{i} = {i} * {i}" for i in range(5)) + "\n```")
            elif roll < 0.2:
                parts.append("> " + self.paragraph())
            else:
                parts.append(self.paragraph())
        if images and self.rng.random() < 0.5:
            parts.append(f"![{self.phrase(3)}](assets/{self.rng.choice(images)})")
        return "\n\n".join(parts)


def make_markdown(words: int, seed: int = 1, images: list[str] | None = None,
                  unknown_share: float = UNKNOWN_SHARE) -> str:
    """A realistic Markdown article of about `words` words: sections, lists, tables, code, notes, references.

    The words are common English ones, with `unknown_share` of them made up (1.0: every word is unknown to the
    spelling dictionary, the worst case for spell checking).
    """
    writer = _Writer(seed, unknown_share)
    title = writer.phrase(5).capitalize()
    sections = []
    number = 1
    while writer.words < words:
        sections.append(writer.section(number, images or []))
        number += 1
    refs = "\n".join(f"[ref{i}]: https://example.org/{i}" for i in range(1, 21))
    notes = "\n".join(f"[^n{i}]: {writer.phrase(6).capitalize()}." for i in range(1, writer.notes + 1))
    return f"# {title}\n\n" + "\n\n".join(sections) + f"\n\n{refs}\n\n{notes}\n"


def make_photo(index: int, width: int = 1600, height: int = 1200, seed: int = 7, quality: int = 92) -> bytes:
    """A JPEG photo that compresses like a real one (noise over smooth colour), deterministic for its index."""
    rng = random.Random(seed * 100_003 + index)
    base = Image.new("RGB", (16, 12), tuple(rng.randrange(256) for _ in range(3)))
    for x in range(16):
        for y in range(12):
            base.putpixel((x, y), tuple(rng.randrange(256) for _ in range(3)))
    smooth = base.resize((width, height), Image.Resampling.BICUBIC)
    noise = Image.frombytes("L", (width, height), rng.randbytes(width * height)).convert("RGB")
    photo = Image.blend(smooth, noise, 0.25)
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=quality)
    return out.getvalue()


def make_article(words: int, photos: int = 0, seed: int = 1, photo_size: tuple[int, int] = (1600, 1200)) -> Article:
    """An article of about `words` words with `photos` generated photos, each captioned and credited."""
    names = [f"photo-{i:03d}.jpg" for i in range(photos)]
    assets = [
        ImageAsset.from_bytes(name, make_photo(i, *photo_size), alt=f"Photo {i}", caption=f"Caption {i}",
                              credit="photo by the bench", width=photo_size[0], height=photo_size[1])
        for i, name in enumerate(names)
    ]
    meta = Metadata(title=f"Benchmark article of {words} words", authors=["Bench Writer"], date="2026-01-01")
    return Article(body=make_markdown(words, seed, names), metadata=meta, assets=assets)


def make_bundle(folder: Path, words: int, photos: int, suffix: str = ".textbundle", seed: int = 1,
                photo_size: tuple[int, int] = (1600, 1200)) -> Path:
    """Save a generated article as a bundle in `folder` and return its path."""
    path = folder / f"bench-{words}w-{photos}p{suffix}"
    save_bundle(make_article(words, photos, seed, photo_size), path)
    return path


def make_large_jpeg(path: Path, megapixels: int = 24, seed: int = 3) -> Path:
    """A large camera-like JPEG (3:2) of about `megapixels` megapixels at `path`."""
    width = int((megapixels * 1_000_000 * 1.5) ** 0.5)
    height = width * 2 // 3
    path.write_bytes(make_photo(0, width, height, seed=seed, quality=90))
    return path
