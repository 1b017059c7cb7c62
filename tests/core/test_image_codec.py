"""The decoding and encoding helpers behind the image import: limits, sizes, orientation, guarded errors."""

import io
import warnings

import pytest
from PIL import ExifTags, Image, ImageChops

from editor.core import image_codec
from editor.core.errors import ImageError
from editor.core.images import ImportSettings


def encode(im: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    im.save(out, fmt, **options)
    return out.getvalue()


def animated_gif(count: int) -> bytes:
    frames = [Image.new("L", (8, 8), 40 * i) for i in range(count)]
    return encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=40)


def encode_via_codec(data: bytes) -> bytes:
    with image_codec.guarded("“a.gif”", data), image_codec.open_image(data, "“a.gif”") as im:
        return image_codec.encode(im, data, "“a.gif”", ImportSettings())[0]


@pytest.mark.parametrize(
    ("size", "edge", "expected"),
    [((4000, 3000), 2560, (2560, 1920)), ((3000, 4000), 100, (75, 100)), ((100, 50), 100, None),
     ((100, 50), None, None), ((10_000, 1), 100, (100, 1))],
)
def test_fit_only_ever_scales_down_and_keeps_at_least_a_pixel(size, edge, expected):
    assert image_codec.fit(size, edge) == expected


def test_frame_count_limit(monkeypatch):
    monkeypatch.setattr(image_codec, "MAX_FRAMES", 2)
    with pytest.raises(ImageError, match=r"^“a\.gif” has 3 frames; at most 2 can be imported\.$"):
        encode_via_codec(animated_gif(3))
    assert Image.open(io.BytesIO(encode_via_codec(animated_gif(2)))).n_frames == 2


@pytest.mark.parametrize(("value", "expected"), [(6, 6), (8, 8), (0, 1), (9, 1), (None, 1)])
def test_orientation_of_accepts_only_the_eight_real_values(value, expected):
    exif = Image.Exif()
    if value is not None:
        exif[ExifTags.Base.Orientation] = value
    im = Image.open(io.BytesIO(encode(Image.new("RGB", (4, 2)), "JPEG", exif=exif.tobytes())))
    assert image_codec.orientation_of(im) == expected


def test_read_source_refuses_folders_with_a_sentence(tmp_path):
    with pytest.raises(ImageError, match=r"^“x” could not be read \("):
        image_codec.read_source(tmp_path, 1000, "“x”")


def test_read_source_accepts_buffers_up_to_the_limit():
    assert image_codec.read_source(bytearray(b"abc"), 3, "x") == b"abc"
    with pytest.raises(ImageError, match="too large"):
        image_codec.read_source(memoryview(b"abcd"), 3, "x")


def test_read_source_reads_past_a_stated_size_that_is_too_small_but_keeps_the_limit(tmp_path, monkeypatch):
    # A file that grows after it was measured, or a pipe that states no size at all.
    path = tmp_path / "growing.jpg"
    path.write_bytes(b"0123456789")
    monkeypatch.setattr(image_codec.os, "fstat", lambda _fd: type("Stat", (), {"st_size": 3})())
    assert image_codec.read_source(path, 10, "x") == b"0123456789"
    with pytest.raises(ImageError, match=r"^x is larger than 9 bytes, too large to import\."):
        image_codec.read_source(path, 9, "x")


def test_guarded_turns_unexpected_decoder_errors_into_one_sentence():
    damaged = r"^“a\.gif” could not be read because the file is damaged"
    with pytest.raises(ImageError, match=damaged) as caught, image_codec.guarded("“a.gif”", b""):
        raise SyntaxError("broken chunk")
    assert isinstance(caught.value.__cause__, SyntaxError)


def test_guarded_leaves_other_warnings_alone():
    with pytest.warns(DeprecationWarning), image_codec.guarded("x", b""):
        warnings.warn("unrelated", DeprecationWarning, stacklevel=1)


# ---------------------------------------------------------------- resizing large pictures in bands


@pytest.mark.parametrize("mode", ["RGB", "L", "RGBA", "LA"])
def test_a_resize_in_bands_matches_a_single_resize(mode, monkeypatch):
    monkeypatch.setattr(image_codec, "PARALLEL_PIXELS", 1)
    monkeypatch.setattr(image_codec.os, "cpu_count", lambda: 3)
    im = Image.effect_noise((301, 203), 80).convert(mode)
    banded = image_codec.resize(im, (120, 81), Image.Resampling.LANCZOS)
    single = im.resize((120, 81), Image.Resampling.LANCZOS)
    assert banded.mode == mode and banded.size == (120, 81)
    extrema = ImageChops.difference(banded.convert("RGBA"), single.convert("RGBA")).getextrema()
    assert max(high for _low, high in extrema) <= 2  # seams differ only by rounding of the band edges


def test_a_resize_gives_the_same_pixels_whatever_the_number_of_cpus(monkeypatch):
    monkeypatch.setattr(image_codec, "PARALLEL_PIXELS", 1)
    im = Image.effect_noise((301, 203), 80).convert("RGB")
    results = []
    for cpus in (1, 2, 3, 8):
        monkeypatch.setattr(image_codec.os, "cpu_count", lambda cpus=cpus: cpus)
        results.append(image_codec.resize(im, (120, 81), Image.Resampling.BICUBIC).tobytes())
    assert results[0] == results[1] == results[2] == results[3]


def test_a_failure_in_a_band_reaches_the_caller(monkeypatch):
    monkeypatch.setattr(image_codec, "PARALLEL_PIXELS", 1)
    monkeypatch.setattr(image_codec.os, "cpu_count", lambda: 2)
    real = Image.Image.resize

    def failing(self, size, *args, **kwargs):
        if kwargs.get("box", (0, 0))[1] > 0:
            raise MemoryError
        return real(self, size, *args, **kwargs)

    monkeypatch.setattr(Image.Image, "resize", failing)
    with pytest.raises(MemoryError):
        image_codec.resize(Image.new("RGB", (100, 100)), (50, 50), Image.Resampling.BICUBIC)
