"""Fuzzing the bundle reader and the renderer: whatever the input, only an EditorError comes out, never a crash.

Repeatable in CI (derandomised, no example database) and bounded (a modest number of small examples).
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import warnings
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor import APP_ID
from editor.core.bundle import open_bundle, save_bundle
from editor.core.errors import EditorError
from editor.core.html_import import html_to_markdown
from editor.core.render import markdown_to_html, render_document
from editor.core.sanitize import sanitize_fragment
from tests.core.bundle_samples import clone, sample_article
from tests.core.test_hostile_inputs import dangers

FUZZ = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Pieces of entry names that make readers trip: traversal, separators, clutter, our own names, odd characters.
NAME_PARTS = st.sampled_from([
    "Story.textbundle/", "assets/", "text.md", "text.markdown", "info.json", "../", "..", "/", "\\", "C:",
    "__MACOSX/", "._", ".DS_Store", f"{APP_ID}/", "a", "é", " ", "\x00", "\n", "\u202e", "x.png", "", ".",
])
ENTRY_NAMES = st.lists(NAME_PARTS, min_size=1, max_size=5).map("".join)
CONTENTS = st.one_of(
    st.binary(max_size=64),
    st.sampled_from([b"{}", b"[]", b'{"version": 2,}', b"\xef\xbb\xbf{\"version\": 3}", b"\x89PNG\r\n\x1a\n",
                     b'{"org.article-editor": {"assets": [{"name": "../x"}], "metadata": {"tags": 5}}}']),
)

_PACK: list[bytes] = []


def valid_pack() -> bytes:
    """A TextPack as this program writes it."""
    if not _PACK:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "Story.textpack"
            save_bundle(clone(sample_article()), path)
            _PACK.append(path.read_bytes())
    return _PACK[0]


def _opens_or_refuses(path: Path) -> None:
    """open_bundle either works, and everything it returns can be read and saved again, or says why in a sentence."""
    try:
        opened = open_bundle(path)
    except EditorError as exc:
        assert str(exc).strip() and "\n" not in str(exc)
        return
    for asset in opened.article.assets:
        with contextlib.suppress(EditorError):
            asset.data.read_bytes()
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        # Saving what was read elsewhere must also end in a bundle or a sentence (unflushed: only speed differs).
        patch.setattr(os, "fsync", lambda fd: None)
        with contextlib.suppress(EditorError):
            save_bundle(opened.article, Path(folder) / "copy.textpack")
            open_bundle(Path(folder) / "copy.textpack")


@settings(FUZZ, max_examples=25)
@given(entries=st.lists(st.tuples(ENTRY_NAMES, CONTENTS), max_size=6),
       keep=st.sets(st.integers(0, 30), max_size=8), stored=st.booleans())
def test_a_textpack_with_random_entries_opens_or_is_refused(entries: list[tuple[str, bytes]], keep: set[int],
                                                             stored: bool) -> None:
    original = zipfile.ZipFile(io.BytesIO(valid_pack()))
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
                                                    ) as archive:
        warnings.simplefilter("ignore")  # duplicate names are part of the attack
        for index, info in enumerate(original.infolist()):
            if index in keep:  # a random part of the real bundle survives
                archive.writestr(info.filename, original.read(info))
        for name, data in entries:
            with contextlib.suppress(ValueError, IndexError):  # zipfile itself refuses some names (NUL, empty)
                archive.writestr(name, data)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "Story.textpack"
        path.write_bytes(out.getvalue())
        _opens_or_refuses(path)
        assert os.listdir(folder) == ["Story.textpack"]


@FUZZ
@given(spans=st.lists(st.tuples(st.floats(0, 1), st.integers(1, 16), st.binary(min_size=1, max_size=16)),
                      min_size=1, max_size=3),
       end_part=st.booleans(), cut=st.none() | st.floats(0.5, 1))
def test_a_textpack_with_overwritten_bytes_opens_or_is_refused(spans: list[tuple[float, int, bytes]], end_part: bool,
                                                                cut: float | None) -> None:
    data = bytearray(valid_pack())
    # Half of the examples aim at the central directory at the end, where the reader starts.
    low = int(len(data) * 0.8) if end_part else 0
    for where, length, junk in spans:
        start = low + int((len(data) - low - 1) * where)
        data[start:start + length] = (junk * length)[:length]
    if cut is not None:
        data = data[: int(len(data) * cut)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "Story.textpack"
        path.write_bytes(bytes(data))
        _opens_or_refuses(path)


FOLDER_NAMES = st.sampled_from(["text.md", "text.markdown", "text.txt", "info.json", "assets", APP_ID, "x",
                                "._x", "__MACOSX", "a b.png", "é.png", "sub", "text.md.tmp"])
TREE = st.recursive(
    st.one_of(CONTENTS, st.sampled_from(["<link>", "<loop>", "<dangling>"])),
    lambda inner: st.dictionaries(FOLDER_NAMES, inner, max_size=4),
    max_leaves=10,
)


def _make_tree(root: Path, tree: dict, top: Path) -> None:
    for name, value in tree.items():
        path = root / name
        if isinstance(value, dict):
            path.mkdir()
            _make_tree(path, value, top)
        elif value == "<link>":
            path.symlink_to(top / "outside.txt")
        elif value == "<loop>":
            path.symlink_to(root, target_is_directory=True)
        elif value == "<dangling>":
            path.symlink_to(top / "nothing-here")
        else:
            path.write_bytes(value)


@FUZZ
@given(tree=st.dictionaries(FOLDER_NAMES, TREE, max_size=6))
def test_a_random_folder_tree_opens_or_is_refused(tree: dict) -> None:
    with tempfile.TemporaryDirectory() as folder:
        top = Path(folder)
        (top / "outside.txt").write_bytes(b"SECRET")
        bundle = top / "Story.textbundle"
        bundle.mkdir()
        _make_tree(bundle, tree, top)
        try:
            opened = open_bundle(bundle)
        except EditorError as exc:
            assert "\n" not in str(exc)
            return
        assert "SECRET" not in opened.article.body
        for asset in opened.article.assets:
            with contextlib.suppress(EditorError):
                assert asset.data.read_bytes() != b"SECRET"


# Markdown-ish tokens: the constructs that make Python-Markdown and the sanitiser work hardest.
TOKENS = st.sampled_from([
    "[", "]", "(", ")", "![", "[a", "](", "*", "**", "_", "`", "```", "~~~", "> ", "- ", "1. ", "    ", "\t", "\n",
    "\n\n", "#", "|", "---", "<", ">", "</", "<div>", "</div>", "<script>", "<img src=x onerror=y>", "&", "&#",
    "&#x0;", ";", "\\", "\"", "'", "[^1]", "[^1]: ", "*[HTML]: ", "{: #id .cls }", "javascript:", "data:",
    "http://127.0.0.1:9/", "assets/a.png", "<!--", "-->", "<![CDATA[", "]]>", "\x00", "\u202e", "é", "😀", "a", " ",
])
MARKDOWN = st.lists(TOKENS, max_size=80).map("".join)


@FUZZ
@given(text=MARKDOWN)
def test_any_markdown_renders_to_safe_html_or_a_render_error(text: str) -> None:
    try:
        html = markdown_to_html(text)
    except EditorError:
        return
    assert dangers(html) == []


@FUZZ
@given(text=MARKDOWN, title=st.text(max_size=20))
def test_any_article_renders_as_a_whole_page_or_a_render_error(text: str, title: str) -> None:
    article = sample_article()
    article.body = text
    article.metadata.title = title
    try:
        page = render_document(article)
    except EditorError:
        return
    assert dangers(page.split("<body>", 1)[1]) == []


@FUZZ
@given(html=st.lists(st.sampled_from([
    "<p>", "</p>", "<a href='javascript:x'>", "<a href='http://x'>", "</a>", "<img src=x onerror=y>", "<script>",
    "</script>", "<svg onload=x>", "<style>", "</style>", "<ul>", "<li>", "</ul>", "<b>", "</b>", "<table><tr><td>",
    "<br>", "<!--", "-->", "&lt;script&gt;", "text", " ", "\n", "<h1>", "<pre>", "<code>", "`", "*", "[", "](",
]), max_size=60).map("".join))
def test_any_pasted_html_becomes_markdown_that_renders_safely(html: str) -> None:
    try:
        markdown = html_to_markdown(html)
        rendered = markdown_to_html(markdown)
    except EditorError:
        return
    assert dangers(rendered) == []
    assert dangers(sanitize_fragment(html)) == []
