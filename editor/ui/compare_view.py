"""Showing a comparison: the text with insertions and deletions marked, then the other changes as a list."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from editor.core.compare import Comparison, FieldChange, Hunk, Segment

# Colour and a line style both mark a change, so it reads without telling red from green.
INSERT_STYLE = "color:#116329; background-color:#d6f5dd; text-decoration:underline;"
DELETE_STYLE = "color:#a40e26; background-color:#ffe0e0; text-decoration:line-through;"


def tr(text: str) -> str:
    """Translate a user-visible string of the comparison view."""
    return QCoreApplication.translate("CompareView", text)


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def segment_html(segment: Segment) -> str:
    """One stretch of text as HTML: plain, or marked as inserted or deleted."""
    text = _escape(segment.text)
    if segment.kind == "insert":
        return f'<span class="ins" style="{INSERT_STYLE}">{text}</span>'
    if segment.kind == "delete":
        return f'<span class="del" style="{DELETE_STYLE}">{text}</span>'
    return text


def _hunk_html(hunk: Hunk, show: tuple[str, ...]) -> str:
    where = tr("Line {old} → {new}").format(old=hunk.old_line, new=hunk.new_line)
    body = "".join(segment_html(s) for s in hunk.segments if s.kind in show)
    return (f'<p style="color:#57606a; margin-top:12px; margin-bottom:2px;">{_escape(where)}</p>'
            f'<div style="white-space:pre-wrap;">{body}</div>')


def text_html(comparison: Comparison, side: str = "both") -> str:
    """The text's hunks as HTML; side "old" or "new" shows one version only, for side-by-side reading."""
    show = {"both": ("equal", "insert", "delete"), "old": ("equal", "delete"), "new": ("equal", "insert")}[side]
    if not comparison.hunks:
        return f"<p><i>{_escape(tr('The text is the same.'))}</i></p>"
    return "<hr>".join(_hunk_html(hunk, show) for hunk in comparison.hunks)


def _change_rows(changes: list[FieldChange]) -> str:
    rows = []
    empty = _escape(tr("(empty)"))
    for change in changes:
        old = _escape(change.old) if change.old else f"<i>{empty}</i>"
        new = _escape(change.new) if change.new else f"<i>{empty}</i>"
        rows.append(f"<li><b>{_escape(change.label)}:</b> "
                    f'<span style="{DELETE_STYLE}">{old}</span> → <span style="{INSERT_STYLE}">{new}</span></li>')
    return "".join(rows)


def details_html(comparison: Comparison) -> str:
    """Metadata, image and caption changes as HTML lists."""
    parts = [f"<h3>{_escape(tr('Metadata'))}</h3>"]
    parts.append(f"<ul>{_change_rows(comparison.metadata)}</ul>" if comparison.metadata
                 else f"<p><i>{_escape(tr('No changes.'))}</i></p>")
    parts.append(f"<h3>{_escape(tr('Images'))}</h3>")
    words = {
        "added": tr("Added “{name}”"), "removed": tr("Removed “{name}”"),
        "replaced": tr("Replaced the picture of “{name}”"), "renamed": tr("Renamed “{old}” to “{name}”"),
    }
    items = [f"<li>{_escape(words[c.kind].format(name=c.name, old=c.old_name))}</li>" for c in comparison.images]
    items.append(_change_rows(comparison.image_fields))
    parts.append(f"<ul>{''.join(items)}</ul>" if comparison.images or comparison.image_fields
                 else f"<p><i>{_escape(tr('No changes.'))}</i></p>")
    return "".join(parts)


def summary_text(comparison: Comparison) -> str:
    """One line saying how much changed."""
    if comparison.identical:
        return tr("No differences.")
    others = len(comparison.metadata) + len(comparison.images) + len(comparison.image_fields)
    return tr("{inserted} word(s) inserted, {deleted} deleted; {others} other change(s).").format(
        inserted=comparison.words_inserted, deleted=comparison.words_deleted, others=others)


def _browser(name: str) -> QTextBrowser:
    browser = QTextBrowser()
    browser.setOpenLinks(False)
    browser.setAccessibleName(name)
    return browser


class CompareDialog(QDialog):
    """A comparison of two states of an article: inline or side by side, then the other changes."""

    def __init__(self, comparison: Comparison, old_label: str, new_label: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compare_dialog")
        self.setWindowTitle(tr("Compare “{old}” with “{new}”").format(old=old_label, new=new_label))
        self.comparison = comparison
        self.summary = QLabel(summary_text(comparison))
        self.summary.setWordWrap(True)
        self.side_by_side = QCheckBox(tr("&Side by side"))
        self.inline_view = _browser(tr("Differences in the text"))
        self.inline_view.setHtml(text_html(comparison))
        self.old_view = _browser(tr("Old text"))
        self.old_view.setHtml(f"<h4>{_escape(old_label)}</h4>" + text_html(comparison, "old"))
        self.new_view = _browser(tr("New text"))
        self.new_view.setHtml(f"<h4>{_escape(new_label)}</h4>" + text_html(comparison, "new"))
        pair = QSplitter(Qt.Orientation.Horizontal)
        pair.addWidget(self.old_view)
        pair.addWidget(self.new_view)
        self.text_stack = QStackedWidget()
        self.text_stack.addWidget(self.inline_view)
        self.text_stack.addWidget(pair)
        self.details_view = _browser(tr("Other changes"))
        self.details_view.setHtml(details_html(comparison))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.text_stack)
        split.addWidget(self.details_view)
        split.setSizes([420, 200])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.side_by_side)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        self.side_by_side.toggled.connect(lambda on: self.text_stack.setCurrentIndex(1 if on else 0))
        self.resize(900, 680)
