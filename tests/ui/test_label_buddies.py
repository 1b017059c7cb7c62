"""Every label with an Alt shortcut in the forms and dialogs moves the focus to a field."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget

from editor.core.check import ERROR, Problem
from editor.core.model import Article, Metadata
from editor.ui.document import ArticleDocument
from editor.ui.export_dialog import ExportDialog
from editor.ui.find_replace import FindReplaceBar
from editor.ui.metadata_form import MetadataForm
from editor.ui.preferences import Preferences
from editor.ui.preferences_dialog import PreferencesDialog

# One '&' followed by a character other than '&' marks a mnemonic; "&&" is a literal ampersand.
MNEMONIC = re.compile(r"(?<!&)&(?!&)(?=.)")


def export_dialog(tmp_path) -> QWidget:
    problem = Problem("missing-image", "A picture is missing.", ERROR, line=1)
    return ExportDialog(Article(metadata=Metadata(title="T")), tmp_path, [problem])


def metadata_form(_tmp_path) -> QWidget:
    return MetadataForm(ArticleDocument(Article()), Preferences())


def preferences_dialog(_tmp_path) -> QWidget:
    return PreferencesDialog(Preferences())


def find_bar(_tmp_path) -> QWidget:
    bar = FindReplaceBar(QPlainTextEdit())
    bar.open_find(replace=True)
    return bar


@pytest.mark.parametrize("build", [export_dialog, metadata_form, preferences_dialog, find_bar])
def test_every_label_with_a_mnemonic_has_a_buddy(qtbot, tmp_path, build):
    widget = build(tmp_path)
    qtbot.addWidget(widget)
    with_mnemonic = [label for label in widget.findChildren(QLabel) if MNEMONIC.search(label.text())]
    missing = [label.text() for label in with_mnemonic if label.buddy() is None]
    assert not missing, f"labels whose Alt shortcut goes nowhere: {missing}"


def test_the_destination_shortcut_reaches_the_destination_field(qtbot, tmp_path):
    dialog = export_dialog(tmp_path)
    qtbot.addWidget(dialog)
    label = next(label for label in dialog.findChildren(QLabel) if label.text() == "&Destination:")
    assert label.buddy() is dialog.destination
