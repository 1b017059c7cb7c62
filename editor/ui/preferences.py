"""User preferences kept between runs (QSettings), passed to whatever needs them."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QSettings

from editor.core.images import ImportSettings

MAX_RECENT = 10
DEFAULT_BACKUPS = 5
MAX_BACKUPS = 50


@dataclass
class Preferences:
    """What the preferences dialog edits, plus recent files and known tags."""

    author_name: str = ""
    editor_font_family: str = ""  # empty: the system's fixed-width font
    editor_font_size: int = 12
    import_settings: ImportSettings = field(default_factory=ImportSettings)
    recent_files: list[str] = field(default_factory=list)
    known_tags: list[str] = field(default_factory=list)
    autosave_bundle: bool = False  # also save into the bundle itself when idle (recovery copies are always kept)
    backups_kept: int = DEFAULT_BACKUPS  # previous versions kept on each save; 0 keeps none
    spell_check: bool = True  # underline words the article language's dictionary does not know

    @classmethod
    def load(cls, settings: QSettings) -> Preferences:
        """Read preferences; missing or malformed values fall back to defaults."""
        prefs = cls()
        defaults = ImportSettings()

        def get(key: str, default, kind):
            value = settings.value(key, default)
            try:
                return kind(value) if value is not None else default
            except (TypeError, ValueError):
                return default

        def get_list(key: str) -> list[str]:
            value = settings.value(key, [])
            if isinstance(value, str):
                return [value] if value else []
            return [str(v) for v in value or []]

        def get_bool(key: str, default: bool) -> bool:
            value = settings.value(key, default)
            return value in (True, "true", "1", 1) if not isinstance(value, bool) else value

        prefs.author_name = get("author/name", "", str)
        prefs.editor_font_family = get("editor/font_family", "", str)
        prefs.editor_font_size = max(6, min(72, get("editor/font_size", 12, int)))
        max_edge = get("images/max_edge", defaults.max_edge or 0, int)
        prefs.import_settings = ImportSettings(
            strip_metadata=get_bool("images/strip_metadata", defaults.strip_metadata),
            max_edge=max_edge if max_edge > 0 else None,
            jpeg_quality=max(30, min(100, get("images/jpeg_quality", defaults.jpeg_quality, int))),
        )
        prefs.recent_files = get_list("files/recent")[:MAX_RECENT]
        prefs.known_tags = get_list("metadata/known_tags")
        prefs.spell_check = get_bool("review/spell_check", True)
        prefs.autosave_bundle = get_bool("safety/autosave_bundle", False)
        prefs.backups_kept = max(0, min(MAX_BACKUPS, get("safety/backups_kept", DEFAULT_BACKUPS, int)))
        return prefs

    def save(self, settings: QSettings) -> None:
        """Write preferences."""
        settings.setValue("author/name", self.author_name)
        settings.setValue("editor/font_family", self.editor_font_family)
        settings.setValue("editor/font_size", self.editor_font_size)
        settings.setValue("images/strip_metadata", self.import_settings.strip_metadata)
        settings.setValue("images/max_edge", self.import_settings.max_edge or 0)
        settings.setValue("images/jpeg_quality", self.import_settings.jpeg_quality)
        settings.setValue("files/recent", list(self.recent_files))
        settings.setValue("metadata/known_tags", list(self.known_tags))
        settings.setValue("review/spell_check", self.spell_check)
        settings.setValue("safety/autosave_bundle", self.autosave_bundle)
        settings.setValue("safety/backups_kept", self.backups_kept)
        settings.sync()

    def add_recent(self, path: str) -> None:
        """Put a file at the top of the recent list."""
        self.recent_files = [path] + [p for p in self.recent_files if p != path]
        del self.recent_files[MAX_RECENT:]

    def remember_tags(self, tags: list[str]) -> None:
        """Add tags used in an article to the completion list."""
        for tag in tags:
            if tag and tag not in self.known_tags:
                self.known_tags.append(tag)
