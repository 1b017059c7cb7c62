"""The Preferences dialog: author name, editor font, and how images are imported."""

from __future__ import annotations

import copy
import dataclasses

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFontComboBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from editor.ui.preferences import MAX_BACKUPS, Preferences

MAX_EDGE_LIMIT = 20000


def tr(text: str) -> str:
    """Translate a user-visible string of the preferences dialog."""
    return QCoreApplication.translate("PreferencesDialog", text)


class PreferencesDialog(QDialog):
    """Edits a copy of the preferences; preferences() returns the edited copy."""

    def __init__(self, preferences: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Preferences"))
        self._original = preferences

        self.author = QLineEdit(preferences.author_name)
        self.author.setAccessibleName(tr("Author name"))
        self.author.setPlaceholderText(tr("Added as author of new articles"))

        self.system_font = QCheckBox(tr("Use the system's &fixed-width font"))
        self.font_family = QFontComboBox()
        self.font_family.setAccessibleName(tr("Editor font"))
        self.font_size = QSpinBox()
        self.font_size.setRange(6, 72)
        self.font_size.setSuffix(tr(" pt"))
        self.font_size.setAccessibleName(tr("Editor font size"))
        self.font_size.setValue(preferences.editor_font_size)
        family = preferences.editor_font_family
        self.system_font.setChecked(not family)
        self.font_family.setCurrentFont(
            QFont(family) if family else QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.font_family.setEnabled(bool(family))
        self.system_font.toggled.connect(lambda on: self.font_family.setEnabled(not on))

        settings = preferences.import_settings
        self.strip_metadata = QCheckBox(tr("&Remove location, camera and other hidden data"))
        self.strip_metadata.setChecked(settings.strip_metadata)
        self.max_edge = QSpinBox()
        self.max_edge.setRange(0, MAX_EDGE_LIMIT)
        self.max_edge.setSingleStep(100)
        self.max_edge.setSuffix(tr(" px"))
        self.max_edge.setSpecialValueText(tr("Keep original size"))
        self.max_edge.setValue(settings.max_edge or 0)
        self.max_edge.setAccessibleName(tr("Longest side of imported images"))
        self.jpeg_quality = QSpinBox()
        self.jpeg_quality.setRange(30, 100)
        self.jpeg_quality.setValue(settings.jpeg_quality)
        self.jpeg_quality.setAccessibleName(tr("JPEG quality"))

        self.autosave_bundle = QCheckBox(tr("Also save into the article's own file after 30 seconds without typing"))
        self.autosave_bundle.setChecked(preferences.autosave_bundle)
        self.backups_kept = QSpinBox()
        self.backups_kept.setRange(0, MAX_BACKUPS)
        self.backups_kept.setSpecialValueText(tr("None"))
        self.backups_kept.setValue(preferences.backups_kept)
        self.backups_kept.setAccessibleName(tr("Previous versions kept"))

        writing = QGroupBox(tr("Writing"))
        form = QFormLayout(writing)
        form.addRow(tr("&Author name:"), self.author)
        form.addRow("", self.system_font)
        form.addRow(tr("Editor &font:"), self.font_family)
        form.addRow(tr("Font &size:"), self.font_size)
        images = QGroupBox(tr("Importing images"))
        image_form = QFormLayout(images)
        image_form.addRow("", self.strip_metadata)
        image_form.addRow(tr("&Longest side:"), self.max_edge)
        image_form.addRow(tr("&JPEG quality:"), self.jpeg_quality)

        safety = QGroupBox(tr("Keeping your work safe"))
        safety_form = QFormLayout(safety)
        safety_form.addRow("", self.autosave_bundle)
        safety_form.addRow(tr("Previous &versions kept:"), self.backups_kept)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(writing)
        layout.addWidget(images)
        layout.addWidget(safety)
        layout.addWidget(buttons)
        self.author.setFocus()

    def preferences(self) -> Preferences:
        """A copy of the original preferences with what the dialog shows."""
        result = copy.deepcopy(self._original)
        result.author_name = self.author.text().strip()
        result.editor_font_family = "" if self.system_font.isChecked() else self.font_family.currentFont().family()
        result.editor_font_size = self.font_size.value()
        result.import_settings = dataclasses.replace(
            self._original.import_settings,
            strip_metadata=self.strip_metadata.isChecked(),
            max_edge=self.max_edge.value() or None,
            jpeg_quality=self.jpeg_quality.value(),
        )
        result.autosave_bundle = self.autosave_bundle.isChecked()
        result.backups_kept = self.backups_kept.value()
        return result


def edit_preferences(parent: QWidget | None, preferences: Preferences) -> Preferences | None:
    """Show the dialog; the edited preferences when accepted, None when cancelled."""
    dialog = PreferencesDialog(preferences, parent)
    try:
        return dialog.preferences() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
