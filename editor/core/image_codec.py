"""Decoding, checking, converting and encoding pictures for the import pipeline of editor.core.images.

Works on raw bytes and Pillow images only; the policy it carries out is described in editor.core.images.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageCms, ImageMath, ImageSequence, PngImagePlugin

from editor.core.errors import ImageError

if TYPE_CHECKING:
    from editor.core.images import ImportSettings

_OPEN_FORMATS = ["JPEG", "PNG", "GIF", "WEBP"]
OUTPUT_FORMAT = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "GIF": "GIF", "WEBP": "WEBP"}
MAX_ICC_BYTES = 512 * 1024
MAX_FRAMES = 1000

_ORIENTATION_TAG = 0x0112
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SIXTEEN_BIT = {"I;16", "I;16B", "I;16L", "I;16N", "I", "F"}
_XMP_ORIENTATION = re.compile(rb'(tiff:Orientation(?:="|>))[1-8]')


# ---------------------------------------------------------------- reading and guarding


def read_source(source: Path | bytes, limit: int, label: str) -> bytes:
    """The bytes of a file or buffer, refusing empty ones and ones above `limit` bytes."""
    too_big = f"{label} is larger than {_megabytes(limit)}, too large to import."
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    else:
        try:
            with open(source, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if size > limit:
                    raise ImageError(too_big)
                # Asking for limit + 1 bytes would allocate that much up front (5 ms for a 100 MB limit); the
                # stated size is enough, and the byte beyond it shows a file that grew or a size that was not
                # known (pipes), which is then read on up to the limit.
                data = handle.read(size + 1)
                if len(data) > size:
                    data += handle.read(limit + 1 - len(data))
        except OSError as exc:
            raise ImageError(f"{label} could not be read ({exc.strerror or exc}).") from None
    if len(data) > limit:
        raise ImageError(too_big)
    if not data:
        raise ImageError(f"{label} is empty.")
    return data


def _megabytes(count: int) -> str:
    return f"{count / (1024 * 1024):g} MB" if count >= 1024 * 1024 else f"{count} bytes"


@contextlib.contextmanager
def guarded(label: str, data: bytes) -> Iterator[None]:
    """Turn Pillow's many exception types, and its bomb warning, into one readable ImageError."""
    # catch_warnings changes process-wide state; the explicit pixel checks below keep the limits
    # in force even if another thread resets the filters meanwhile.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*[Cc]orrupt EXIF", category=UserWarning)
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except ImageError:
            raise
        except (Image.DecompressionBombWarning, Image.DecompressionBombError, MemoryError):
            raise ImageError(_too_many_pixels(label)) from None
        except Image.UnidentifiedImageError:
            raise ImageError(_unsupported(label, data)) from None
        except Exception as exc:
            # Damaged files surface as OSError, SyntaxError, ValueError, struct.error and more.
            raise ImageError(f"{label} could not be read because the file is damaged or incomplete.") from exc


_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")


def _unsupported(label: str, data: bytes) -> str:
    """Tell a damaged file of a known format from a file of another format."""
    if data.startswith(_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return f"{label} could not be read because the file is damaged or incomplete."
    return f"{label} is not a supported image (JPEG, PNG, GIF or WebP)."


def _too_many_pixels(label: str) -> str:
    limit = Image.MAX_IMAGE_PIXELS or 0
    return f"{label} has more than {limit:,} pixels, too many to import safely."


def _check_pixels(size: tuple[int, int], label: str) -> None:
    if size[0] < 1 or size[1] < 1:
        raise ImageError(f"{label} has no pixels.")
    limit = Image.MAX_IMAGE_PIXELS
    if limit is not None and size[0] * size[1] > limit:
        raise ImageError(_too_many_pixels(label))


def open_image(data: bytes, label: str) -> Image.Image:
    """Open a picture with the format allowlist and check its size; call inside guarded()."""
    im = Image.open(io.BytesIO(data), formats=_OPEN_FORMATS)
    try:
        if im.format not in OUTPUT_FORMAT:
            raise ImageError(_unsupported(label, b""))
        _check_pixels(im.size, label)
    except BaseException:
        im.close()
        raise
    return im


def orientation_of(im: Image.Image) -> int:
    """The EXIF orientation 1-8 of an opened picture; 1 when it is missing, invalid or unreadable."""
    try:
        value = im.getexif().get(_ORIENTATION_TAG, 1)
    except Exception:
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def fit(size: tuple[int, int], edge: int | None) -> tuple[int, int] | None:
    """The size after scaling down so the longest side is `edge`; None when no scaling is needed."""
    width, height = size
    if edge is None or max(width, height) <= edge:
        return None
    scale = edge / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def draft_jpeg(im: Image.Image, target: tuple[int, int] | None, oversample: int = 2) -> None:
    """Let libjpeg decode at 1/2, 1/4 or 1/8 size while staying at least `oversample` times the target size.

    libjpeg scales in the DCT domain, which filters like a proper downscale and skips most of the work of
    decoding; a proper resize afterwards brings the picture to the exact target size.
    """
    if target is not None and im.format in ("JPEG", "MPO"):
        im.draft(im.mode, (target[0] * oversample, target[1] * oversample))


# ---------------------------------------------------------------- pixel work


def _sixteen_to_eight(im: Image.Image) -> Image.Image:
    """16-bit grey to 8-bit by scaling (Pillow's own conversion clips), keeping a tRNS value as alpha."""
    wide = im.convert("I") if im.mode != "I" else im
    grey = wide.point(lambda v: v * (1 / 257) + 0.5).convert("L")
    transparent = im.info.get("transparency")
    if isinstance(transparent, int):
        alpha = ImageMath.lambda_eval(lambda a: (a["x"] != transparent) * 255, x=wide).convert("L")
        grey = Image.merge("LA", (grey, alpha))
    return grey


def _cmyk_to_rgb(im: Image.Image, icc: bytes | None) -> Image.Image:
    if icc:
        with contextlib.suppress(Exception):
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            return ImageCms.profileToProfile(im, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
    return im.convert("RGB")


def _icc_to_srgb(im: Image.Image, icc: bytes) -> Image.Image:
    if im.mode not in ("RGB", "RGBA"):
        return im
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(im, source, ImageCms.createProfile("sRGB"), outputMode=im.mode)
    except Exception:
        return im  # an unusable profile is dropped and the pixels kept as they are


def _has_alpha(im: Image.Image) -> bool:
    return im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info


def _normalise(im: Image.Image, fmt: str, resizing: bool, icc: bytes | None) -> Image.Image:
    """The frame in a mode the output format can store and that resizes well."""
    if im.mode == "CMYK":
        im = _cmyk_to_rgb(im, icc)
    elif im.mode in _SIXTEEN_BIT:
        im = _sixteen_to_eight(im)
    if fmt == "JPEG":
        return im if im.mode in ("L", "RGB") else im.convert("RGB")
    if fmt == "WEBP":
        return im if im.mode in ("RGB", "RGBA") else im.convert("RGBA" if _has_alpha(im) else "RGB")
    if im.mode in ("1", "L", "P", "RGB") and "transparency" in im.info and resizing:
        return im.convert("LA" if im.mode in ("1", "L") else "RGBA")
    if im.mode in ("1", "P") and resizing:
        return im.convert("L" if im.mode == "1" else "RGB")
    if im.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
        return im.convert("RGBA" if _has_alpha(im) else "RGB")
    return im


PARALLEL_PIXELS = 4_000_000  # below this a resize is quicker than starting threads for it
# Always this many bands, however many CPUs there are: a band's pixels can differ from a single resize's by a
# rounding step, so a band count that followed the machine would give the same photo other bytes (and hash).
BANDS = 4


def resize(im: Image.Image, target: tuple[int, int], resample: Image.Resampling) -> Image.Image:
    """Resize, in horizontal bands on several threads for large pictures (Pillow lets go of the GIL meanwhile).

    Each band is resampled from the whole picture (Pillow's `box`), so its edges take in the rows beyond them
    as a single resize would; values may differ from one by a rounding step, the same on every machine.
    """
    bands = min(BANDS, target[1])
    if bands < 2 or im.size[0] * im.size[1] < PARALLEL_PIXELS or im.mode not in ("L", "LA", "RGB", "RGBA"):
        return im.resize(target, resample)
    threads = min(bands, os.cpu_count() or 1)  # one CPU works through the same bands in turn
    width, height = target
    scale = im.size[1] / height
    edges = [round(height * i / bands) for i in range(bands + 1)]
    out = Image.new(im.mode, target, None)  # every row is pasted by one band below, so no fill is needed
    failures: list[BaseException] = []
    waiting = list(range(bands))
    lock = threading.Lock()

    def work() -> None:
        while True:
            with lock:
                if not waiting or failures:
                    return
                index = waiting.pop(0)
            top, bottom = edges[index], edges[index + 1]
            try:
                box = (0, top * scale, im.size[0], bottom * scale)
                # Each band pastes its own rows (disjoint from the others'), also without the GIL.
                out.paste(im.resize((width, bottom - top), resample, box=box), (0, top))
            except BaseException as exc:  # handed to the calling thread below
                with lock:
                    failures.append(exc)

    helpers = [threading.Thread(target=work, daemon=True) for _ in range(1, threads)]
    for helper in helpers:
        helper.start()
    work()
    for helper in helpers:
        helper.join()
    if failures:
        raise failures[0]
    return out


def process_frame(
    frame: Image.Image, fmt: str, target: tuple[int, int] | None, orientation: int, icc: bytes | None,
    resample: Image.Resampling = Image.Resampling.LANCZOS,
) -> Image.Image:
    """One frame converted, colour-corrected, scaled and turned upright, with no metadata left on it."""
    transparency = frame.info.get("transparency")
    im = _normalise(frame, fmt, target is not None, icc)
    if icc and len(icc) >= MAX_ICC_BYTES and frame.mode != "CMYK":
        im = _icc_to_srgb(im, icc)
    if target is not None and im.size != target:
        im = resize(im, target, resample)
    if orientation in _TRANSPOSE:
        im = im.transpose(_TRANSPOSE[orientation])
    if im is frame:
        im = frame.copy()
    im.info = {}
    if transparency is not None and im.mode == frame.mode and im.mode in ("1", "L", "P", "RGB"):
        im.info["transparency"] = transparency
    return im


def _gif_frame(im: Image.Image) -> Image.Image:
    """An RGBA frame with alpha made all-or-nothing, which is all GIF can show."""
    if im.mode != "RGBA":
        return im
    mask = im.getchannel("A").point(lambda a: 255 if a >= 128 else 0)
    return Image.composite(im.convert("RGB").convert("RGBA"), Image.new("RGBA", im.size, (0, 0, 0, 0)), mask)


# ---------------------------------------------------------------- metadata and encoding


def _webp_lossless(data: bytes) -> bool:
    """Whether a WebP file holds only lossless (VP8L) pictures, so re-encoding should stay lossless."""
    kinds: set[bytes] = set()

    def walk(start: int, end: int) -> None:
        pos = start
        while pos + 8 <= end:
            fourcc, size = data[pos:pos + 4], int.from_bytes(data[pos + 4:pos + 8], "little")
            if fourcc in (b"VP8 ", b"VP8L"):
                kinds.add(fourcc)
            elif fourcc == b"ANMF":
                walk(pos + 8 + 16, min(end, pos + 8 + size))  # 16 bytes of frame header, then its chunks
            pos += 8 + size + (size & 1)

    walk(12, len(data))
    return kinds == {b"VP8L"}


def _kept_metadata(im: Image.Image, settings: ImportSettings) -> tuple[bytes | None, bytes | None, bytes | None]:
    """(icc, exif, xmp) to write: a small ICC profile always, EXIF and XMP only when asked to keep them."""
    icc = im.info.get("icc_profile") or None
    if icc is not None and (len(icc) >= MAX_ICC_BYTES or im.mode == "CMYK"):
        icc = None  # already applied to the pixels
    if settings.strip_metadata:
        return icc, None, None
    exif = None
    with contextlib.suppress(Exception):
        tags = im.getexif()
        if _ORIENTATION_TAG in tags:
            tags[_ORIENTATION_TAG] = 1
        exif = tags.tobytes() if len(tags) else None
    xmp = im.info.get("xmp") or None
    if isinstance(xmp, str):
        xmp = xmp.encode("utf-8")
    if xmp is not None:
        xmp = _XMP_ORIENTATION.sub(rb"\g<1>1", xmp)
    return icc, exif, xmp


def _save_options(fmt: str, settings: ImportSettings, lossless: bool, icc: bytes | None,
                  exif: bytes | None, xmp: bytes | None) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if fmt == "JPEG":
        # Optimised Huffman tables take a second pass over the picture: 7% smaller files, but 25 ms more on
        # a 4-megapixel photo, which would put a 24-megapixel import over 300 ms. Progressive JPEG always
        # optimises them.
        options.update(quality=settings.jpeg_quality, optimize=False, progressive=settings.progressive)
    elif fmt == "PNG":
        options.update(optimize=True)
        if xmp:
            text = PngImagePlugin.PngInfo()
            text.add_itxt("XML:com.adobe.xmp", xmp.decode("utf-8", "replace"))
            options["pnginfo"] = text
            xmp = None
    elif fmt == "WEBP":
        if lossless:
            options["lossless"] = True
        else:
            options["quality"] = settings.jpeg_quality
    elif fmt == "GIF":
        options.update(optimize=True)
        return options  # GIF has no place for a profile or EXIF
    if icc:
        options["icc_profile"] = icc
    if exif:
        options["exif"] = exif
    if xmp:
        options["xmp"] = xmp
    return options


def _read_frames(im: Image.Image, label: str) -> Iterator[tuple[Image.Image, float]]:
    """Every frame with its duration, refusing animations that are too long or too big in total."""
    count = getattr(im, "n_frames", 1)
    if count > MAX_FRAMES:
        raise ImageError(f"{label} has {count:,} frames; at most {MAX_FRAMES:,} can be imported.")
    limit = Image.MAX_IMAGE_PIXELS
    total = 0
    for frame in ImageSequence.Iterator(im):
        _check_pixels(frame.size, label)
        total += frame.size[0] * frame.size[1]
        if limit is not None and total > limit:
            raise ImageError(_too_many_pixels(label))
        frame.load()
        yield frame, float(frame.info.get("duration") or 0)


def encode(im: Image.Image, data: bytes, label: str, settings: ImportSettings) -> tuple[bytes, str, tuple[int, int]]:
    """Re-encode an opened picture (all its frames) by the settings: (bytes, format, (width, height))."""
    fmt = OUTPUT_FORMAT[im.format or ""]
    orientation = orientation_of(im)
    target = fit(im.size, settings.max_edge)
    icc, exif, xmp = _kept_metadata(im, settings)
    source_icc = im.info.get("icc_profile") or None
    options = _save_options(fmt, settings, fmt == "WEBP" and _webp_lossless(data), icc, exif, xmp)
    out = io.BytesIO()
    animated = fmt != "JPEG" and getattr(im, "n_frames", 1) > 1
    if not animated:
        # The output is at most the target size, so decoding at (at least) the target size is enough.
        full_size = im.size
        draft_jpeg(im, target, oversample=1)
        im.load()
        # After a draft less than a halving is left, where bicubic matches Lanczos (measured: the same PSNR
        # against a full-size decode and Lanczos resize) at three quarters of the cost. Bilinear would save
        # another 25 ms on a 24-megapixel photo, but text and fine lines come out visibly softer.
        resample = Image.Resampling.BICUBIC if im.size != full_size else Image.Resampling.LANCZOS
        picture = process_frame(im, fmt, target, orientation, source_icc, resample)
        if fmt == "GIF":
            picture = _gif_frame(picture)
        picture.save(out, fmt, **options)
        return out.getvalue(), fmt, picture.size

    loop = im.info.get("loop")
    frames: list[Image.Image] = []
    durations: list[int] = []
    for frame, duration in _read_frames(im, label):
        rgba = frame.convert("RGBA")
        frames.append(process_frame(rgba, fmt, target, orientation, source_icc))
        durations.append(round(duration))
    if all(f.getchannel("A").getextrema() == (255, 255) for f in frames):
        frames = [f.convert("RGB") for f in frames]
    elif fmt == "GIF":
        frames = [_gif_frame(f) for f in frames]
        options["disposal"] = 2  # clear each frame first, or transparent areas would show the last one
    options.update(save_all=True, append_images=frames[1:], duration=durations)
    if loop is not None:
        options["loop"] = loop
    frames[0].save(out, fmt, **options)
    return out.getvalue(), fmt, frames[0].size
