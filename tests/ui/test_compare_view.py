"""The comparison view: marked insertions and deletions, escaped text, the list of other changes."""

from __future__ import annotations

import html
import re

from editor.core.compare import Segment, compare_articles
from editor.core.model import Article, ImageAsset, Metadata
from editor.ui.compare_view import CompareDialog, details_html, segment_html, summary_text, text_html
from tests.ui.window_helpers import png_bytes


def shown(page: str) -> str:
    """What a reader sees of an HTML fragment."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_the_comparison_html_escapes_the_text() -> None:
    comparison = compare_articles(Article(body="safe <b>x</b>\n"), Article(body="safe <script>alert(1)</script>\n"))
    page = text_html(comparison)
    assert "<script" not in page and "<b>" not in page
    assert "safe <bscript>xalert(1)</bscript>" in shown(page)


def test_insertions_are_underlined_and_deletions_struck() -> None:
    assert segment_html(Segment("delete", "a & b")).endswith(">a &amp; b</span>")
    assert "line-through" in segment_html(Segment("delete", "x"))
    assert "underline" in segment_html(Segment("insert", "x"))
    assert segment_html(Segment("equal", "<i>")) == "&lt;i&gt;"


def test_details_list_metadata_and_image_changes_escaped() -> None:
    old = Article(metadata=Metadata(title="<Old>"), assets=[ImageAsset.from_bytes("a&b.png", png_bytes(), caption="x")])
    new = Article(metadata=Metadata(title="New"), assets=[ImageAsset.from_bytes("a&b.png", png_bytes(), caption="")])
    page = details_html(compare_articles(old, new))
    assert "<Old>" not in page
    assert "Title: <Old> → New" in shown(page)
    assert "Caption of “a&b.png”: x → (empty)" in shown(page)


def test_the_summary_counts_words_and_other_changes() -> None:
    same = compare_articles(Article(body="a b"), Article(body="a b"))
    assert summary_text(same) == "No differences."
    assert text_html(same).count("The text is the same.") == 1
    changed = compare_articles(Article(body="one two."), Article(body="one three four.", metadata=Metadata(title="T")))
    assert summary_text(changed) == "2 word(s) inserted, 1 deleted; 1 other change(s)."


def test_side_by_side_switches_to_two_panes(qtbot) -> None:
    dialog = CompareDialog(compare_articles(Article(body="old word\n"), Article(body="new word\n")), "Then", "Now")
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Compare “Then” with “Now”"
    assert dialog.text_stack.currentIndex() == 0
    dialog.side_by_side.setChecked(True)
    assert dialog.text_stack.currentIndex() == 1
    assert "old" in dialog.old_view.toPlainText() and "new" not in dialog.old_view.toPlainText()
