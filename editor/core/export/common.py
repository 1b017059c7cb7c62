"""What every export format shares: putting a finished output in place, folders and zips, and asset bytes.

An export is first built in a hidden folder beside OUT; only when it is complete is it moved to OUT, so a
failure at any moment leaves either nothing or the old OUT, never a half-written one.
"""

from __future__ import annotations

import base64
import contextlib
import mimetypes
import os
import secrets
import shutil
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from editor.core.atomic import atomic_open, describe_os_error, fsync_dir
from editor.core.bundle_write import exchange_paths
from editor.core.errors import EditorError
from editor.core.model import Article, ImageAsset

Progress = Callable[[int, int], None]

# Marks of the hidden siblings an export works in; a crash may leave one behind, never a broken OUT.
STAGE_MARK = ".export-"
OLD_MARK = ".replaced-"
# Pictures are already compressed; deflating them again costs time and saves nothing.
_STORED_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")


class OutputExistsError(EditorError):
    """OUT is already there and replacing it was not asked for; the caller says how to ask (e.g. --force)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"“{Path(path).name}” already exists; nothing was exported.")
        self.path = Path(path)


def check_output(out: Path, *, force: bool) -> None:
    """Refuse an OUT whose folder is missing, or which exists when force is not set."""
    out = Path(out)
    if not out.name or out.name in {".", ".."}:
        raise EditorError(f"“{out}” does not name a file or folder to export to.")
    if not out.parent.is_dir():
        raise EditorError(f"The folder “{out.parent}” does not exist; choose another place to export to.")
    if os.path.lexists(out) and not force:
        raise OutputExistsError(out)


def _hidden_sibling(out: Path, mark: str) -> Path:
    return out.with_name(f".{out.name}{mark}{secrets.token_hex(4)}")


def remove_path(path: Path) -> None:
    """Delete a file, a link or a whole folder; a path already gone is fine."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def place(built: Path, out: Path) -> None:
    """Move the finished `built` (file or folder, same disk) to `out`, replacing what is there in one step."""
    if not os.path.lexists(out):
        os.rename(built, out)
        fsync_dir(out.parent)
        return
    if exchange_paths(built, out):
        fsync_dir(out.parent)
        remove_path(built)  # it now holds the old output
        return
    # Without an atomic exchange: move the old one aside, then the new one in, then drop the old one.
    old = _hidden_sibling(out, OLD_MARK)
    os.rename(out, old)
    try:
        os.rename(built, out)
    except OSError:
        os.rename(old, out)
        raise
    fsync_dir(out.parent)
    remove_path(old)


def staged_write(out: Path, write: Callable[[Path], None], companions: Sequence[str] = ()) -> None:
    """Call write(target) where target has OUT's name inside a hidden sibling folder, then place it at OUT.

    Whatever write() leaves behind is deleted when it fails; OUT is touched only by the final move.
    `companions` name things write() may also make beside target (e.g. a pictures folder); those it made
    are moved beside OUT just before OUT, so OUT never appears without them.
    """
    out = Path(out)
    stage = _hidden_sibling(out, STAGE_MARK)
    try:
        os.mkdir(stage)
    except OSError as exc:
        raise EditorError(describe_os_error(exc, out)) from exc
    try:
        target = stage / out.name
        write(target)
        if not os.path.lexists(target):
            raise EditorError(f"The export to “{out.name}” produced nothing.")
        for name in companions:
            if os.path.lexists(stage / name):
                place(stage / name, out.parent / name)
        place(target, out)
    except OSError as exc:
        raise EditorError(describe_os_error(exc, out)) from exc
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def build_folder(out: Path, fill: Callable[[Path], None]) -> None:
    """Create the folder OUT by filling a hidden sibling folder and renaming it into place when complete."""

    def make(target: Path) -> None:
        os.mkdir(target)
        fill(target)
        fsync_dir(target)

    staged_write(Path(out), make)


def write_zip_from_folder(folder: Path, out: Path) -> None:
    """Write every file under `folder` into the zip OUT (paths relative to `folder`), atomically."""
    folder = Path(folder)
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    with atomic_open(Path(out), "wb") as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            name = path.relative_to(folder).as_posix()
            stored = name.lower().endswith(_STORED_SUFFIXES)
            archive.write(path, name, compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)


def build_folder_or_zip(out: Path, fill: Callable[[Path], None]) -> None:
    """Build OUT as a folder, or as a zip of that folder's contents when OUT's name ends in .zip."""
    out = Path(out)
    if out.suffix.lower() != ".zip":
        build_folder(out, fill)
        return

    def make(target: Path) -> None:
        contents = target.with_name(target.name + ".contents")
        os.mkdir(contents)
        try:
            fill(contents)
            write_zip_from_folder(contents, target)
        finally:
            shutil.rmtree(contents, ignore_errors=True)

    staged_write(out, make)


def asset_bytes(asset: ImageAsset) -> bytes:
    """The bytes of an asset; raise EditorError naming it when they cannot be read."""
    return asset.data.read_bytes()


def mime_type(name: str) -> str:
    """The media type of an image file name, by its extension."""
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def data_uri(asset: ImageAsset) -> str:
    """The asset's bytes as a data: URI."""
    return f"data:{mime_type(asset.name)};base64,{base64.b64encode(asset_bytes(asset)).decode('ascii')}"


def exported_assets(article: Article) -> list[ImageAsset]:
    """The assets an export copies: every asset, in the article's order (unused ones are harmless)."""
    return list(article.assets)


def report(progress: Progress | None, done: int, total: int) -> None:
    """Tell the progress callback how far the export is, when there is one."""
    if progress is not None:
        progress(done, total)
