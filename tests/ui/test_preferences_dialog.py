"""The preferences dialog shows the preferences, returns what was edited, and survives a trip through QSettings."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from editor.core.images import ImportSettings
from editor.ui import preferences_dialog
from editor.ui.preferences import Preferences
from editor.ui.preferences_dialog import PreferencesDialog


@pytest.fixture
def settings(tmp_path) -> QSettings:
    """Settings in the test's own ini file."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def test_dialog_shows_current_preferences(qtbot):
    prefs = Preferences(author_name="Ann", editor_font_family="", editor_font_size=15,
                        import_settings=ImportSettings(strip_metadata=False, max_edge=None, jpeg_quality=70))
    dialog = PreferencesDialog(prefs)
    qtbot.addWidget(dialog)
    assert dialog.author.text() == "Ann"
    assert dialog.system_font.isChecked() and not dialog.font_family.isEnabled()
    assert dialog.font_size.value() == 15
    assert not dialog.strip_metadata.isChecked()
    assert dialog.max_edge.value() == 0 and dialog.max_edge.text() == "Keep original size"
    assert dialog.jpeg_quality.value() == 70


def test_edits_come_back_as_new_preferences_and_leave_the_original_alone(qtbot):
    prefs = Preferences(recent_files=["/a.textbundle"], known_tags=["politics"])
    dialog = PreferencesDialog(prefs)
    qtbot.addWidget(dialog)
    dialog.author.setText("  Bob Reporter ")
    dialog.system_font.setChecked(False)
    family = dialog.font_family.currentFont().family()
    dialog.font_size.setValue(18)
    dialog.strip_metadata.setChecked(False)
    dialog.max_edge.setValue(1600)
    dialog.jpeg_quality.setValue(90)
    edited = dialog.preferences()
    assert edited.author_name == "Bob Reporter"
    assert edited.editor_font_family == family
    assert edited.editor_font_size == 18
    assert edited.import_settings == ImportSettings(strip_metadata=False, max_edge=1600, jpeg_quality=90)
    assert edited.recent_files == ["/a.textbundle"] and edited.known_tags == ["politics"]
    assert prefs.author_name == "" and prefs.editor_font_size == 12


def test_keep_original_size_means_no_limit(qtbot):
    dialog = PreferencesDialog(Preferences())
    qtbot.addWidget(dialog)
    dialog.max_edge.setValue(0)
    assert dialog.preferences().import_settings.max_edge is None


def test_jpeg_quality_cannot_go_below_thirty(qtbot):
    dialog = PreferencesDialog(Preferences())
    qtbot.addWidget(dialog)
    dialog.jpeg_quality.setValue(5)
    assert dialog.preferences().import_settings.jpeg_quality == 30


def test_edited_preferences_round_trip_through_settings(qtbot, settings):
    dialog = PreferencesDialog(Preferences.load(settings))
    qtbot.addWidget(dialog)
    dialog.author.setText("Chris")
    dialog.font_size.setValue(20)
    dialog.max_edge.setValue(1200)
    dialog.strip_metadata.setChecked(False)
    dialog.preferences().save(settings)
    loaded = Preferences.load(QSettings(settings.fileName(), QSettings.Format.IniFormat))
    assert (loaded.author_name, loaded.editor_font_size) == ("Chris", 20)
    assert loaded.import_settings.max_edge == 1200 and not loaded.import_settings.strip_metadata


def _answer_dialog(accept: bool) -> None:
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PreferencesDialog) and w.isVisible())
    dialog.author.setText("Typed")
    if accept:
        dialog.accept()
    else:
        dialog.reject()


# Showing a dialog on the headless test platform logs that it cannot pass on size hints.
@pytest.mark.qt_log_ignore(r"does not support propagateSizeHints")
@pytest.mark.parametrize(("accept", "expected"), [(True, "Typed"), (False, None)], ids=["ok", "cancel"])
def test_edit_preferences_returns_edits_only_when_accepted(qtbot, accept, expected):
    QTimer.singleShot(0, lambda: _answer_dialog(accept))
    result = preferences_dialog.edit_preferences(None, Preferences(author_name="Before"))
    assert (result.author_name if result is not None else None) == expected


def test_autosave_is_off_and_five_backups_are_kept_by_default(qtbot, settings):
    prefs = Preferences.load(settings)
    assert (prefs.autosave_bundle, prefs.backups_kept) == (False, 5)
    dialog = PreferencesDialog(prefs)
    qtbot.addWidget(dialog)
    dialog.autosave_bundle.setChecked(True)
    dialog.backups_kept.setValue(0)
    edited = dialog.preferences()
    assert (edited.autosave_bundle, edited.backups_kept) == (True, 0)
    edited.save(settings)
    again = Preferences.load(QSettings(settings.fileName(), QSettings.Format.IniFormat))
    assert (again.autosave_bundle, again.backups_kept) == (True, 0)
