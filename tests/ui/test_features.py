"""A deferred start: the text first, then the preview and the review features once the window has painted."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDockWidget

from editor.core.bundle import save_bundle
from editor.core.model import Article, Metadata
from editor.ui import features, main_window
from editor.ui.preferences import Preferences
from tests.ui.window_helpers import (
    HEADLESS_NOISE,
    StandInPreview,
    make_settings,
    track_window,
)

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)


def deferred_window(qtbot, settings) -> main_window.MainWindow:
    """A window built the way the application starts it, with the stand-in preview."""
    return track_window(qtbot, main_window.MainWindow(Preferences.load(settings), settings,
                                                      preview_factory=StandInPreview, defer=True))


def test_a_deferred_window_builds_the_preview_and_features_only_after_it_is_shown(qtbot, answers, tmp_path):
    window = deferred_window(qtbot, make_settings(tmp_path))
    assert isinstance(window.preview, features.PendingPreview)
    assert window.features == {}
    assert not features.is_built(window)
    window.show()
    qtbot.waitUntil(lambda: features.is_built(window), timeout=10_000)
    assert isinstance(window.preview, StandInPreview)
    assert window.preview_dock.widget() is window.preview
    assert set(window.features) == {name.rsplit(".", 1)[1] for name in features.FEATURE_MODULES}
    assert window.text_pane.editor.hasFocus() or not window.isActiveWindow()


def test_the_preview_built_later_shows_the_article_opened_meanwhile(qtbot, answers, tmp_path):
    path = tmp_path / "early.textbundle"
    save_bundle(Article(body="Opened before the preview existed.\n", metadata=Metadata(title="Early")), path)
    window = deferred_window(qtbot, make_settings(tmp_path))
    window.show()
    assert window.open_path(path)  # may run before the first paint, as a file named on the command line does
    qtbot.waitUntil(lambda: features.is_built(window), timeout=10_000)
    assert window.preview.document is window.document
    assert window.document.path == path
    comments = window.features["comments_panel"]
    assert comments.document is window.document


def test_a_window_closed_before_its_first_paint_builds_nothing_more(qtbot, answers, tmp_path):
    window = deferred_window(qtbot, make_settings(tmp_path))
    window.show()
    window.close()
    features.finish_building(window)
    assert isinstance(window.preview, features.PendingPreview)
    assert window.features == {}


def test_docks_added_later_come_back_as_the_last_session_left_them(qtbot, answers, tmp_path):
    settings = make_settings(tmp_path)
    first = deferred_window(qtbot, settings)
    first.show()
    qtbot.waitUntil(lambda: features.is_built(first), timeout=10_000)
    comments = first.findChild(QDockWidget, "comments_dock")
    assert comments is not None and not comments.isVisible()  # hidden until asked for
    comments.show()
    first.close()
    second = deferred_window(qtbot, settings)
    second.show()
    qtbot.waitUntil(lambda: features.is_built(second), timeout=10_000)
    again = second.findChild(QDockWidget, "comments_dock")
    assert again is not None and again.isVisible()


def test_the_application_starts_its_window_deferred(qtbot, answers, tmp_path, monkeypatch):
    from editor.ui import app

    monkeypatch.setattr(main_window, "_real_preview", StandInPreview)
    window = track_window(qtbot, app.start_window(None, make_settings(tmp_path)))
    qtbot.waitUntil(lambda: features.is_built(window), timeout=10_000)
    assert isinstance(window.preview, StandInPreview)


def test_a_module_that_cannot_be_loaded_ahead_does_not_stop_the_build(qtbot, answers, tmp_path, monkeypatch):
    monkeypatch.setattr(features, "PRELOAD", ("editor.no_such_module_here",))
    window = deferred_window(qtbot, make_settings(tmp_path))
    window.show()
    qtbot.waitUntil(lambda: features.is_built(window), timeout=10_000)
    assert "check_panel" in window.features
