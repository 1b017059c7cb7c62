"""The image import pipeline: formats, orientation, privacy, colour modes, animation, bombs, names, dedup."""

import io
import struct
import zlib

import pytest
from PIL import (
    EpsImagePlugin,
    ExifTags,
    Image,
    ImageCms,
    ImageSequence,
    JpegImagePlugin,
    PngImagePlugin,
    TiffImagePlugin,
)

from editor.core import images
from editor.core.errors import ImageError
from editor.core.images import (
    ImportSettings,
    add_image,
    asset_name_for,
    image_size,
    import_as_asset,
    import_image,
    make_thumbnail,
)
from editor.core.model import Article, AssetData, ImageAsset, sha256_hex

RED, GREEN, BLUE, WHITE = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)

# What undoes each EXIF orientation: the picture a camera stores is the upright one turned by this.
_STORED_AS = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def encode(im: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    im.save(out, fmt, **options)
    return out.getvalue()


def reopen(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def quadrants(width: int = 32, height: int = 16) -> Image.Image:
    """Red, green / blue, white: any flip or turn moves a colour to another corner."""
    im = Image.new("RGB", (width, height), WHITE)
    im.paste(RED, (0, 0, width // 2, height // 2))
    im.paste(GREEN, (width // 2, 0, width, height // 2))
    im.paste(BLUE, (0, height // 2, width // 2, height))
    return im


def nearest(colour: tuple[int, ...]) -> tuple[int, int, int]:
    return min((RED, GREEN, BLUE, WHITE), key=lambda c: sum((a - b) ** 2 for a, b in zip(c, colour[:3], strict=True)))


def corners(im: Image.Image) -> list[tuple[int, int, int]]:
    w, h = im.size
    rgb = im.convert("RGB")
    return [nearest(rgb.getpixel((x, y))) for x, y in ((w // 4, h // 4), (3 * w // 4, h // 4), (w // 4, 3 * h // 4))]


def exif_bytes(**tags) -> bytes:
    exif = Image.Exif()
    for key, value in tags.items():
        exif[getattr(ExifTags.Base, key)] = value
    return exif.tobytes()


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def sixteen_bit_png(colour_type: int, pixel: bytes, width: int = 4, height: int = 2) -> bytes:
    """A 16-bit PNG of one repeated pixel (Pillow cannot write 16-bit colour with alpha itself)."""
    rows = b"".join(b"\0" + pixel * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 16, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", zlib.compress(rows))
            + png_chunk(b"IEND", b""))


def frames_of(data: bytes) -> list[tuple[Image.Image, int]]:
    im = reopen(data)
    out = []
    for frame in ImageSequence.Iterator(im):
        frame.load()
        out.append((frame.convert("RGBA"), frame.info.get("duration")))
    return out


# ---------------------------------------------------------------- orientation


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_ends_upright(orientation):
    upright = quadrants()
    turn = _STORED_AS[orientation]
    stored = upright if turn is None else upright.transpose(turn)
    data = encode(stored, "JPEG", quality=95, exif=exif_bytes(Orientation=orientation))
    result = import_image(data)
    im = reopen(result.data)
    assert im.size == (result.width, result.height) == upright.size
    assert corners(im) == [RED, GREEN, BLUE]
    assert im.getexif().get(ExifTags.Base.Orientation) is None


def test_two_pixel_picture_turned_by_exif_keeps_red_on_the_left():
    stored = Image.new("RGB", (1, 2))
    stored.putpixel((0, 0), RED)  # (red, blue) turned a quarter clockwise
    stored.putpixel((0, 1), BLUE)
    data = encode(stored, "PNG", exif=exif_bytes(Orientation=8))
    im = reopen(import_image(data).data).convert("RGB")
    assert im.size == (2, 1)
    assert im.getpixel((0, 0)) == RED and im.getpixel((1, 0)) == BLUE


def test_kept_exif_has_orientation_reset_after_turning():
    data = encode(quadrants(), "JPEG", exif=exif_bytes(Orientation=6, Artist="Jane Roe"))
    im = reopen(import_image(data, ImportSettings(strip_metadata=False)).data)
    assert im.size == (16, 32)
    assert im.getexif()[ExifTags.Base.Orientation] == 1
    assert im.getexif()[ExifTags.Base.Artist] == "Jane Roe"


# ---------------------------------------------------------------- privacy


def identifying_jpeg() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = "Jane Roe"
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (55.0, 45.0, 21.0)
    details = exif.get_ifd(ExifTags.IFD.Exif)
    details[ExifTags.Base.BodySerialNumber] = "SN-123456"
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>'
           b"<exif:GPSLatitude>55,45N</exif:GPSLatitude></rdf:RDF></x:xmpmeta>")
    return encode(quadrants(), "JPEG", exif=exif.tobytes(), xmp=xmp, comment=b"shot at home")


def test_gps_serial_owner_xmp_and_comment_are_stripped_by_default():
    data = identifying_jpeg()
    assert b"SN-123456" in data and b"55,45N" in data
    out = import_image(data).data
    im = reopen(out)
    assert len(im.getexif()) == 0
    assert "xmp" not in im.info and "comment" not in im.info
    for secret in (b"SN-123456", b"Jane Roe", b"55,45N", b"shot at home", b"PhoneMaker"):
        assert secret not in out


def test_exif_and_xmp_are_kept_when_asked():
    im = reopen(import_image(identifying_jpeg(), ImportSettings(strip_metadata=False)).data)
    exif = im.getexif()
    assert exif[ExifTags.Base.Artist] == "Jane Roe"
    assert exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
    assert exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] == "SN-123456"
    assert b"55,45N" in im.info["xmp"]


def test_xmp_orientation_is_reset_with_the_pixels():
    xmp = b'<rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Orientation="6"/>'
    data = encode(quadrants(), "JPEG", exif=exif_bytes(Orientation=6), xmp=xmp)
    im = reopen(import_image(data, ImportSettings(strip_metadata=False)).data)
    assert b'tiff:Orientation="1"' in im.info["xmp"]


def test_png_keeps_xmp_only_when_asked():
    xmp = '<x:xmpmeta xmlns:x="adobe:ns:meta/">credit line</x:xmpmeta>'
    text = PngImagePlugin.PngInfo()
    text.add_itxt("XML:com.adobe.xmp", xmp)
    text.add_text("Comment", "private note")
    data = encode(quadrants(), "PNG", pnginfo=text)
    assert "xmp" not in reopen(import_image(data).data).info
    kept = reopen(import_image(data, ImportSettings(strip_metadata=False)).data)
    assert "credit line" in str(kept.info["xmp"])
    assert "Comment" not in kept.info


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def test_small_colour_profile_is_kept():
    icc = srgb_profile()
    out = reopen(import_image(encode(quadrants(), "JPEG", icc_profile=icc)).data)
    assert out.info["icc_profile"] == icc


def test_huge_colour_profile_is_dropped():
    icc = srgb_profile() + bytes(images.MAX_ICC_BYTES)
    result = import_image(encode(quadrants(), "PNG", icc_profile=icc))
    im = reopen(result.data)
    assert "icc_profile" not in im.info
    assert corners(im) == [RED, GREEN, BLUE]


# ---------------------------------------------------------------- colour modes


def test_cmyk_jpeg_becomes_rgb_with_its_colours():
    cmyk = Image.new("CMYK", (16, 16), (0, 255, 255, 0))
    result = import_image(encode(cmyk, "JPEG"))
    im = reopen(result.data)
    assert result.format == "JPEG" and im.mode == "RGB"
    assert nearest(im.getpixel((8, 8))) == RED


def test_sixteen_bit_grey_png_is_scaled_to_eight_bits():
    im = Image.new("I;16", (4, 1))
    for x, value in enumerate((0, 1000, 32896, 65535)):
        im.putpixel((x, 0), value)
    out = reopen(import_image(encode(im, "PNG")).data)
    assert out.mode == "L"
    assert [out.getpixel((x, 0)) for x in range(4)] == [0, 4, 128, 255]


def test_sixteen_bit_grey_png_keeps_its_transparent_value():
    im = Image.new("I;16", (3, 1))
    for x, value in enumerate((0, 1000, 65535)):
        im.putpixel((x, 0), value)
    out = reopen(import_image(encode(im, "PNG", transparency=1000)).data).convert("LA")
    assert [out.getpixel((x, 0))[1] for x in range(3)] == [255, 0, 255]


@pytest.mark.parametrize(
    ("colour_type", "pixel", "expected"),
    [(6, struct.pack(">4H", 65535, 0, 0, 0), (0, 0)), (6, struct.pack(">4H", 0, 65535, 0, 65535), (255, 255)),
     (4, struct.pack(">2H", 65535, 0), (0, 0)), (4, struct.pack(">2H", 65535, 65535), (255, 255))],
)
def test_sixteen_bit_png_with_alpha_keeps_transparency(colour_type, pixel, expected):
    result = import_image(sixteen_bit_png(colour_type, pixel))
    im = reopen(result.data).convert("RGBA")
    assert result.format == "PNG"
    assert im.getpixel((0, 0))[3] == expected[0]


def test_png_transparency_survives_import_and_downscale():
    im = quadrants(64, 32).convert("RGBA")
    im.paste((0, 0, 0, 0), (0, 0, 32, 32))
    for settings in (ImportSettings(), ImportSettings(max_edge=16)):
        out = reopen(import_image(encode(im, "PNG"), settings).data).convert("RGBA")
        w, h = out.size
        assert out.getpixel((w // 4, h // 2))[3] == 0
        assert out.getpixel((3 * w // 4, h // 4)) == (0, 255, 0, 255)


@pytest.mark.parametrize("max_edge", [None, 8])
def test_palette_png_with_transparent_index_keeps_it(max_edge):
    im = Image.new("P", (16, 16), 1)
    im.putpalette([0, 0, 0, 255, 0, 0])
    im.paste(0, (0, 0, 8, 16))
    out = reopen(import_image(encode(im, "PNG", transparency=0), ImportSettings(max_edge=max_edge)).data)
    rgba = out.convert("RGBA")
    w, h = rgba.size
    assert rgba.getpixel((0, 0))[3] == 0
    assert rgba.getpixel((w - 1, h - 1)) == (255, 0, 0, 255)


def test_grey_and_grey_alpha_pictures_import():
    assert reopen(import_image(encode(Image.new("L", (8, 8), 90), "JPEG")).data).mode == "L"
    la = Image.new("LA", (8, 8), (90, 0))
    assert reopen(import_image(encode(la, "PNG")).data).convert("LA").getpixel((0, 0))[1] == 0


# ---------------------------------------------------------------- animation


def animation(fmt: str, count: int = 3, size: tuple[int, int] = (32, 16), holes: bool = False) -> bytes:
    colours = [RED, GREEN, BLUE, WHITE]
    frames = []
    for i in range(count):
        frame = Image.new("RGBA", size, (*colours[i % 4], 255))
        if holes:  # GIF only keeps transparency that the first frame already has
            frame.paste((0, 0, 0, 0), (size[0] - 1, 0, size[0], size[1]))
        if holes and i == 1:
            frame.paste((0, 0, 0, 0), (0, 0, size[0] // 2, size[1]))
        frames.append(frame)
    durations = [100 * (i + 1) for i in range(count)]
    options = {"save_all": True, "append_images": frames[1:], "duration": durations, "loop": 0}
    if fmt == "GIF" and holes:
        options["disposal"] = 2
    return encode(frames[0], fmt, **options)


@pytest.mark.parametrize("fmt", ["GIF", "WEBP", "PNG"])
def test_animations_keep_every_frame_and_its_duration(fmt):
    result = import_image(animation(fmt))
    assert result.format == fmt
    assert import_image(animation(fmt)).data == result.data
    frames = frames_of(result.data)
    assert [nearest(f.getpixel((4, 4))) for f, _ in frames] == [RED, GREEN, BLUE]
    assert [d for _, d in frames] == [100, 200, 300]
    assert reopen(result.data).info.get("loop") == 0


@pytest.mark.parametrize("fmt", ["GIF", "WEBP", "PNG"])
def test_animations_are_downscaled_frame_by_frame(fmt):
    result = import_image(animation(fmt, size=(64, 32)), ImportSettings(max_edge=16))
    assert (result.width, result.height) == (16, 8)
    frames = frames_of(result.data)
    assert len(frames) == 3 and all(f.size == (16, 8) for f, _ in frames)


def test_animated_gif_keeps_transparent_areas_of_later_frames():
    source = animation("GIF", holes=True)
    assert frames_of(source)[1][0].getpixel((2, 4))[3] == 0
    frames = frames_of(import_image(source).data)
    second = frames[1][0]
    assert second.getpixel((2, 4))[3] == 0
    assert nearest(second.getpixel((30, 4))) == GREEN


def test_gif_without_loop_still_plays_once():
    frames = [Image.new("P", (8, 8), i) for i in range(2)]
    for frame in frames:
        frame.putpalette([0, 0, 0, 255, 255, 255])
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=50)
    out = reopen(import_image(data).data)
    assert out.n_frames == 2 and "loop" not in out.info


def test_multi_picture_jpeg_keeps_its_main_picture_as_jpeg():
    second = Image.new("RGB", (32, 16), BLUE)
    data = encode(quadrants(), "MPO", save_all=True, append_images=[second])
    assert reopen(data).format == "MPO"
    result = import_image(data)
    assert result.format == "JPEG" and result.extension == "jpg"
    assert corners(reopen(result.data)) == [RED, GREEN, BLUE]


# ---------------------------------------------------------------- hostile input


def test_bomb_warning_is_an_error(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    data = encode(Image.new("RGB", (40, 40)), "PNG")  # 1,600 pixels: Pillow only warns
    with pytest.raises(ImageError, match="too many to import safely"):
        import_image(data)
    with pytest.raises(ImageError, match="too many"):
        image_size(data)
    with pytest.raises(ImageError, match="too many"):
        make_thumbnail(data)


def test_bomb_spread_over_frames_is_refused(monkeypatch):
    data = animation("GIF", count=3, size=(20, 20))
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # each frame fits, all three do not
    with pytest.raises(ImageError, match="too many"):
        import_image(data)


def test_bomb_hidden_in_a_later_frame_is_refused(monkeypatch):
    frames = [Image.new("L", (8, 8), 0), Image.new("L", (8, 8), 200)]
    data = bytearray(encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=50))
    descriptor = b"\x2c\0\0\0\0\x08\0\x08\0"  # image at (0, 0), 8 x 8
    second = data.index(descriptor, data.index(descriptor) + 1)
    data[second + 5:second + 9] = struct.pack("<HH", 40, 40)  # the second frame now claims 40 x 40
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    assert reopen(bytes(data)).size == (8, 8)
    with pytest.raises(ImageError, match="too many to import safely"):
        import_image(bytes(data))


def test_header_claiming_ten_billion_pixels_is_refused():
    real = encode(Image.new("L", (1, 1)), "PNG")
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    forged = real[:8] + png_chunk(b"IHDR", header) + real[8 + 25:]
    with pytest.raises(ImageError, match="too many to import safely"):
        import_image(forged)


def test_file_larger_than_the_limit_is_refused_unread(tmp_path):
    path = tmp_path / "big.png"
    path.write_bytes(encode(quadrants(), "PNG"))
    settings = ImportSettings(max_file_bytes=50)
    with pytest.raises(ImageError, match=r"“big\.png” is larger than 50 bytes"):
        import_image(path, settings)
    with pytest.raises(ImageError, match="too large"):
        import_image(path.read_bytes(), settings)


def test_truncated_jpeg_is_refused_in_one_sentence():
    data = encode(quadrants(256, 256), "JPEG")
    with pytest.raises(ImageError, match=r"^The image data could not be read because the file is damaged"):
        import_image(data[: len(data) // 2])


def test_truncated_png_is_refused():
    data = encode(Image.effect_noise((64, 64), 50), "PNG")
    with pytest.raises(ImageError, match="damaged or incomplete"):
        import_image(data[: len(data) - 40])


def test_random_bytes_are_not_an_image():
    noise = bytes((i * 7919 + 13) % 251 for i in range(4096))
    with pytest.raises(ImageError, match=r"not a supported image \(JPEG, PNG, GIF or WebP\)\.$"):
        import_image(noise)


@pytest.mark.parametrize("fmt", ["EPS", "TIFF", "BMP", "PDF", "ICO", "PPM", "TGA"])
def test_other_formats_are_refused_without_reaching_their_decoder(fmt, monkeypatch):
    data = encode(Image.new("RGB", (16, 16), RED), fmt)
    reached = []
    monkeypatch.setattr(EpsImagePlugin.EpsImageFile, "_open", lambda self: reached.append(self))
    with pytest.raises(ImageError, match="not a supported image"):
        import_image(data)
    with pytest.raises(ImageError, match="not a supported image"):
        make_thumbnail(data)
    assert reached == []


def test_svg_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    with pytest.raises(ImageError, match="not a supported image"):
        import_image(svg)


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "blank.jpg"
    path.write_bytes(b"")
    with pytest.raises(ImageError, match=r"^“blank\.jpg” is empty\.$"):
        import_image(path)
    with pytest.raises(ImageError, match="empty"):
        image_size(b"")


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(ImageError, match=r"“gone\.png” could not be read"):
        import_image(tmp_path / "gone.png")


@pytest.mark.parametrize("size", [(0, 1), (1, 0), (0, 0)])
def test_png_without_pixels_is_refused(size):
    real = encode(Image.new("L", (1, 1)), "PNG")
    header = struct.pack(">IIBBBBB", *size, 8, 0, 0, 0, 0)
    with pytest.raises(ImageError, match="damaged or incomplete"):
        import_image(real[:8] + png_chunk(b"IHDR", header) + real[8 + 25:])


def test_jpeg_without_pixels_is_refused():
    data = bytearray(encode(Image.new("RGB", (8, 8)), "JPEG"))
    frame = data.find(b"\xff\xc0")
    data[frame + 5:frame + 7] = b"\0\0"  # height in the frame header
    with pytest.raises(ImageError, match="damaged or incomplete"):
        import_image(bytes(data))


def corrupt_exif_cases() -> dict[str, bytes]:
    zero_dpi = Image.Exif()
    zero_dpi[ExifTags.Base.XResolution] = TiffImagePlugin.IFDRational(1, 0)
    zero_dpi[ExifTags.Base.YResolution] = TiffImagePlugin.IFDRational(72, 0)
    zero_dpi[ExifTags.Base.ResolutionUnit] = 2
    return {
        "divide-by-zero dpi": zero_dpi.tobytes(),
        "orientation 9": exif_bytes(Orientation=9),
        "orientation 0": exif_bytes(Orientation=0),
        "truncated": exif_bytes(Orientation=6, Artist="x")[:20],
        "bad offset": b"Exif\x00\x00MM\x00*\x00\x00\xff\xff",
        "garbage": b"Exif\x00\x00" + bytes(range(256)),
    }


@pytest.mark.parametrize("case", sorted(corrupt_exif_cases()))
@pytest.mark.parametrize("strip", [True, False])
def test_corrupt_exif_does_not_stop_a_good_picture(case, strip):
    data = encode(quadrants(), "JPEG", quality=95, exif=corrupt_exif_cases()[case])
    result = import_image(data, ImportSettings(strip_metadata=strip))
    im = reopen(result.data)
    assert im.size == (32, 16)
    assert corners(im) == [RED, GREEN, BLUE]


# ---------------------------------------------------------------- size, format, determinism


def test_large_picture_is_downscaled_to_max_edge():
    result = import_image(encode(quadrants(300, 200), "PNG"), ImportSettings(max_edge=150))
    assert (result.width, result.height) == reopen(result.data).size == (150, 100)


def test_small_picture_is_never_upscaled():
    result = import_image(encode(quadrants(100, 50), "JPEG"))
    assert (result.width, result.height) == (100, 50)


def test_no_max_edge_keeps_the_size():
    result = import_image(encode(quadrants(300, 200), "JPEG"), ImportSettings(max_edge=None))
    assert (result.width, result.height) == (300, 200)


def test_downscaled_jpeg_is_decoded_at_reduced_size_but_at_least_the_target(monkeypatch):
    requested = []
    original = JpegImagePlugin.JpegImageFile.draft

    def spy(self, mode, size):
        requested.append(size)
        return original(self, mode, size)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    data = encode(quadrants(1600, 800), "JPEG")
    result = import_image(data, ImportSettings(max_edge=100))
    assert requested == [(100, 50)]
    assert (result.width, result.height) == (100, 50)
    assert corners(reopen(result.data)) == [RED, GREEN, BLUE]


def test_jpeg_quality_setting_is_used():
    data = encode(Image.effect_noise((128, 128), 60).convert("RGB"), "JPEG", quality=100)
    low = import_image(data, ImportSettings(jpeg_quality=20))
    high = import_image(data, ImportSettings(jpeg_quality=95))
    assert len(low.data) < len(high.data)


@pytest.mark.parametrize(("fmt", "extension"), [("JPEG", "jpg"), ("PNG", "png"), ("GIF", "gif"), ("WEBP", "webp")])
def test_format_is_kept_and_import_is_deterministic(fmt, extension):
    data = encode(quadrants(), fmt)
    first, second = import_image(data), import_image(data)
    assert (first.format, first.extension) == (fmt, extension)
    assert reopen(first.data).format == fmt
    assert first.data == second.data
    assert first.sha256 == sha256_hex(first.data)


def test_lossless_webp_stays_lossless():
    data = encode(quadrants(), "WEBP", lossless=True)
    out = reopen(import_image(data).data).convert("RGB")
    assert out.getpixel((0, 0)) == RED and out.getpixel((31, 15)) == WHITE


def test_path_source_reads_the_file(tmp_path):
    path = tmp_path / "Photo.JPG"
    path.write_bytes(encode(quadrants(), "JPEG"))
    assert import_image(path).format == "JPEG"


@pytest.mark.parametrize("bad", [{"max_edge": 0}, {"jpeg_quality": 0}, {"jpeg_quality": 101}, {"max_file_bytes": 0}])
def test_nonsense_settings_are_rejected(bad):
    with pytest.raises(ValueError):
        ImportSettings(**bad)


# ---------------------------------------------------------------- size, thumbnail


def test_image_size_reads_the_header_and_applies_orientation():
    data = encode(Image.effect_noise((400, 200), 60), "JPEG", exif=exif_bytes(Orientation=6))
    assert image_size(data) == (200, 400)
    assert image_size(data[: len(data) // 2]) == (200, 400)  # pixels need not be there
    assert image_size(encode(quadrants(40, 20), "WEBP")) == (40, 20)


def test_image_size_refuses_what_is_not_an_image():
    with pytest.raises(ImageError, match="not a supported image"):
        image_size(b"%PDF-1.4 hello")


@pytest.mark.parametrize(("size", "source", "expected"), [(256, (600, 300), (256, 128)), (64, (30, 90), (21, 64)),
                                                         (256, (40, 20), (40, 20))])
def test_thumbnail_is_png_within_the_size(size, source, expected):
    thumb = reopen(make_thumbnail(encode(quadrants(*source), "JPEG"), size))
    assert thumb.format == "PNG"
    assert thumb.size == expected


def test_thumbnail_is_upright_and_keeps_transparency():
    data = encode(quadrants(64, 32), "JPEG", exif=exif_bytes(Orientation=3))
    assert corners(reopen(make_thumbnail(data, 16))) == [WHITE, BLUE, GREEN]
    clear = encode(Image.new("RGBA", (64, 64), (0, 0, 0, 0)), "PNG")
    assert reopen(make_thumbnail(clear, 16)).convert("RGBA").getpixel((8, 8))[3] == 0


def test_thumbnail_of_cmyk_and_animation():
    assert reopen(make_thumbnail(encode(Image.new("CMYK", (32, 32), (0, 255, 255, 0)), "JPEG"))).mode == "RGB"
    assert reopen(make_thumbnail(animation("GIF"), 8)).size == (8, 4)


def test_thumbnail_refuses_damaged_data_and_nonsense_size():
    with pytest.raises(ImageError):
        make_thumbnail(b"\xff\xd8\xff\xe0garbage")
    with pytest.raises(ValueError):
        make_thumbnail(encode(quadrants(), "PNG"), 0)


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("original", "extension", "expected"),
    [
        ("Putin Meets Choe.JPG", "jpg", "putin-meets-choe.jpg"),
        ("IMG_0042.HEIC.jpeg", "jpg", "img-0042-heic.jpg"),
        ("holiday.png", "jpg", "holiday.jpg"),  # the real format wins over the suffix
        ("Café déjà vu.webp", "webp", "cafe-deja-vu.webp"),
        ("C:\\Users\\Jane\\Desktop\\Map (final).gif", "gif", "map-final.gif"),
        ("/home/jane/Pictures/Press Photo.PNG", "png", "press-photo.png"),
        ("", "jpg", "image.jpg"),
        (".jpg", "jpg", "image.jpg"),
        ("???.png", "png", "image.png"),
        ("con.png", "png", "con-image.png"),
        ("photo", "JPG", "photo.jpg"),
    ],
)
def test_asset_names_are_safe_readable_lower_case(original, extension, expected):
    assert asset_name_for(original, extension, set()) == expected


def test_asset_names_are_unique_ignoring_case():
    taken = {"photo.jpg", "Photo-2.jpg"}
    assert asset_name_for("Photo.jpg", "jpg", taken) == "photo-3.jpg"
    assert asset_name_for("Photo.jpg", "png", taken) == "photo.png"


def test_asset_names_are_short_even_when_counted():
    long = "A very long caption-like file name " * 6 + ".jpg"
    name = asset_name_for(long, "jpg", set())
    assert len(name) <= images.MAX_NAME_LENGTH and name.endswith(".jpg") and not name.startswith("-")
    taken = {name} | {name.replace(".jpg", f"-{n}.jpg") for n in range(2, 120)}
    counted = asset_name_for(long, "jpg", taken)
    assert counted.endswith("-120.jpg") and len(counted) <= images.MAX_NAME_LENGTH
    assert counted.isascii() and counted == counted.lower()


# ---------------------------------------------------------------- assets and articles


def test_add_image_stores_a_new_asset_with_its_words():
    article = Article()
    asset, added = add_image(article, encode(quadrants(), "JPEG"), "Putin Meets Choe.JPG",
                             alt="Two people shaking hands", caption="In Moscow.", credit="photo by TASS")
    assert added and article.assets == [asset]
    assert (asset.name, asset.width, asset.height) == ("putin-meets-choe.jpg", 32, 16)
    assert (asset.alt, asset.caption, asset.credit) == ("Two people shaking hands", "In Moscow.", "photo by TASS")
    assert asset.sha256 == sha256_hex(asset.data.read_bytes())
    assert reopen(asset.data.read_bytes()).format == "JPEG"


def test_add_image_finds_the_same_picture_already_stored(tmp_path):
    article = Article()
    data = encode(quadrants(), "PNG")
    first, _ = add_image(article, data, "a.png")
    path = tmp_path / "copy of a.png"
    path.write_bytes(data)
    again, added = add_image(article, path, "copy of a.png", caption="ignored")
    assert again is first and not added
    assert len(article.assets) == 1 and first.caption == ""


def test_add_image_names_different_pictures_apart():
    article = Article()
    one, _ = add_image(article, encode(quadrants(), "PNG"), "photo.png")
    two, added = add_image(article, encode(quadrants(40, 20), "PNG"), "photo.png")
    assert added and (one.name, two.name) == ("photo.png", "photo-2.png")


def test_add_image_recognises_assets_loaded_without_a_hash():
    article = Article()
    data = encode(quadrants(), "JPEG")
    stored = import_image(data).data
    article.assets.append(ImageAsset(name="old.jpg", data=AssetData(stored)))
    asset, added = add_image(article, data, "new.jpg")
    assert asset.name == "old.jpg" and not added


def test_add_image_leaves_the_article_alone_when_the_import_fails():
    article = Article()
    with pytest.raises(ImageError, match=r"^“notes\.txt” is not a supported image"):
        add_image(article, b"just some text", "notes.txt")
    assert article.assets == []


def test_import_as_asset_names_against_taken_and_rejects_unknown_fields():
    asset = import_as_asset(encode(quadrants(), "GIF"), "Map.gif", {"map.gif"}, licence="CC BY 4.0")
    assert (asset.name, asset.licence, asset.width) == ("map-2.gif", "CC BY 4.0", 32)
    with pytest.raises(TypeError):
        import_as_asset(encode(quadrants(), "GIF"), "Map.gif", set(), name="evil.gif")


# ---------------------------------------------------------------- large JPEGs decoded at reduced size


def photo_like(width: int, height: int) -> Image.Image:
    """Smooth colour with fine texture and sharp edges, so a poor downscale shows as a large difference."""
    smooth = Image.new("RGB", (4, 3))
    smooth.putdata([(200, 40, 40), (40, 200, 40), (40, 40, 200), (220, 220, 60), (60, 220, 220), (220, 60, 220),
                    (120, 120, 120), (250, 250, 250), (10, 10, 10), (180, 90, 30), (30, 90, 180), (90, 180, 30)])
    base = smooth.resize((width, height), Image.Resampling.BICUBIC)
    texture = Image.effect_noise((width, height), 24).convert("RGB")
    im = Image.blend(base, texture, 0.15)
    for x in range(0, width // 2, 12):  # stripes just coarse enough to survive the downscale below
        im.paste(WHITE, (x, height // 2, x + 6, height))
    return im


def mean_difference(first: Image.Image, second: Image.Image) -> float:
    a, b = first.convert("RGB").tobytes(), second.convert("RGB").tobytes()
    assert len(a) == len(b)
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)


def test_reduced_size_decode_looks_like_a_full_decode_and_lanczos_resize():
    data = encode(photo_like(1600, 1200), "JPEG", quality=92)
    result = import_image(data, ImportSettings(max_edge=300))
    with reopen(data) as full:
        reference = full.convert("RGB").resize((300, 225), Image.Resampling.LANCZOS)
    out = reopen(result.data)
    assert out.size == (300, 225)
    # Measured: about 4 levels (mostly JPEG re-encoding of the stripes); decoding below the target size
    # (1/8 here) and scaling up, or a nearest-neighbour shortcut, lose the stripes and differ by 11-13.
    assert mean_difference(out, reference) < 4.5  # a bilinear resize after the draft gives about 5
    undersized = reopen(data)
    undersized.draft("RGB", (200, 150))
    assert mean_difference(undersized.resize((300, 225), Image.Resampling.LANCZOS), reference) > 10


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_reduced_size_decode_keeps_exif_orientation(orientation):
    upright = quadrants(800, 400)
    stored = upright.transpose(_STORED_AS[orientation])
    data = encode(stored, "JPEG", exif=exif_bytes(Orientation=orientation))
    result = import_image(data, ImportSettings(max_edge=100))
    assert (result.width, result.height) == (100, 50)
    assert corners(reopen(result.data)) == [RED, GREEN, BLUE]


def test_reduced_size_decode_still_strips_metadata_and_keeps_the_profile():
    icc = srgb_profile()
    exif = Image.Exif()
    exif[ExifTags.Base.BodySerialNumber] = "SN-987654"
    data = encode(quadrants(1200, 800), "JPEG", exif=exif.tobytes(), icc_profile=icc, comment=b"at home")
    result = import_image(data, ImportSettings(max_edge=200))
    im = reopen(result.data)
    assert im.size == (200, 133)
    assert im.info["icc_profile"] == icc
    assert len(im.getexif()) == 0 and "comment" not in im.info
    assert b"SN-987654" not in result.data


def test_jpeg_output_is_baseline_unless_progressive_is_asked_for():
    data = encode(quadrants(64, 32), "JPEG")
    baseline = reopen(import_image(data).data)
    assert not baseline.info.get("progressive")
    assert corners(baseline) == [RED, GREEN, BLUE]
    progressive = reopen(import_image(data, ImportSettings(progressive=True)).data)
    assert progressive.info.get("progressive")
    assert corners(progressive) == [RED, GREEN, BLUE]
