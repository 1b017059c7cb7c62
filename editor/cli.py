"""The `article-editor` command: opens the window, or runs a headless subcommand on a bundle."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from editor import __version__
from editor.core.errors import EditorError

PROG = "article-editor"

# Exit codes, documented in docs/cli.md.
EXIT_OK = 0
EXIT_PROBLEMS = 1  # `check` listed problems, or some bundles of a batch failed
EXIT_ERROR = 2  # bad usage, or a file that cannot be read or written
EXIT_INTERNAL = 70  # a bug: an exception nobody expected (EX_SOFTWARE)
EXIT_INTERRUPTED = 130  # Ctrl+C

SUBCOMMANDS = ("info", "render", "check", "export", "import", "new", "add-image")

_DESCRIPTION = """\
Write articles with photos, captions, credits and metadata, saved as portable TextBundles.

  article-editor              open the window with a new article
  article-editor FILE         open FILE (.textbundle, .textpack or .md) in the window
  article-editor COMMAND ...  work on a bundle without opening the window
"""
_EPILOG = """\
exit codes: 0 success; 1 `check` found problems, or some bundles of a batch failed; 2 bad
usage or a file that cannot be read or written; 70 internal error; 130 interrupted.
Run `article-editor COMMAND --help` for the options of each command."""


class _Parser(argparse.ArgumentParser):
    """argparse with errors reported as the single line every other failure uses."""

    def error(self, message: str) -> NoReturn:
        """Report a usage error in one line and stop with exit code 2."""
        raise _UsageError(f"{message} (see `{self.prog} --help`)")


class _UsageError(Exception):
    """The command line could not be understood."""


def build_parser() -> argparse.ArgumentParser:
    """The parser for every subcommand (the FILE form is handled before parsing)."""
    from editor import cli_commands as commands

    parser = _Parser(
        prog=PROG,
        usage=f"{PROG} [FILE] | {PROG} COMMAND [options]",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND", parser_class=_Parser)

    info = sub.add_parser("info", help="show an article's metadata, images, word count and warnings",
                          description="Show an article's metadata, images, word count and any warnings "
                                      "from opening it.")
    info.add_argument("bundle", type=Path, metavar="BUNDLE", help=".textbundle, .textpack or .md file")
    info.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    info.set_defaults(run=commands.run_info)

    render = sub.add_parser("render", help="write the article as one self-contained HTML page",
                            description="Write the article as a complete HTML page with its images embedded, "
                                        "so the single file can be opened or mailed on its own.")
    render.add_argument("bundle", type=Path, metavar="BUNDLE")
    render.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.html",
                        help="where to write the page; '-' writes it to standard output")
    render.add_argument("--timeout", type=_positive_float, default=30.0, metavar="S",
                        help="give up when rendering takes longer than S seconds (default 30)")
    render.set_defaults(run=commands.run_render)

    check = sub.add_parser("check", help="run the pre-publication check",
                           description="Run the pre-publication check on one or more bundles (a folder means "
                                       "every bundle in it). Exit status 0 when nothing was found, 1 when "
                                       "problems (errors or warnings) were listed, 2 when a file cannot be read "
                                       "(2 wins over 1).")
    check.add_argument("bundle", type=Path, nargs="+", metavar="BUNDLE")
    check.add_argument("--json", action="store_true", help="print JSON instead of text")
    check.set_defaults(run=commands.run_check)

    _add_export_parsers(sub)

    new = sub.add_parser("new", help="create an empty bundle",
                         description="Create an empty article bundle: a .textbundle folder or a .textpack file, "
                                     "chosen by the suffix of OUT (none means .textbundle).")
    new.add_argument("output", type=Path, metavar="OUT")
    new.add_argument("--title", required=True, help="the article's title")
    new.add_argument("--author", action="append", default=[], metavar="A",
                     help="an author's name; repeat for several authors")
    new.add_argument("--force", action="store_true", help="replace OUT if it already exists")
    new.set_defaults(run=commands.run_new)

    add = sub.add_parser("add-image", help="import a picture into a bundle",
                         description="Import a picture into a bundle: it is checked, turned upright, stripped of "
                                     "identifying metadata and scaled down, then stored with its words. "
                                     "Caption, credit and alt text may each be left out; they stay empty and "
                                     "`check` reports them. A picture already in the bundle is not added twice.")
    add.add_argument("bundle", type=Path, metavar="BUNDLE")
    add.add_argument("image", type=Path, metavar="IMAGE")
    # Each word may be left for later: a missing one stays empty, and `check` names it.
    add.add_argument("--caption", default="", metavar="C", help="the words under the picture")
    add.add_argument("--credit", default="", metavar="R", help='e.g. "photo by TASS Russian News Agency"')
    add.add_argument("--alt", default="", metavar="A", help="what the picture shows, for readers who cannot see it")
    add.add_argument("--source-url", default="", metavar="U")
    add.add_argument("--licence", default="", metavar="L")
    add.add_argument("--keep-metadata", action="store_true",
                     help="keep EXIF and XMP (camera, place, date); removed by default")
    add.add_argument("--max-edge", type=_non_negative_int, default=None, metavar="N",
                     help="scale down so the longest side is at most N pixels (default 2560; 0 keeps the size)")
    add.add_argument("--insert", action="store_true", help="also append the picture to the end of the text")
    add.set_defaults(run=commands.run_add_image)
    return parser


def _add_export_parsers(sub: argparse._SubParsersAction) -> None:
    from editor import cli_export
    from editor.core.export import FORMATS

    formats = "\n".join(f"  {name:<11} {line}" for name, line in FORMATS.items())
    export = sub.add_parser(
        "export", help="write articles in a format another tool reads (Hugo, HTML, PDF, Word…)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Export an article. With one BUNDLE, OUT is the file or folder to write. With several, "
                    "or a folder of bundles, OUT is a folder (made if missing) and each article goes into it "
                    "under its usual name; a failure is reported and the others are still exported.",
        epilog=f"formats:\n{formats}")
    export.add_argument("bundle", type=Path, nargs="+", metavar="BUNDLE")
    export.add_argument("--format", "-f", required=True, choices=list(FORMATS), metavar="F",
                        help=f"one of: {', '.join(FORMATS)}")
    export.add_argument("-o", "--output", type=Path, required=True, metavar="OUT")
    export.add_argument("--force", action="store_true", help="replace an OUT that already exists")
    export.add_argument("--clean", action="store_true", help="leave review data out of the export")
    export.set_defaults(run=cli_export.run_export)

    imp = sub.add_parser(
        "import", help="make a bundle from another tool's file",
        description="Make a bundle from a Markdown file with front matter, a Hugo page bundle folder, an HTML "
                    "page, or a TextBundle or TextPack written by another program. Anything that could not be "
                    "brought in is listed as a note.")
    imp.add_argument("source", type=Path, metavar="SRC")
    imp.add_argument("-o", "--output", type=Path, required=True, metavar="BUNDLE",
                     help="the bundle to write: .textbundle (also when no suffix) or .textpack")
    imp.add_argument("--force", action="store_true", help="replace BUNDLE if it already exists")
    imp.set_defaults(run=cli_export.run_import)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("the time limit must be more than 0 seconds")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("the size cannot be negative")
    return value


def _wants_window(argv: Sequence[str]) -> bool:
    return not argv or (argv[0] not in SUBCOMMANDS and not argv[0].startswith("-"))


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if _wants_window(args):
            if len(args) > 1:
                raise _UsageError(f"{args[0]!r} is not a command, and only one file can be opened at a time "
                                  f"(see `{PROG} --help`)")
            return _run_window(Path(args[0]) if args else None)
        try:
            options = build_parser().parse_args(args)
        except SystemExit as exc:  # --help and --version
            return exc.code if isinstance(exc.code, int) else EXIT_OK
        if options.command is None:
            return _run_window(None)
        code = int(options.run(options))
        # Buffered output reaches a pipe only here; a reader that left early must be met by the handler below,
        # not by Python's own complaint at exit.
        sys.stdout.flush()
        return code
    except _UsageError as exc:
        return _fail(str(exc))
    except EditorError as exc:
        return _fail(str(exc))
    except BrokenPipeError:
        # Whoever read the output stopped early (`info … | head`): nobody is left to tell, so no error line.
        _drop_standard_output()
        return EXIT_OK
    except OSError as exc:
        return _fail(_describe_os_error(exc))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug; still one line, the exit code tells scripts it is not their fault
        return _fail(f"something went wrong inside the program ({type(exc).__name__}: {exc}).", EXIT_INTERNAL)


def gui_main() -> int:
    """Entry point of the windowed launcher: `article-editor-window [FILE]`."""
    args = sys.argv[1:]
    try:
        return _run_window(Path(args[0]) if args else None)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def _run_window(path: Path | None) -> int:
    # Qt is imported only here so the headless commands start fast and run where Qt cannot.
    try:
        from editor.ui.app import run_gui
    except ImportError as exc:
        return _fail(f"the window cannot be opened because a part of it is missing ({exc}).")
    return int(run_gui(path, [sys.argv[0] if sys.argv else PROG]))


def _drop_standard_output() -> None:
    """Point standard output at the null device, so flushing it at exit does not fail a second time."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real file behind standard output (captured, closed)
        pass


def _describe_os_error(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    return f"{reason}: {exc.filename}." if exc.filename else f"{reason}."


def _fail(message: str, code: int = EXIT_ERROR) -> int:
    from editor.cli_batch import printable

    print(f"{PROG}: error: {printable(message)}", file=sys.stderr)
    return code
