"""The `export` and `import` subcommands: articles out to the formats other tools read, and in from them."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from editor.cli_batch import ProgressBar, collect_bundles, describe_os_error, is_batch, printable, run_batch
from editor.cli_commands import bundle_path, open_any
from editor.core.errors import EditorError

if TYPE_CHECKING:
    from editor.core.bundle import OpenedBundle
    from editor.core.export import ExportResult

EXIT_OK = 0
EXIT_SOME_FAILED = 1


def _exists_sentence(path: Path) -> str:
    return f"“{path}” already exists; add --force to replace it."


def _export_one(opened: OpenedBundle, fmt: str, out: Path, options: argparse.Namespace, bar: ProgressBar | None,
                label: str = "") -> ExportResult:
    """Export one opened bundle to OUT and print its notes. Raises EditorError with the command line's advice."""
    from editor.core import export

    def progress(done: int, total: int) -> None:
        if bar is not None:
            bar.show(done, total, Path(opened.path).name)

    try:
        result = export.export_article(opened.article, fmt, out, force=options.force, clean=options.clean,
                                       progress=progress if bar is not None else None)
    except export.OutputExistsError as exc:
        raise EditorError(_exists_sentence(getattr(exc, "path", out))) from None
    notes = [str(warning) for warning in getattr(opened, "warnings", [])] + list(result.notes)
    if bar is not None:
        bar.clear()
    for note in notes:
        print(printable(f"note: {label}{note}"))
    return result


def run_export(options: argparse.Namespace) -> int:
    """`export BUNDLE... --format F -o OUT [--force] [--clean]`: one bundle to OUT, or several into folder OUT."""
    bundles: list[Path] = list(options.bundle)
    out: Path = options.output
    if not is_batch(bundles):
        bar = ProgressBar()
        result = _export_one(open_any(bundles[0]), options.format, out, options, bar if bar.enabled else None)
        beside = "".join(f" and {path}" for path in result.beside)
        print(printable(f"Exported {out}{beside}"))
        return EXIT_OK
    return _run_export_batch(collect_bundles(bundles), options)


def _prepare_folder(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise EditorError(f"“{out}” is a file; several bundles are exported into a folder.")
    if not out.parent.is_dir():
        raise EditorError(f"The folder “{out.parent}” does not exist; choose another place to export to.")
    out.mkdir(exist_ok=True)


def _run_export_batch(bundles: list[Path], options: argparse.Namespace) -> int:
    from editor.core.export import default_output_name

    out: Path = options.output
    _prepare_folder(out)
    bar = ProgressBar()
    taken: set[str] = set()

    def work(bundle: Path) -> Path:
        opened = open_any(bundle)
        target = out / _unique_name(default_output_name(opened.article, options.format), taken)
        _export_one(opened, options.format, target, options, None, label=f"{bundle.name}: ")
        return target

    outcome = run_batch(bundles, work, bar=bar if bar.enabled else None, describe=describe_os_error)
    print(f"{outcome.succeeded} exported, {len(outcome.failed)} failed")
    return EXIT_SOME_FAILED if outcome.failed else EXIT_OK


def _unique_name(name: str, taken: set[str]) -> str:
    """The name, or the name with -2, -3… before its suffix when an earlier bundle of the batch has it."""
    stem, dot, suffix = name.partition(".")
    candidate, number = name, 2
    while candidate.lower() in taken:
        candidate = f"{stem}-{number}{dot}{suffix}"
        number += 1
    taken.add(candidate.lower())
    return candidate


def run_import(options: argparse.Namespace) -> int:
    """`import SRC -o BUNDLE [--force]`: bring an article in from another tool's file and save it as a bundle."""
    from editor.core import importers
    from editor.core.bundle import save_bundle

    source: Path = options.source
    target = bundle_path(options.output)
    if not (source.exists() or source.is_symlink()):
        raise EditorError(f"“{source}” does not exist.")
    if (target.exists() or target.is_symlink()) and not options.force:
        raise EditorError(_exists_sentence(target))
    result = importers.import_source(source)
    save_bundle(result.article, target, force=options.force)
    for note in result.notes:
        print(printable(f"note: {note}"))
    print(f"Imported {source} as {target}")
    return EXIT_OK
