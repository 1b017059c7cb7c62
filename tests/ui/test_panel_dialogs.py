"""The panels' dialog functions hand back what the Qt dialogs answered."""

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from editor.ui import panel_dialogs


def test_choose_image_files_returns_paths_and_nothing_when_cancelled(monkeypatch):
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a: (["/x/a.png", "/x/b.jpg"], ""))
    assert panel_dialogs.choose_image_files(None) == [Path("/x/a.png"), Path("/x/b.jpg")]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: ("", ""))
    assert panel_dialogs.choose_image_files(None, multiple=False) == []


def test_ask_text_is_none_when_cancelled(monkeypatch):
    monkeypatch.setattr(QInputDialog, "getText", lambda *a: ("typed", False))
    assert panel_dialogs.ask_text(None, "t", "l", "x") is None
    monkeypatch.setattr(QInputDialog, "getText", lambda *a: ("typed", True))
    assert panel_dialogs.ask_text(None, "t", "l", "x") == "typed"


def test_ask_yes_no_is_true_only_for_yes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    assert panel_dialogs.ask_yes_no(None, "t", "q") is False
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    assert panel_dialogs.ask_yes_no(None, "t", "q") is True
