"""Fixtures every window test shares: scripted dialog answers, and windows deleted when a test ends."""

from __future__ import annotations

import pytest

from tests.ui.window_helpers import Answers, delete_windows, patch_dialogs


@pytest.fixture(autouse=True)
def _delete_windows():
    """Windows made by a test are deleted when it ends, so their web views go before their profiles."""
    yield
    delete_windows()


@pytest.fixture
def answers(monkeypatch) -> Answers:
    """Scripted answers for the window's dialogs; unsaved changes are discarded unless a test says otherwise."""
    scripted = Answers()
    patch_dialogs(monkeypatch, scripted)
    return scripted
