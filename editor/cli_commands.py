"""What each headless `article-editor` subcommand does; editor.cli parses the command line and reports errors."""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from editor.core.errors import EditorError
from editor.core.model import Article, ImageAsset, Metadata
from editor.core.status_history import describe_change

if TYPE_CHECKING:
    from editor.core.bundle import OpenedBundle
    from editor.core.check import Problem

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".txt"})
BUNDLE_SUFFIXES = (".textbundle", ".textpack")

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>\n]+>")
_WORD = re.compile(r"\w+(?:['’.-]\w+)*")


def count_words(markdown: str) -> int:
    """Words a reader sees: image references, link targets and HTML tags do not count."""
    text = _TAG.sub(" ", _LINK.sub(r"\1", _IMAGE.sub(" ", markdown)))
    return len(_WORD.findall(text))


def open_any(path: Path) -> OpenedBundle:
    """Open a bundle, or a plain Markdown file when the suffix says so; raise EditorError if unreadable."""
    from editor.core import bundle

    if not path.exists():
        raise EditorError(f"“{path}” does not exist.")
    if path.suffix.lower() in MARKDOWN_SUFFIXES and path.is_file():
        return bundle.open_markdown_file(path)
    return bundle.open_bundle(path)


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


# info ------------------------------------------------------------------------------------------------


def metadata_dict(metadata: Metadata) -> dict[str, Any]:
    """The metadata as JSON-ready data (status as its string value)."""
    data = dataclasses.asdict(metadata)
    data["status"] = str(metadata.status.value)
    return data


def _asset_size(asset: ImageAsset) -> int | None:
    path = asset.data.path
    try:
        return path.stat().st_size if path is not None else len(asset.data.read_bytes())
    except (OSError, EditorError):
        return None


def info_data(opened: OpenedBundle) -> dict[str, Any]:
    """Everything `info` reports, as JSON-ready data."""
    article: Article = opened.article
    used = article.used_asset_names()
    return {
        "path": str(opened.path),
        "kind": str(opened.kind),
        "metadata": metadata_dict(article.metadata),
        "words": count_words(article.body),
        "images": [
            {
                "name": asset.name,
                "alt": asset.alt,
                "caption": asset.caption,
                "credit": asset.credit,
                "source_url": asset.source_url,
                "licence": asset.licence,
                "width": asset.width,
                "height": asset.height,
                "bytes": _asset_size(asset),
                "used": asset.name in used,
            }
            for asset in article.assets
        ],
        "status_history": [
            {"status": str(c.status), "previous": str(c.previous) if c.previous else None, "author": c.author,
             "when": c.when, "line": describe_change(c)}
            for c in article.status_history
        ],
        "comments": {"open": sum(not c.resolved for c in article.comments), "total": len(article.comments)},
        "versions": _versions(article),
        "warnings": [str(warning) for warning in opened.warnings],
    }


def _versions(article: Article) -> list[dict[str, Any]]:
    """The saved versions, oldest first; an unreadable one is left out (it is reported when opened)."""
    from editor.core.versions import list_versions

    try:
        found = list_versions(article)
    except EditorError:
        return []
    return [{"id": v.id, "name": v.name, "author": v.author, "created": v.created, "words": v.words,
             "automatic": v.automatic} for v in found]


def _human_size(size: int | None) -> str:
    if size is None:
        return "unreadable"
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def run_info(options: argparse.Namespace) -> int:
    """`info BUNDLE [--json]`."""
    from editor.cli_batch import printable

    data = info_data(open_any(options.bundle))
    if options.json:
        _print_json(data)
        return 0
    meta = data["metadata"]
    rows = [
        ("Title", meta["title"]), ("Subtitle", meta["subtitle"]), ("Authors", ", ".join(meta["authors"])),
        ("Date", meta["date"]), ("Updated", meta["updated"]), ("Section", meta["section"]),
        ("Tags", ", ".join(meta["tags"])), ("Slug", meta["slug"]), ("Language", meta["language"]),
        ("Status", meta["status"]), ("Summary", meta["summary"]), ("Featured", meta["featured_image"]),
        ("Source", meta["source_url"]),
    ]
    rows += [(key, value) for key, value in meta["custom"].items()]
    rows += [("Words", str(data["words"])), ("Format", f"{data['kind']} ({data['path']})")]
    width = max(len(label) for label, _ in rows) + 1
    for label, value in rows:
        if value:
            print(printable(f"{label + ':':<{width}} {value}"))
    print(f"Images: {len(data['images'])}")
    for image in data["images"]:
        pixels = f"{image['width']}×{image['height']}" if image["width"] else "size unknown"
        used = "used" if image["used"] else "UNUSED"
        print(printable(f"  {image['name']}  {pixels}  {_human_size(image['bytes'])}  {used}"))
        for field in ("alt", "caption", "credit"):
            print(printable(f"    {field}: {image[field] or '(none)'}"))
        for field in ("source_url", "licence"):
            if image[field]:
                print(printable(f"    {field}: {image[field]}"))
    if data["comments"]["total"]:
        print(f"Comments: {data['comments']['open']} open, {data['comments']['total']} in all")
    if data["versions"]:
        print(f"Versions: {len(data['versions'])}")
        for version in data["versions"]:
            who = f" by {version['author']}" if version["author"] else ""
            when = version["created"][:16].replace("T", " ")
            print(printable(f"  {when} UTC  {version['name']}{who}  ({version['words']} words)"))
    if data["status_history"]:
        print("Status history:")
        for change in data["status_history"]:
            print(printable(f"  {change['line']}"))
    if data["warnings"]:
        print("Warnings:")
        for warning in data["warnings"]:
            print(printable(f"  - {warning}"))
    return 0


# render ----------------------------------------------------------------------------------------------

# Rendered pages refer to images relatively; these references are then swapped for the bytes themselves.
_RENDER_PREFIX = "assets/"


# The renderer words its failures for the window's preview; a command has no preview and changes no text.
_RENDER_WORDING = (
    ("The preview renderer", "The renderer"),
    ("The preview could not be rendered", "The article could not be rendered"),
    ("too deeply to preview", "too deeply to render"), ("the text is unchanged", "nothing was written"),
)


def render_failure(message: str, timeout: float) -> str:
    """A render failure as one sentence for the command line, which has no preview."""
    if "took too long" in message:
        return (f"Rendering took longer than {timeout:g} seconds and was stopped, so nothing was written; "
                "allow more time with --timeout.")
    for preview_words, command_words in _RENDER_WORDING:
        message = message.replace(preview_words, command_words)
    return message


def render_page(article: Article, timeout: float) -> str:
    """The article as a self-contained HTML page, rendered in a child process within `timeout` seconds."""
    from editor.core.errors import RenderError
    from editor.core.export.html import embed_images
    from editor.core.render_process import RenderProcess

    try:
        with RenderProcess(timeout=timeout) as renderer:
            html = renderer.render_document(article, asset_url_prefix=_RENDER_PREFIX)
    except RenderError as exc:
        raise EditorError(render_failure(str(exc), timeout)) from None
    return embed_images(html, article)


def run_render(options: argparse.Namespace) -> int:
    """`render BUNDLE -o OUT.html [--timeout S]`."""
    from editor.core.atomic import atomic_write_text

    opened = open_any(options.bundle)
    html = render_page(opened.article, options.timeout)
    if str(options.output) == "-":
        sys.stdout.write(html)
        return 0
    atomic_write_text(options.output, html)
    print(f"Wrote {options.output}")
    return 0


# check -----------------------------------------------------------------------------------------------


def problem_dict(problem: Problem) -> dict[str, Any]:
    """A check problem as JSON-ready data."""
    return dataclasses.asdict(problem)


def run_check(options: argparse.Namespace) -> int:
    """`check BUNDLE... [--json]`: exit 0 when clean, 1 when problems were listed, 2 when a bundle was unreadable."""
    from editor.cli_batch import is_batch, printable

    bundles = list(options.bundle) if isinstance(options.bundle, list) else [options.bundle]
    if is_batch(bundles):
        return _run_check_batch(bundles, options.json)
    opened, problems = _check_one(bundles[0])
    if options.json:
        _print_json(_check_dict(opened, problems))
    else:
        for warning in opened.warnings:
            print(printable(f"note: {warning}"))
        for problem in problems:
            print(printable(_problem_line(problem)))
        count = len(problems)
        print(f"{count} problem{'s' if count != 1 else ''} found." if count else "No problems found.")
    return 1 if problems else 0


def _check_one(path: Path) -> tuple[OpenedBundle, list[Problem]]:
    from editor.core.check import check_article

    opened = open_any(path)
    return opened, check_article(opened.article)


def _check_dict(opened: OpenedBundle, problems: list[Problem]) -> dict[str, Any]:
    return {
        "path": str(opened.path),
        "problems": [problem_dict(problem) for problem in problems],
        "warnings": [str(warning) for warning in opened.warnings],
    }


def _run_check_batch(paths: list[Path], as_json: bool) -> int:
    """Check each bundle; an unreadable one is reported in one line and the others are still checked."""
    from editor.cli_batch import ProgressBar, collect_bundles, describe_os_error, plural, printable, run_batch

    bundles = collect_bundles(paths)
    bar = ProgressBar()

    def work(path: Path) -> tuple[OpenedBundle, list[Problem]]:
        opened, problems = _check_one(path)
        if not as_json:
            bar.clear()
            for warning in opened.warnings:
                print(printable(f"note: {path.name}: {warning}"))
            for problem in problems:
                print(printable(f"{path.name}: {_problem_line(problem)}"))
        return opened, problems

    outcome = run_batch(bundles, work, bar=bar if bar.enabled else None, describe=describe_os_error)
    with_problems = sum(1 for _, problems in outcome.results.values() if problems)
    if as_json:
        _print_json([
            _check_dict(*outcome.results[path]) if path in outcome.results
            else {"path": str(path), "error": outcome.failed[path]}
            for path in bundles
        ])
    else:
        clean = outcome.succeeded - with_problems
        print(f"{plural(len(bundles), 'bundle')} checked: {clean} clean, {with_problems} with problems, "
              f"{len(outcome.failed)} unreadable.")
    if outcome.failed:
        return 2
    return 1 if with_problems else 0


def _problem_line(problem: Problem) -> str:
    line = problem.line
    where = f"line {line}: " if line and f"line {line}" not in problem.message.lower() else ""
    return f"{problem.severity}: {where}{problem.message} [{problem.code}]"


# new -------------------------------------------------------------------------------------------------


def bundle_path(path: Path) -> Path:
    """The path to create: .textbundle or .textpack as given, .textbundle added when there is no suffix."""
    suffix = path.suffix.lower()
    if suffix in BUNDLE_SUFFIXES:
        return path
    if not suffix:
        return path.with_name(path.name + ".textbundle")
    raise EditorError(f"“{path.name}” must end in .textbundle or .textpack.")


def run_new(options: argparse.Namespace) -> int:
    """`new OUT --title T [--author A ...] [--force]`."""
    from editor.core.bundle import save_bundle

    path = bundle_path(options.output)
    if (path.exists() or path.is_symlink()) and not options.force:
        raise EditorError(f"“{path}” already exists; add --force to replace it.")
    authors = [name.strip() for name in options.author if name.strip()]
    article = Article(metadata=Metadata(title=options.title.strip(), authors=authors))
    save_bundle(article, path, force=options.force)
    print(f"Created {path}")
    return 0


# add-image -------------------------------------------------------------------------------------------


def run_add_image(options: argparse.Namespace) -> int:
    """`add-image BUNDLE IMAGE [--caption C] [--credit R] [--alt A] ...`: import, optionally insert, save."""
    from editor.core.bundle import save_bundle
    from editor.core.images import ImportSettings, add_image
    from editor.core.references import image_markdown

    opened = open_any(options.bundle)
    if str(opened.kind) == "markdown":
        raise EditorError(f"“{options.bundle}” is a plain Markdown file; pictures can only be added to a bundle.")
    if not options.image.is_file():
        raise EditorError(f"The picture “{options.image}” does not exist or is not a file.")
    defaults = ImportSettings()
    settings = ImportSettings(
        strip_metadata=not options.keep_metadata,
        max_edge=defaults.max_edge if options.max_edge is None else (options.max_edge or None),
    )
    article: Article = opened.article
    asset, added = add_image(
        article, options.image, options.image.name, settings,
        alt=options.alt, caption=options.caption, credit=options.credit,
        source_url=options.source_url, licence=options.licence,
    )
    if options.insert:
        article.body = _append_block(article.body, image_markdown(asset.name, asset.alt))
    if added or options.insert:
        save_bundle(article, opened.path, expected_fingerprint=opened.fingerprint)
    if added:
        print(asset.name)
    else:
        print(f"{asset.name} (already in the bundle; its words were left unchanged)")
    return 0


def _append_block(body: str, block: str) -> str:
    text = body.rstrip("\n")
    return f"{text}\n\n{block}\n" if text else f"{block}\n"
