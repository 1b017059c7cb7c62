"""Hostile files built byte by byte: archives, folder bundles, pictures, Markdown and HTML that attack a reader."""

from __future__ import annotations

import io
import os
import stat
import struct
import zipfile
import zlib
from pathlib import Path

from PIL import Image

from editor.core.bundle import save_bundle
from editor.core.model import Article, ImageAsset, Metadata
from tests.core.zipcraft import Member, build, deflate, deflated

INFO = b'{"version": 2, "type": "net.daringfireball.markdown", "transient": false}'
TEXT = b"# A story\n\nSome words.\n"
ROOT = "Story.textbundle/"


def ok_members() -> list[Member]:
    """The entries of a small valid nested TextPack."""
    return [Member((ROOT + "info.json").encode(), INFO), Member((ROOT + "text.md").encode(), TEXT)]


def png(width: int = 4, height: int = 3) -> bytes:
    """A small valid PNG."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (180, 30, 30)).save(out, "PNG")
    return out.getvalue()


def jpeg(width: int = 64, height: int = 48, **options: object) -> bytes:
    """A small valid JPEG."""
    out = io.BytesIO()
    Image.effect_noise((width, height), 40).convert("RGB").save(out, "JPEG", **options)
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk with its checksum."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims a size its few bytes of data cannot back (a decompression bomb's header)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + png_chunk(b"IEND", b""))


def png_bomb() -> bytes:
    """A real bomb: 12,000 × 12,000 pixels of one colour (432 MB decoded) in a few hundred KB."""
    width, height = 12_000, 12_000
    row = b"\0" + b"\0" * (width * 3)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", body) + png_chunk(b"IEND", b"")


def jpeg_claiming(width: int, height: int) -> bytes:
    """A JPEG whose frame header claims a pixel flood."""
    data = bytearray(jpeg(16, 16))
    at = data.find(b"\xff\xc0")
    struct.pack_into(">HH", data, at + 5, height, width)
    return bytes(data)


def gif_with_huge_later_frame() -> bytes:
    """A two-frame GIF: a tiny first frame, then a frame that claims 40,000 × 40,000 pixels."""
    frames = [Image.new("P", (8, 8), colour) for colour in (1, 2)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    data = bytearray(out.getvalue())
    second = data.rfind(b"\x2c\x00\x00\x00\x00\x08\x00\x08\x00")
    struct.pack_into("<HH", data, second + 5, 40_000, 40_000)
    return bytes(data)


def gif_with_many_frames(count: int) -> bytes:
    """An animation with more frames than anyone needs."""
    frames = [Image.new("RGB", (2, 2), (255 * (n % 2), 0, 0)) for n in range(count)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=20, loop=0)
    return out.getvalue()


def jpeg_with_bad_exif() -> bytes:
    """A JPEG whose EXIF has a 0/0 resolution, an orientation of 9 and an offset pointing past its end."""
    entries = [
        (0x011A, 5, 1, 26),  # XResolution: a RATIONAL at offset 26
        (0x0112, 3, 1, 9 << 16),  # Orientation 9 (does not exist)
        (0x8769, 4, 1, 0xFFFFFF),  # an Exif IFD far past the end
    ]
    ifd = struct.pack(">H", len(entries)) + b"".join(struct.pack(">HHII", *e) for e in entries) + b"\0\0\0\0"
    tiff = b"MM\0*" + struct.pack(">I", 8) + ifd
    tiff = tiff.ljust(26, b"\0") + struct.pack(">II", 0, 0)
    return jpeg(32, 32, exif=b"Exif\0\0" + tiff, dpi=(0, 0))


def png_with_huge_icc() -> bytes:
    """A PNG carrying 2 MB of nonsense as its colour profile."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(out, "PNG", icc_profile=os.urandom(2 * 1024 * 1024))
    return out.getvalue()


EPS = (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n"
       b"(%pipe%touch /tmp/pwned-by-eps) (w) file\nshowpage\n%%EOF\n")
SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script>'
       b'<image href="http://127.0.0.1:9/x.png"/></svg>')


def tiff() -> bytes:
    """A TIFF, a format the importer does not take."""
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "TIFF")
    return out.getvalue()


def folder_bundle(folder: Path, name: str, body: str = "# A story\n\nSome words.\n") -> Path:
    """A valid .textbundle folder to spoil."""
    path = folder / f"{name}.textbundle"
    save_bundle(Article(body=body, metadata=Metadata(title="A story"),
                        assets=[ImageAsset.from_bytes("photo.png", png())]), path)
    return path


def symlinked_text(folder: Path, name: str, secret: Path) -> Path:
    """A bundle whose text.md is a link to a private file elsewhere."""
    path = folder_bundle(folder, name)
    (path / "text.md").unlink()
    (path / "text.md").symlink_to(secret)
    return path


def symlinked_assets(folder: Path, name: str, secret: Path) -> Path:
    """A bundle whose assets folder, and one asset inside the private folder, link elsewhere."""
    path = folder_bundle(folder, name)
    for item in (path / "assets").iterdir():
        item.unlink()
    (path / "assets").rmdir()
    (path / "assets").symlink_to(secret.parent, target_is_directory=True)
    return path


def fifo_text(folder: Path, name: str) -> Path:
    """A bundle whose text.md and info.json are named pipes: reading them would wait forever."""
    path = folder_bundle(folder, name)
    for part in ("text.md", "info.json"):
        (path / part).unlink()
        os.mkfifo(path / part)
    return path


def many_assets(folder: Path, name: str, count: int) -> Path:
    """A bundle with more files in assets/ than the reader takes."""
    path = folder_bundle(folder, name)
    for number in range(count):
        (path / "assets" / f"f{number:05}.bin").write_bytes(b"")
    return path


def deep_private_folders(folder: Path, name: str, depth: int) -> Path:
    """A bundle whose private folder nests very deep."""
    path = folder_bundle(folder, name)
    deep = path / "org.article-editor"
    # Relative steps keep every single path short enough for the system.
    os.makedirs(deep, exist_ok=True)
    cwd = os.getcwd()
    try:
        os.chdir(deep)
        for _ in range(depth):
            os.mkdir("d")
            os.chdir("d")
        Path("deep.txt").write_bytes(b"bottom")
    finally:
        os.chdir(cwd)
    return path


def sparse_text(folder: Path, name: str, size: int) -> Path:
    """A bundle whose text.md is a sparse file of `size` bytes (no disk used)."""
    path = folder_bundle(folder, name)
    with open(path / "text.md", "r+b") as handle:
        handle.truncate(size)
    return path


def text_with_controls(folder: Path, name: str) -> Path:
    """A bundle whose text and metadata carry terminal escapes, NULs and direction overrides."""
    path = folder / f"{name}.textbundle"
    nasty = "\x1b]0;owned\x07\x1b[2J\x00\u202egnp.exe\r\nA\x08B\x9b31m"
    save_bundle(Article(body=f"Text {nasty} end.\n", metadata=Metadata(title=f"Title {nasty}", authors=[nasty],
                                                                       tags=[nasty], custom={nasty: nasty})), path)
    return path


def zip_bomb_members(size: int) -> list[Member]:
    """A TextPack whose text.md inflates from a few KB to `size` bytes."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"\0" * (1024 * 1024)
    data = b"".join(packer.compress(chunk) for _ in range(size // len(chunk))) + packer.flush()
    crc = 0
    for _ in range(size // len(chunk)):
        crc = zlib.crc32(chunk, crc)
    return [Member((ROOT + "info.json").encode(), INFO),
            Member((ROOT + "text.md").encode(), data, size=size, method=8, crc=crc)]


def nested_zips(depth: int) -> bytes:
    """A zip inside a zip… `depth` times, the innermost holding a bomb."""
    inner = build([deflated(b"bomb.txt", b"\0" * (8 * 1024 * 1024))])
    for level in range(depth):
        inner = build([Member(f"level{level}.zip".encode(), inner)])
    return inner


def zip64_pack(folder: Path, name: str) -> Path:
    """A TextPack written with zip64 records, as large-file tools do."""
    path = folder / f"{name}.textpack"
    with zipfile.ZipFile(path, "w") as archive:
        for member in ok_members():
            with archive.open(member.name.decode(), "w", force_zip64=True) as handle:
                handle.write(member.data)
    return path


def deep_json(depth: int) -> bytes:
    """info.json nested `depth` arrays deep (json.loads recurses per level)."""
    return b'{"version": 2, "x": ' + b"[" * depth + b"]" * depth + b"}"


def huge_number_json() -> bytes:
    """info.json with an integer of 100,000 digits and a float that overflows."""
    return b'{"version": 2, "n": ' + b"9" * 100_000 + b', "f": 1e999999, "creatorIdentifier": "x"}'


def symlink_mode() -> int:
    """External attributes of a symbolic link entry."""
    return (stat.S_IFLNK | 0o777) << 16


def stored(name: str, data: bytes) -> Member:
    """A stored entry."""
    return Member(name.encode("utf-8"), data)


def lying_size(name: str, data: bytes, declared: int) -> Member:
    """A deflated entry that declares fewer bytes than it holds."""
    return Member(name.encode(), deflate(data), size=declared, method=8, crc=zlib.crc32(data))
