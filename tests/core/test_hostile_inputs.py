"""Every kind of hostile input, end to end through the command line: one line of reason, nothing written
outside the destination, memory and time bounded.

Each input is built here, then `python -m editor info|check|import|render|add-image` runs on it in a child
with an address-space limit and a time limit (several children at once, so the whole set stays quick).
Pasted HTML, which never reaches the command line, is checked in this process.
"""

from __future__ import annotations

import base64
import concurrent.futures
import html.parser
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from editor.core.errors import RenderError
from editor.core.html_import import html_to_markdown
from editor.core.model import Article
from editor.core.render import markdown_to_html
from editor.core.render_process import RenderProcess
from tests.core import hostile_samples as hs
from tests.core.zipcraft import Member, build

MEMORY_LIMIT = 1536 * 1024**2  # address space of each run; a decoded bomb would need far more
TIME_LIMIT = 30  # seconds; only a run that hangs comes near it
PARALLEL = 3
RENDER_TIMEOUT = "1"
# Elements that run code, load something or navigate, wherever they appear in a page's body.
FORBIDDEN_TAGS = frozenset({"script", "iframe", "frame", "object", "embed", "applet", "svg", "math", "form", "base",
                            "meta", "link", "style", "input", "button", "video", "audio", "source", "template"})
_SCHEME_NOISE = re.compile(r"[\x00-\x20\x7f]+")
_LOADING_ATTRIBUTES = frozenset({"style", "srcset", "formaction", "action", "background", "poster"})
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")


class _Dangers(html.parser.HTMLParser):
    """Everything in a fragment that could run code or reach out: tags, handlers, URLs and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = value or ""
            url = _SCHEME_NOISE.sub("", value).lower()
            handler_or_loader = name.startswith("on") or name in _LOADING_ATTRIBUTES
            if handler_or_loader or (name in {"href", "src", "xlink:href"} and url.startswith(_SCRIPT_SCHEMES)):
                self.found.append(f"{tag} {name}={value!r}")
            elif name in {"href", "src"} and url.startswith(("http:", "https:", "//")) and tag != "a":
                self.found.append(f"{tag} {name}={value!r} loads from the web")


def dangers(fragment: str) -> list[str]:
    """What in the HTML fragment could run code or load something (text that merely looks like it is fine)."""
    parser = _Dangers()
    parser.feed(fragment)
    parser.close()
    return parser.found
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass
class Case:
    """One hostile input and the command run on it."""

    id: str
    category: str
    build: Callable[[Path], list[str]]  # makes the input in its folder; returns the command's arguments
    expect: str  # "refused": exit 2 with a reason; "read": exit 0; "either": one of the two
    phrase: str = ""  # words the reason must contain
    outputs: tuple[str, ...] = ()  # names in the case's folder the command may create or change
    check: Callable[[Path, str], None] | None = None  # more checks on (folder, stdout) after success


@dataclass
class Run:
    """What one command did."""

    code: int
    stdout: str
    stderr: str
    timed_out: bool = False
    seconds: float = 0.0  # printed when HOSTILE_TIMES is set; never asserted
    changed: set[str] = field(default_factory=set)


# --- archives (zip) ------------------------------------------------------------------------------------


def _archive(name: str, members: Callable[[], list[Member]], extra: Callable[[], list] | None = None
             ) -> Callable[[Path], Path]:
    built: list[bytes] = []  # the same bytes serve every command run on this archive

    def make(folder: Path) -> Path:
        if not built:
            built.append(build(members(), extra() if extra else []))
        path = folder / f"{name}.textpack"
        path.write_bytes(built[0])
        return path

    return make


def _raw_pack(data: Callable[[], bytes]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / "Story.textpack"
        path.write_bytes(data())
        return path

    return make


def _with(*extra: Member) -> Callable[[], list[Member]]:
    return lambda: [*hs.ok_members(), *extra]


def _truncated() -> bytes:
    whole = build([*hs.ok_members(), Member(b"Story.textbundle/assets/a.png", hs.png(40, 40))])
    return whole[: len(whole) // 2]


def _overlap() -> tuple[list[Member], list]:
    shared = Member(b"Story.textbundle/assets/a.png", hs.png())
    return [*hs.ok_members(), shared]


def _many_entries() -> list[Member]:
    return [*hs.ok_members(), *(Member(f"Story.textbundle/x/{n}".encode()) for n in range(10_001))]


def _info_json(data: bytes) -> Callable[[], list[Member]]:
    return lambda: [Member(b"Story.textbundle/info.json", data), Member(b"Story.textbundle/text.md", hs.TEXT)]


ARCHIVES = {
    # id: (builder, expect, phrase)
    "dotdot": (_archive("a", _with(hs.stored("Story.textbundle/../../escaped.txt", b"x"))), "refused", "“..”"),
    "backslash": (_archive("a", _with(hs.stored("..\\..\\escaped.txt", b"x"))), "refused", "backslash"),
    "absolute": (_archive("a", _with(hs.stored("/tmp/escaped.txt", b"x"))), "refused", "absolute"),
    "drive-letter": (_archive("a", _with(hs.stored("C:/escaped.txt", b"x"))), "refused", "drive"),
    "nul-in-name": (_archive("a", _with(hs.stored("Story.textbundle/text.md\0.png", b"x"))), "refused", "NUL"),
    "empty-name": (_archive("a", _with(hs.stored("", b"x"))), "refused", "empty name"),
    "control-chars-in-name": (_archive("a", _with(hs.stored("Story.textbundle/\x1b[2J\nA second line ../../x", b"x"))),
                              "refused", "outside the archive"),
    "symlink": (_archive("a", _with(Member(b"Story.textbundle/assets/link.png", b"/etc/passwd",
                                           attr=hs.symlink_mode()))), "refused", "symbolic link"),
    "encrypted": (_archive("a", _with(Member(b"Story.textbundle/assets/a.png", b"secret", flags=1))),
                  "refused", "encrypted"),
    "bzip2-method": (_archive("a", _with(Member(b"Story.textbundle/assets/a.png", b"BZh", method=12))),
                     "refused", "compression method"),
    "aes-method": (_archive("a", _with(Member(b"Story.textbundle/assets/a.png", b"AE", method=99, flags=1))),
                   "refused", ""),
    "duplicate": (_archive("a", _with(hs.stored("Story.textbundle/text.md", b"other"))), "refused", "twice"),
    "duplicate-by-case": (_archive("a", _with(hs.stored("Story.textbundle/assets/A.png", b"1"),
                                              hs.stored("Story.textbundle/assets/a.png", b"2"))), "refused", "twice"),
    "local-name-differs": (_archive("a", _with(Member(b"Story.textbundle/assets/a.png", b"x",
                                                      local_name=b"../../escaped.png"))), "refused", "local header"),
    "overlapping": (_archive("a", _overlap, lambda: [(Member(b"Story.textbundle/assets/b.png", hs.png()), 0)]),
                    "refused", ""),
    "ratio-bomb": (_archive("a", lambda: hs.zip_bomb_members(32 * 1024**2)), "refused", "zip bomb"),
    "declared-total-bomb": (_archive("a", _with(*(Member(f"Story.textbundle/x{n}".encode(), b"", size=2**31 - 1)
                                                  for n in range(3)))), "refused", ""),
    "too-many-entries": (_archive("a", _many_entries), "refused", "more than the limit"),
    "lying-size": (_archive("a", _with(hs.lying_size("Story.textbundle/assets/a.png", hs.png(30, 30), 10))),
                   "either", ""),
    "nested-zip-bomb": (_archive("a", _with(Member(b"Story.textbundle/assets/inner.zip", hs.nested_zips(20)))),
                        "read", ""),
    "deep-entry-path": (_archive("a", _with(hs.stored("Story.textbundle/" + "d/" * 400 + "deep.txt", b"x"))),
                        "either", ""),
    "name-not-utf8": (_archive("a", _with(Member("Story.textbundle/assets/caf\u00e9.png".encode("cp437"),
                                                 hs.png()))), "refused", ""),
    "name-with-control-chars": (_archive("a", _with(Member("Story.textbundle/assets/\x1b]0;x\x07\u202e.png".encode(),
                                                           hs.png()))), "read", ""),
    "zip64": (lambda folder: hs.zip64_pack(folder, "a"), "read", ""),
    "truncated": (_raw_pack(_truncated), "refused", "truncated"),
    "not-a-zip": (_raw_pack(lambda: os.urandom(4096)), "refused", "not a readable zip"),
    "empty-file": (_raw_pack(lambda: b""), "refused", ""),
    "info-json-deep": (_archive("a", _info_json(hs.deep_json(200_000))), "read", ""),
    "info-json-just-deep-enough": (_archive("a", _info_json(hs.deep_json(990))), "read", ""),
    "info-json-huge-number": (_archive("a", _info_json(hs.huge_number_json())), "read", ""),
    "info-json-not-utf8": (_archive("a", _info_json(b"\xff\xfe{\x00}\x00" + os.urandom(64))), "read", ""),
}


# --- folder bundles ----------------------------------------------------------------------------------


def _secret(folder: Path) -> Path:
    secret = folder / "secret" / "passwords.txt"
    secret.parent.mkdir(exist_ok=True)
    secret.write_text("root:hunter2 SECRET-MARK\n")
    return secret


def _not_leaked(folder: Path, out: str) -> None:
    assert "SECRET-MARK" not in out
    imported = folder / "out.textbundle"
    if imported.exists():
        assert all(b"SECRET-MARK" not in p.read_bytes() for p in imported.rglob("*") if p.is_file())


FOLDERS = {
    "text-is-symlink": (lambda f: hs.symlinked_text(f, "a", _secret(f)), "read", "", _not_leaked),
    "assets-is-symlink": (lambda f: hs.symlinked_assets(f, "a", _secret(f)), "read", "", _not_leaked),
    "text-is-fifo": (lambda f: hs.fifo_text(f, "a"), "read", "", None),
    "deep-private-folders": (lambda f: hs.deep_private_folders(f, "a", 300), "read", "", None),
    "huge-sparse-text": (lambda f: hs.sparse_text(f, "a", 70 * 1024**2), "refused", "too large", None),
    "control-characters": (lambda f: hs.text_with_controls(f, "a"), "read", "", None),
    "not-a-folder": (lambda f: _plain_file(f / "a.textbundle"), "refused", "not a folder", None),
}


def _plain_file(path: Path) -> Path:
    path.write_bytes(b"PK\x03\x04 not a folder")
    return path


# --- pictures ------------------------------------------------------------------------------------------


def _grey_bomb() -> bytes:
    """9,500 × 9,500 grey pixels (over Pillow's limit) deflated from 90 MB to about 90 KB."""
    import struct
    import zlib

    width = height = 9_500
    packer = zlib.compressobj(1)
    row = b"\0" * (width + 1)
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + hs.png_chunk(b"IHDR", header) + hs.png_chunk(b"IDAT", body)
            + hs.png_chunk(b"IEND", b""))


IMAGES = {
    # id: (file name, bytes, expect, phrase)
    "bomb-header": ("bomb.png", lambda: hs.png_claiming(100_000, 100_000), "refused", "pixels"),
    "bomb-real": ("bomb.png", _grey_bomb, "refused", "pixels"),
    "pixel-flood-jpeg": ("flood.jpg", lambda: hs.jpeg_claiming(65_000, 65_000), "refused", "pixels"),
    "later-frame-bomb": ("anim.gif", hs.gif_with_huge_later_frame, "either", ""),
    "many-frames": ("anim.gif", lambda: hs.gif_with_many_frames(1_100), "refused", "frames"),
    "truncated-png": ("cut.png", lambda: hs.png(200, 200)[:300], "refused", "damaged"),
    "truncated-jpeg": ("cut.jpg", lambda: hs.jpeg(256, 256)[:1500], "refused", "damaged"),
    "empty": ("empty.png", lambda: b"", "refused", "empty"),
    "eps-disguised": ("photo.png", lambda: hs.EPS, "refused", "not a supported image"),
    "svg-disguised": ("photo.png", lambda: hs.SVG, "refused", "not a supported image"),
    "tiff": ("photo.tif", hs.tiff, "refused", "not a supported image"),
    "random-bytes": ("photo.jpg", lambda: os.urandom(5000), "refused", ""),
    "corrupt-exif": ("exif.jpg", hs.jpeg_with_bad_exif, "read", ""),
    "huge-icc-profile": ("icc.png", hs.png_with_huge_icc, "either", ""),
}


def _image_case(name: str, data: Callable[[], bytes]) -> Callable[[Path], list[str]]:
    def make(folder: Path) -> list[str]:
        bundle = hs.folder_bundle(folder, "Story")
        picture = folder / name
        picture.write_bytes(data())
        return ["add-image", str(bundle), str(picture), "--caption", "c", "--credit", "photo by x", "--alt", "a"]

    return make


# --- Markdown --------------------------------------------------------------------------------------------

XSS_MARKDOWN = (
    "Words.\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[a](javascript:alert(3))\n\n"
    "[b](JaVa&#x09;ScRiPt:alert(4))\n\n[c](data:text/html;base64,PHNjcmlwdD4=)\n\n<svg onload=alert(5)></svg>\n\n"
    "<iframe src=\"http://127.0.0.1:9/\"></iframe>\n\n<object data=x></object><embed src=x>\n\n"
    "<p style=\"width: expression(alert(6)); background: url(http://127.0.0.1:9/x)\">styled</p>\n\n"
    "<meta http-equiv=\"refresh\" content=\"0;url=http://127.0.0.1:9/\">\n\n<base href=\"http://127.0.0.1:9/\">\n\n"
    "<form action=\"http://127.0.0.1:9/\"><input></form>\n\n<style>@import url(http://127.0.0.1:9/a.css);</style>\n\n"
    "<link rel=stylesheet href=http://127.0.0.1:9/b.css>\n\n<a href=\"vbscript:msgbox(7)\">v</a>\n\n"
    "<math><mtext><img src=x onerror=alert(8)></mtext></math>\n\n![x](x\" onerror=\"alert(9))\n"
)
# Through `render` on the command line (each run starts a render process, so only the main kinds go this way).
MARKDOWN = {
    # id: (text, expect, extra check on the written page)
    "open-brackets": ("[a" * 20_000, "either", None),
    "nested-lists": ("".join("    " * d + "- item\n" for d in range(1_000)), "either", None),
    "control-characters": ("Text \x00\x1b[2J\x1b]0;x\x07\x08\u202e end.\n", "read", "no-controls"),
    "script-payloads": (XSS_MARKDOWN, "read", "no-danger"),
}
# Through one shared render process in this process, with the same time limit.
MORE_MARKDOWN = {
    "nested-quotes": ">" * 20_000 + " deep\n",
    "backtick-runs": "`" * 60_000 + "code" + "`" * 59_999 + "\n" + "`a" * 30_000,
    "quote-staircase": "\n".join(">" * n + " x" for n in range(1, 1_500)),
    "emphasis-runs": "*a" * 30_000 + "\n\n" + "_" * 100_000 + "\n\n" + "**" * 40_000,
    "reference-flood": "".join(f"[r{n}]: http://127.0.0.1:9/{n}\n" for n in range(20_000)) + "[r1] " * 20_000,
    "entity-and-tag-flood": "&#x1F600;&amp;&#0;&#xD800;" * 10_000 + "<div>\n" * 10_000 + "</div>\n" * 10_000,
    "huge-text": ("word " * 200 + "\n\n") * 5_000 + "a" * 2_000_000,
}


def _markdown_case(text: str) -> Callable[[Path], list[str]]:
    def make(folder: Path) -> list[str]:
        source = folder / "story.md"
        source.write_text(text, encoding="utf-8", errors="surrogatepass")
        return ["render", str(source), "-o", str(folder / "page.html"), "--timeout", RENDER_TIMEOUT]

    return make


def _page_is_safe(folder: Path, out: str) -> None:
    page = (folder / "page.html").read_text(encoding="utf-8")
    body = page.split("<body>", 1)[1]
    assert "Words." in body
    assert dangers(body) == []


def _page_has_no_controls(folder: Path, out: str) -> None:
    page = (folder / "page.html").read_text(encoding="utf-8")
    assert "end." in page
    assert "\x00" not in page


# --- HTML files ----------------------------------------------------------------------------------------

XSS_HTML = (
    "<html><head><title>T</title><meta http-equiv=refresh content='0;url=http://127.0.0.1:9/'>"
    "<base href='http://127.0.0.1:9/'><link rel=stylesheet href='http://127.0.0.1:9/a.css'>"
    "<style>body{background:url(http://127.0.0.1:9/b.png);width:expression(alert(1))}</style>"
    "<script src='http://127.0.0.1:9/c.js'></script></head><body onload='alert(2)'><article>"
    "<h1>Headline</h1><p>Words.</p><p onclick='alert(3)'>Click <a href='javascript:alert(4)'>here</a> "
    "<a href='data:text/html,<script>alert(5)</script>'>or here</a> <a href=' jav&#x09;ascript:alert(6)'>x</a></p>"
    "<svg onload='alert(7)'><a xlink:href='javascript:alert(8)'><text>svg</text></a></svg>"
    "<iframe src='http://127.0.0.1:9/f'></iframe><object data='http://127.0.0.1:9/o'></object>"
    "<embed src='http://127.0.0.1:9/e'><img src='http://127.0.0.1:9/i.png' onerror='alert(9)' alt='remote'>"
    "<form action='http://127.0.0.1:9/'><button formaction='javascript:alert(10)'>b</button></form>"
    "<p style='background-image:url(javascript:alert(11))'>styled</p>"
    "<noscript><p title='</noscript><img src=x onerror=alert(12)>'></p></noscript>"
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(13)></style></mglyph></table></mtext></math>"
    "</article></body></html>"
)


def _html_case(html: Callable[[Path], bytes], extra: Callable[[Path], None] | None = None
               ) -> Callable[[Path], list[str]]:
    def make(folder: Path) -> list[str]:
        page = folder / "site" / "page.html"
        page.parent.mkdir()
        page.write_bytes(html(folder))
        if extra:
            extra(folder)
        return ["import", str(page), "-o", str(folder / "out.textbundle")]

    return make


def _outside_images(folder: Path) -> bytes:
    (folder / "secret.png").write_bytes(hs.png(5, 5))
    (folder / "site" / "link.png").symlink_to(folder / "secret.png")
    return (b"<article><p>Words.</p><img src='../secret.png'><img src='" + str(folder / "secret.png").encode()
            + b"'><img src='file://" + str(folder / "secret.png").encode() + b"'><img src='link.png'>"
            b"<img src='%2e%2e/secret.png'><img src='..%5csecret.png'></article>")


def _no_outside_images(folder: Path, out: str) -> None:
    assets = folder / "out.textbundle" / "assets"
    assert not assets.exists() or list(assets.iterdir()) == []


def _imported_text_is_safe(folder: Path, out: str) -> None:
    text = (folder / "out.textbundle" / "text.md").read_text(encoding="utf-8")
    assert "Words." in text
    assert "<script" not in text.lower()
    assert dangers(markdown_to_html(text)) == []


def _data_uri_bomb(folder: Path) -> bytes:
    uri = base64.b64encode(hs.png_claiming(100_000, 100_000)).decode()
    return f"<article><p>Words.</p><img src='data:image/png;base64,{uri}' alt='bomb'></article>".encode()


def _sparse_page(folder: Path) -> bytes:
    return b""  # replaced by a sparse file below


def _make_sparse(folder: Path) -> None:
    with open(folder / "site" / "page.html", "r+b") as handle:
        handle.truncate(40 * 1024**2)


HTML_FILES = {
    "script-payloads": (lambda f: XSS_HTML.encode(), None, "read", "", _imported_text_is_safe),
    "images-outside-the-page": (_outside_images, None, "read", "", _no_outside_images),
    "data-uri-bomb": (_data_uri_bomb, None, "read", "", None),
    "deep-nesting": (lambda f: b"<div>" * 3_000 + b"Words." + b"</div>" * 3_000, None, "either", "", None),
    "too-large": (_sparse_page, _make_sparse, "refused", "too large", None),
    "tag-flood": (lambda f: b"<article>" + b"<b>x</b>" * 110_000 + b"</article>", None, "refused", "too many", None),
}


# --- the runs ------------------------------------------------------------------------------------------


def _bundle_commands(make: Callable[[Path], Path]) -> dict[str, Callable[[Path], list[str]]]:
    def info(folder: Path) -> list[str]:
        return ["info", str(make(folder))]

    def imported(folder: Path) -> list[str]:
        return ["import", str(make(folder)), "-o", str(folder / "out.textbundle")]

    return {"info": info, "import": imported}


def _cases() -> list[Case]:
    cases = []
    for name, (make, expect, phrase) in ARCHIVES.items():
        for command, build_args in _bundle_commands(make).items():
            cases.append(Case(f"archive-{name}-{command}", "archive", build_args, expect, phrase, ("out.textbundle",)))
    for name, (make, expect, phrase, check) in FOLDERS.items():
        for command, build_args in _bundle_commands(make).items():
            cases.append(Case(f"folder-{name}-{command}", "folder", build_args, expect, phrase, ("out.textbundle",),
                              check))
    for name, (file_name, data, expect, phrase) in IMAGES.items():
        # A picture that is refused leaves the bundle exactly as it was: no output allowed then.
        cases.append(Case(f"image-{name}", "image", _image_case(file_name, data), expect, phrase,
                          ("Story.textbundle",) if expect != "refused" else ()))
    for name, (text, expect, extra) in MARKDOWN.items():
        check = {"no-danger": _page_is_safe, "no-controls": _page_has_no_controls}.get(extra or "")
        cases.append(Case(f"markdown-{name}", "markdown", _markdown_case(text), expect, "", ("page.html",), check))
    for name, (page, extra, expect, phrase, check) in HTML_FILES.items():
        cases.append(Case(f"html-{name}", "html", _html_case(page, extra), expect, phrase, ("out.textbundle",),
                          check))
    return cases


CASES = _cases()


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (512 * 1024**2, 512 * 1024**2))


def _snapshot(root: Path, skip: str) -> dict[str, tuple[int, int, int]]:
    """Every path under root (but the folder `skip`) with its type, size and time (links are not followed)."""
    found = {}
    for folder, dirs, files in os.walk(root):
        if folder == str(root):
            dirs[:] = [name for name in dirs if name != skip]
        for name in dirs + files:
            full = os.path.join(folder, name)
            with_info = os.lstat(full)
            found[os.path.relpath(full, root)] = (with_info.st_mode, with_info.st_size, with_info.st_mtime_ns)
    return found


def _run(args: list[str], env: dict[str, str], cwd: Path) -> Run:
    """`python -m editor ARGS` in a fresh interpreter under the limits."""
    started = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-m", "editor", *args], capture_output=True, timeout=TIME_LIMIT,
                              env=env, cwd=cwd, preexec_fn=_limits, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        return Run(-1, (exc.stdout or b"").decode(errors="replace"), (exc.stderr or b"").decode(errors="replace"),
                   timed_out=True)
    return Run(done.returncode, done.stdout.decode("utf-8", errors="replace"),
               done.stderr.decode("utf-8", errors="replace"), seconds=time.monotonic() - started)


def _run_many(commands: dict[str, list[str]], env: dict[str, str], cwd: Path, scratch: Path) -> dict[str, Run]:
    """The same, for many command lines: one interpreter under the limits forks a process per command."""
    spec = scratch / "jobs.json"
    spec.write_text(json.dumps({
        "parallel": PARALLEL, "time_limit": TIME_LIMIT, "outputs": str(scratch),
        "jobs": [{"id": key, "args": args, "cwd": str(cwd)} for key, args in commands.items()],
    }))
    done = subprocess.run([sys.executable, str(Path(__file__).with_name("cli_runner.py")), str(spec)],
                          capture_output=True, timeout=TIME_LIMIT * len(commands), env=env, cwd=cwd, preexec_fn=_limits,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return {key: Run(value["code"], value["stdout"], value["stderr"], value["timed_out"], value["seconds"])
            for key, value in json.loads(done.stdout).items()}


# A few commands go through a fresh `python -m editor` each, to prove the real entry point behaves the same.
DIRECT = ("archive-dotdot-info", "image-bomb-real", "folder-huge-sparse-text-import", "html-script-payloads")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Run, Path]]:
    """Build every input, run every command, and record what changed on disk."""
    base = tmp_path_factory.mktemp("hostile")
    home = base / "home"
    home.mkdir()
    scratch = base.parent / f"{base.name}-runner"
    scratch.mkdir()
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
           "XDG_CACHE_HOME": str(home / ".cache"), "XDG_DATA_HOME": str(home / ".local"), "TMPDIR": str(base / "t"),
           "PYTHONDONTWRITEBYTECODE": "1"}
    (base / "t").mkdir()
    commands = {}
    for case in CASES:
        folder = base / case.id
        folder.mkdir()
        commands[case.id] = case.build(folder)
    # A batch `check` over every hostile bundle: one unreadable bundle must not stop the others.
    bundles = [commands[c.id][1] for c in CASES if c.category in ("archive", "folder") and c.id.endswith("-info")]
    commands["check-batch"] = ["check", *bundles]
    watched = base.parent
    before = _snapshot(watched, skip=scratch.name)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        direct = {key: pool.submit(_run, commands[key], env, base) for key in DIRECT}
        results = _run_many({k: v for k, v in commands.items() if k not in DIRECT}, env, base, scratch)
        results.update({key: future.result() for key, future in direct.items()})
    after = _snapshot(watched, skip=scratch.name)
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    prefix = os.path.relpath(base, watched)
    outcome = {}
    for case_id, run in results.items():
        mine = f"{prefix}/{case_id}/"
        run.changed = {path[len(mine):] for path in changed if path.startswith(mine)}
        outcome[case_id] = (run, base / case_id)
    if os.environ.get("HOSTILE_TIMES"):
        for case_id, run in sorted(results.items(), key=lambda item: -item[1].seconds)[:25]:
            print(f"{run.seconds:6.2f} {case_id} {run.code}")
    # Nothing outside the cases' own folders may change; the private temporary folder must end up empty.
    mine = {f"{prefix}/{case_id}" for case_id in results}
    strays = {path for path in changed if path not in mine and "/".join(path.split("/")[:2]) not in mine}
    outcome["__strays__"] = (Run(0, "\n".join(sorted(strays)), ""), base)
    yield outcome
    shutil.rmtree(base, ignore_errors=True)
    shutil.rmtree(scratch, ignore_errors=True)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_hostile_input_gets_one_line_and_harms_nothing(runs: dict[str, tuple[Run, Path]], case: Case) -> None:
    run, folder = runs[case.id]
    everything = run.stdout + run.stderr
    assert not run.timed_out, f"{case.id} ran past {TIME_LIMIT} s"
    assert run.code >= 0, f"{case.id} was killed by signal {-run.code} (memory limit?)"
    assert "Traceback" not in everything and "MemoryError" not in everything, run.stderr
    assert run.code in (0, 2), f"exit {run.code}: {run.stderr}"
    assert not _CONTROL.search(everything), f"control characters reach the terminal: {everything[:300]!r}"
    if run.code == 0:
        assert case.expect in ("read", "either"), f"{case.id} should have been refused: {run.stdout[-300:]}"
        assert run.stderr == ""
        if case.check:
            case.check(folder, run.stdout)
    else:
        assert case.expect in ("refused", "either"), f"{case.id} should have been read: {run.stderr}"
        lines = run.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("article-editor: error: "), run.stderr
        assert lines[0].endswith("."), lines[0]
        assert case.phrase in lines[0], lines[0]
    allowed = {p for p in run.changed if p.split("/", 1)[0] in case.outputs}
    if run.code != 0:
        allowed = set()  # a refused input leaves no output behind
    assert run.changed <= allowed, f"{case.id} wrote outside its destination: {sorted(run.changed - allowed)[:5]}"


def test_nothing_outside_the_inputs_changed(runs: dict[str, tuple[Run, Path]]) -> None:
    strays = runs["__strays__"][0].stdout
    assert strays == "", strays


def test_a_batch_check_of_every_hostile_bundle_reports_each_in_one_line(runs: dict[str, tuple[Run, Path]]) -> None:
    run = runs["check-batch"][0]
    assert not run.timed_out and run.code == 2, run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert not _CONTROL.search(run.stdout + run.stderr)
    refused = [c for c in CASES if c.id.endswith("-info") and c.expect == "refused"]
    failures = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(failures) >= len(refused), run.stderr
    assert "unreadable" in run.stdout.splitlines()[-1]


# --- pasted HTML (the window's paste path) --------------------------------------------------------------

PASTED = {
    "script": "<p>Words.</p><script>document.title='x'</script>",
    "handlers": "<p onclick=alert(1) onmouseover='alert(2)'>Words.</p><img src=x onerror=alert(3) alt=i>",
    "javascript-url": "<p>Words. <a href='javascript:alert(1)'>a</a> <a href='  JaVaScRiPt:alert(2)'>b</a></p>",
    "obfuscated-url": "<p>Words. <a href='jav&#x09;ascript:alert(1)'>a</a> <a href='java\nscript:x'>b</a></p>",
    "data-url": "<p>Words. <a href='data:text/html;base64,PHNjcmlwdD4='>a</a></p><img src='data:image/svg+xml,<svg/>'>",
    "svg": "<p>Words.</p><svg onload=alert(1)><script>alert(2)</script><a href='javascript:alert(3)'>s</a></svg>",
    "iframe-object-embed": "<p>Words.</p><iframe src='http://x/'></iframe><object data=x></object><embed src=x>",
    "css-expression": "<p style='width:expression(alert(1));background:url(javascript:alert(2))'>Words.</p>"
                      "<style>@import 'http://x/a.css';</style>",
    "meta-refresh-base-form": "<meta http-equiv=refresh content='0;url=http://x/'><base href='http://x/'>"
                              "<p>Words.</p><form action='http://x/'><input></form>",
    "markdown-smuggling": "<p>Words. [a](javascript:alert(1)) ![b](x\" onerror=\"alert(2)) "
                          "&lt;script&gt;alert(3)&lt;/script&gt;</p>",
    "mutation-xss": "<p>Words.</p><noscript><p title='</noscript><img src=x onerror=alert(1)>'></noscript>",
    "deep-nesting": "<div>" * 5_000 + "<p>Words.</p>" + "</div>" * 5_000,
    "deep-lists": "<ul><li>" * 3_000 + "Words." + "</li></ul>" * 3_000,
    "many-attributes": "<p " + " ".join(f"a{n}='{n}'" for n in range(20_000)) + ">Words.</p>",
}


@pytest.mark.parametrize("html", list(PASTED.values()), ids=list(PASTED))
def test_pasted_html_becomes_markdown_that_renders_nothing_dangerous(html: str) -> None:
    markdown = html_to_markdown(html)
    assert "Words." in markdown
    rendered = markdown_to_html(markdown)
    assert "Words." in rendered
    assert dangers(rendered) == []


def test_a_folder_with_too_many_images_is_read_up_to_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from editor.core import bundle_read
    from editor.core.bundle import open_bundle

    # The real limit is 10,000 files; a lower one proves the same rule without writing ten thousand files.
    monkeypatch.setattr(bundle_read, "MAX_ENTRIES", 20)
    path = hs.many_assets(tmp_path, "Story", 30)
    opened = open_bundle(path)
    assert len(opened.article.assets) <= 20
    assert any("only the first 20 were read" in warning for warning in opened.warnings)


@pytest.fixture(scope="module")
def render_process() -> Iterator[RenderProcess]:
    """One render child for the Markdown below, replaced whenever a render runs out of time."""
    with RenderProcess() as process:
        yield process


@pytest.mark.parametrize("text", list(MORE_MARKDOWN.values()), ids=list(MORE_MARKDOWN))
def test_hostile_markdown_renders_or_fails_in_one_sentence_within_the_limit(render_process: RenderProcess,
                                                                             text: str) -> None:
    render_process.timeout = 0.5
    try:
        rendered = render_process.render_body(Article(body=text))
    except RenderError as exc:
        assert "\n" not in str(exc) and str(exc).endswith(".")
        assert "took too long" in str(exc) or "nested too deeply" in str(exc) or "could not be rendered" in str(exc)
    else:
        assert dangers(rendered) == []
    # Whatever happened, the next ordinary render works.
    render_process.timeout = 30
    assert "<p>fine</p>" in render_process.render_body(Article(body="fine"))
