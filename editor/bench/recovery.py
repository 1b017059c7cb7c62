"""`python -m editor.bench.recovery [--words N] [--photos N]`: what a recovery copy costs while the user types.

Opens a generated bundle (50,000 words and 100 photos by default) as the window does, then times
RecoveryStore.write for text-only changes, for a change that adds a photo held only in memory, and
load/describe_changes as the start-up dialog uses them. The baseline is saving the same bundle.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from editor.bench.corpus import make_bundle, make_photo
from editor.bench.report import Row, median, percentile, table
from editor.core.bundle import open_bundle, save_bundle
from editor.core.model import ImageAsset
from editor.core.recovery import RecoveryStore, describe_changes

TARGET_MS = 100.0


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def recovery_rows(work: Path, words: int = 50_000, photos: int = 100, repeat: int = 20,
                  suffix: str = ".textbundle") -> list[Row]:
    """Measure recovery copies of one generated bundle; the article read back is checked against the one written."""
    bundle = make_bundle(work, words, photos, suffix, photo_size=(1200, 800))
    opened = open_bundle(bundle)
    article = opened.article
    start = time.perf_counter()
    save_bundle(article, bundle, expected_fingerprint=opened.fingerprint)
    save_ms = _ms(start)
    fingerprint = opened.fingerprint
    store = RecoveryStore(work / f"recovery{suffix}")
    key = store.new_key()
    start = time.perf_counter()
    store.write(key, article, bundle, fingerprint)
    first_ms = _ms(start)
    typing = []
    for n in range(repeat):
        article.body += f" typed{n}"
        start = time.perf_counter()
        store.write(key, article, bundle, fingerprint)
        typing.append(_ms(start))
    article.assets.append(ImageAsset.from_bytes("pasted.jpg", make_photo(999, 1200, 800), caption="Pasted"))
    start = time.perf_counter()
    store.write(key, article, bundle, fingerprint)
    photo_ms = _ms(start)
    start = time.perf_counter()
    back = store.load(key)
    load_ms = _ms(start)
    if back != article or [a.data.read_bytes() for a in back.assets] != [a.data.read_bytes() for a in article.assets]:
        raise SystemExit("The recovery copy read back differs from the article written.")
    start = time.perf_counter()
    describe_changes(back, open_bundle(bundle).article)
    describe_ms = _ms(start)
    form = "folder" if suffix == ".textbundle" else "TextPack"
    what = f"{words:,} words, {photos} photos, {form}"
    save = f"saving the bundle ({save_ms:.0f} ms)"
    return [
        Row(f"recovery copy, text changed, median ({what})", median(typing), "ms", save, save_ms,
            f"< {TARGET_MS:g} ms", median(typing) < TARGET_MS),
        Row(f"recovery copy, text changed, 95th percentile ({what})", percentile(typing, 0.95), "ms", save, save_ms,
            f"< {TARGET_MS:g} ms", percentile(typing, 0.95) < TARGET_MS),
        Row(f"first recovery copy ({what})", first_ms, "ms", save, save_ms),
        Row(f"recovery copy with one pasted photo ({what})", photo_ms, "ms", save, save_ms),
        Row(f"reading the copy back ({what})", load_ms, "ms"),
        Row(f"describing the differences ({what})", describe_ms, "ms"),
    ]


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(prog="python -m editor.bench.recovery", description=__doc__)
    parser.add_argument("--words", type=int, default=50_000)
    parser.add_argument("--photos", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=20)
    options = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for suffix in (".textbundle", ".textpack"):
            rows += recovery_rows(Path(folder), options.words, options.photos, options.repeat, suffix)
    print(table(rows))


if __name__ == "__main__":
    main()
