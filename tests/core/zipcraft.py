"""Building zip archives byte by byte, so tests can make the hostile ones zipfile refuses to write."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

LOCAL = struct.Struct("<4s5H3L2H")
CENTRAL = struct.Struct("<4s6H3L5H2L")
END = struct.Struct("<4s4H2LH")


@dataclass
class Member:
    """One entry: what the local header and the central directory say about it."""

    name: bytes
    data: bytes = b""  # bytes stored after the local header
    size: int | None = None  # declared uncompressed size; defaults to len(data)
    method: int = 0
    flags: int = 0
    attr: int = 0  # external attributes (high 16 bits: Unix mode)
    local_name: bytes | None = None  # name in the local header when it should differ
    crc: int | None = None


def deflate(data: bytes) -> bytes:
    """Raw deflate, as stored in a zip."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def deflated(name: bytes, plain: bytes) -> Member:
    """A deflated member whose checksum matches its plain bytes."""
    return Member(name, deflate(plain), size=len(plain), method=8, crc=zlib.crc32(plain))


def local_header(member: Member) -> bytes:
    """The local header and data of a member."""
    name = member.name if member.local_name is None else member.local_name
    crc = member.crc if member.crc is not None else zlib.crc32(member.data)
    size = len(member.data) if member.size is None else member.size
    return LOCAL.pack(b"PK\x03\x04", 20, member.flags, member.method, 0, 0x21, crc, len(member.data), size,
                      len(name), 0) + name + member.data


def central_record(member: Member, offset: int) -> bytes:
    """A central-directory record pointing at a local header."""
    crc = member.crc if member.crc is not None else zlib.crc32(member.data)
    size = len(member.data) if member.size is None else member.size
    flags = member.flags | (0x800 if _is_utf8(member.name) else 0)
    return CENTRAL.pack(b"PK\x01\x02", 0x031E, 20, flags, member.method, 0, 0x21, crc, len(member.data), size,
                        len(member.name), 0, 0, 0, 0, member.attr, offset) + member.name


def _is_utf8(name: bytes) -> bool:
    try:
        name.decode("ascii")
    except UnicodeDecodeError:
        return True
    return False


def build(members: list[Member], extra_records: list[tuple[Member, int]] = ()) -> bytes:
    """A zip of members in order, plus central records pointing anywhere (member, offset)."""
    blob = b""
    records = []
    for member in members:
        records.append(central_record(member, len(blob)))
        blob += local_header(member)
    records += [central_record(member, offset) for member, offset in extra_records]
    directory = b"".join(records)
    return blob + directory + END.pack(b"PK\x05\x06", 0, 0, len(records), len(records), len(directory), len(blob), 0)
