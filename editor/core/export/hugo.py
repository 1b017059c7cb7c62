"""Hugo page bundle export: a folder (or .zip) with index.md and the images beside it.

Each image that stands alone on a line, written the way the editor writes it, becomes Hugo's built-in
`figure` shortcode, so a stock Hugo site renders `<figure>` with `<figcaption>` holding
"Caption — Credit". The caption goes in as Markdown with every special character written as an HTML
character reference, because Hugo's shortcode parser drops backslashes. The alt text Hugo shows is the
image's own alt text (as the preview does); when the text wrote a different one it is kept in an extra
`bodyalt` parameter that Hugo ignores, so importing gives back the exact line. Other image references
just lose their `assets/` prefix. The front matter is described in editor.core.frontmatter.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

from editor.core.atomic import atomic_open, atomic_write_bytes, describe_os_error, fsync_dir
from editor.core.bundle_text import standalone_images
from editor.core.errors import EditorError
from editor.core.frontmatter import fenced_lines, metadata_to_hugo, yaml_front_matter
from editor.core.model import Article, ImageAsset
from editor.core.references import image_markdown, image_references

Progress = Callable[[int, int], None] | None

_ALWAYS_ESCAPED = set("!\"#&'*+<=>[\\]_`{|}~")
_RUN_ESCAPED = set("-.")  # typographers turn runs of these into dashes and ellipses
_UNESCAPE = {"\\\\": "\\", "\\[": "[", "\\]": "]"}


def safe_file_name(name: str) -> bool:
    """Whether an asset name can be written as a file beside index.md without leaving the folder."""
    return bool(name) and name.lower() not in {".", "..", "index.md"} and not any(c in name for c in "/\\\0")


def markdown_literal(text: str) -> str:
    """Text as Markdown that shows exactly these characters, with no backslash anywhere."""
    text = " ".join(text.split())
    out = []
    for index, char in enumerate(text):
        around = text[index - 1: index] + text[index + 1: index + 2]
        if char in _ALWAYS_ESCAPED or (char in _RUN_ESCAPED and (index == 0 or char in around)):
            out.append(f"&#{ord(char)};")
        else:
            out.append(char)
    literal = "".join(out)
    # "1. Caption" would become a numbered list.
    head = len(literal) - len(literal.lstrip("0123456789"))
    if head and literal[head: head + 1] in {".", ")"}:
        literal = f"{literal[:head]}&#{ord(literal[head])};{literal[head + 1:]}"
    return literal


def caption_text(asset: ImageAsset) -> str:
    """The words under a figure: "Caption — Credit", either part alone, or ""."""
    return " — ".join(part for part in (" ".join(asset.caption.split()), " ".join(asset.credit.split())) if part)


def _quoted(text: str) -> str:
    return '"' + " ".join(text.split()).replace('"', '\\"') + '"'


def _unescape_alt(alt: str) -> str:
    out, index = [], 0
    while index < len(alt):
        pair = alt[index: index + 2]
        if pair in _UNESCAPE:
            out.append(_UNESCAPE[pair])
            index += 2
        else:
            out.append(alt[index])
            index += 1
    return "".join(out)


def figure_shortcode(asset: ImageAsset, written_alt: str) -> str | None:
    """Hugo's figure shortcode for an image line, or None when Hugo could not carry its words exactly."""
    shown_alt = " ".join(asset.alt.split()) or written_alt
    if any("\\" in text or "\n" in text for text in (asset.name, written_alt, shown_alt)) or '"' in asset.name:
        return None
    params = [f"src={_quoted(asset.name)}"]
    if shown_alt:
        params.append(f"alt={_quoted(shown_alt)}")
    caption = caption_text(asset)
    if caption:
        params.append(f'caption="{markdown_literal(caption)}"')
    if written_alt != shown_alt:
        params.append(f"bodyalt={_quoted(written_alt)}")
    return "{{< figure " + " ".join(params) + " >}}"


def _figure_lines(lines: list[str], article: Article) -> dict[int, str]:
    figures = {}
    for index, name in standalone_images(lines):
        asset = article.asset(name)
        refs = image_references(lines[index])
        if asset is None or len(refs) != 1:
            continue
        written_alt = _unescape_alt(refs[0].alt)
        if lines[index] != image_markdown(name, written_alt):
            continue
        shortcode = figure_shortcode(asset, written_alt)
        if shortcode is not None:
            figures[index] = shortcode
    return figures


def strip_asset_prefix(reference: str, new_prefix: str = "") -> str:
    """An image reference whose `assets/` (or `./assets/`) destination prefix is replaced by `new_prefix`."""
    head = reference.index("](") + 2
    while head < len(reference) and reference[head].isspace():
        head += 1
    if reference.startswith("<", head):
        head += 1
    for prefix in ("./assets/", "assets/"):
        if reference.startswith(prefix, head):
            return reference[:head] + new_prefix + reference[head + len(prefix):]
    return reference


def retarget_body(article: Article, new_prefix: str, figures: Mapping[int, str] | None = None) -> str:
    """The body with references to the article's assets pointed at `new_prefix` + name; `figures` replace lines."""
    body = article.body
    figures = figures or {}
    names = {asset.name for asset in article.assets}
    code = fenced_lines(body.split("\n"))
    pieces, last = [], 0
    for ref in image_references(body):
        if ref.name in names and ref.line - 1 not in figures and ref.line - 1 not in code:
            pieces.append(body[last:ref.start])
            pieces.append(strip_asset_prefix(body[ref.start:ref.end], new_prefix))
            last = ref.end
    pieces.append(body[last:])
    lines = "".join(pieces).split("\n")
    for index, line in figures.items():
        lines[index] = line
    return "\n".join(lines)


# A shortcode the writer typed as text: Hugo would run it (even inside code), so it is written in Hugo's
# commented form `{{</* … */>}}`, which the page shows exactly as typed.
_TYPED_SHORTCODE = re.compile(r"\{\{([<%])(?!/\*)(.*?)(?<!\*/)([>%])\}\}", re.DOTALL)


def escape_shortcodes(text: str) -> str:
    """Text in which each `{{< … >}}` or `{{% … %}}` is shown by Hugo as typed instead of being run."""
    return _TYPED_SHORTCODE.sub(lambda m: "{{" + m.group(1) + "/*" + m.group(2) + "*/" + m.group(3) + "}}", text)


def hugo_body(article: Article) -> str:
    """The article body as Hugo content: figure shortcodes for image lines, images referenced beside index.md."""
    escaped = replace(article, body=escape_shortcodes(article.body))
    return retarget_body(escaped, "", _figure_lines(escaped.body.split("\n"), escaped))


def hugo_files(article: Article) -> tuple[dict[str, bytes], list[str]]:
    """The files of the page bundle by relative path, and notes about what was left out."""
    notes: list[str] = []
    assets = []
    files: dict[str, bytes] = {}
    for asset in article.assets:
        if not safe_file_name(asset.name) or asset.name.lower() in {n.lower() for n in files}:
            notes.append(f"The image “{asset.name}” has a name that cannot be written as a file, so it was left out.")
            continue
        files[asset.name] = asset.data.read_bytes()
        assets.append(asset)
    text = yaml_front_matter(metadata_to_hugo(article.metadata, assets), hugo_body(article))
    leftover = _TYPED_SHORTCODE.sub("", article.body)
    if "{{<" in leftover or "{{%" in leftover:
        notes.append("The text contains an unclosed “{{<” or “{{%”, which Hugo may refuse; check the page once built.")
    return {"index.md": text.encode("utf-8"), **files}, notes


def export(article: Article, out: Path, *, progress: Progress = None, clean: bool = False) -> list[str]:
    """Write a Hugo page bundle to `out` (a folder, or a zip when it ends in .zip); return notes for the user."""
    files, notes = hugo_files(article)
    write_output(Path(out), files, progress)
    return notes


def write_output(out: Path, files: Mapping[str, bytes], progress: Progress = None) -> None:
    """Write files (relative path -> bytes) as the folder `out`, or into the zip `out` when it ends in .zip."""
    if out.suffix.lower() == ".zip":
        _write_zip(out, files, progress)
    else:
        _write_folder(out, files, progress)


def _write_zip(out: Path, files: Mapping[str, bytes], progress: Progress) -> None:
    with atomic_open(out, "wb") as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, (name, data) in enumerate(files.items(), 1):
            archive.writestr(name, data)
            if progress is not None:
                progress(done, len(files))


def _write_folder(out: Path, files: Mapping[str, bytes], progress: Progress) -> None:
    try:
        temp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    except OSError as exc:
        raise EditorError(describe_os_error(exc, out)) from None
    try:
        for done, (name, data) in enumerate(files.items(), 1):
            target = temp / name
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(target, data)
            if progress is not None:
                progress(done, len(files))
        _swap_in(temp, out)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _swap_in(temp: Path, out: Path) -> None:
    """Rename the finished folder into place; an existing `out` (allowed by the caller) is replaced whole."""
    old = None
    try:
        if out.exists() or out.is_symlink():
            old = out.with_name(f".{out.name}.{os.getpid()}.old")
            os.replace(out, old)
        os.replace(temp, out)
        fsync_dir(out.parent)
    except OSError as exc:
        if old is not None and not out.exists():
            with contextlib.suppress(OSError):
                os.replace(old, out)
        raise EditorError(describe_os_error(exc, out)) from None
    if old is not None:
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)
