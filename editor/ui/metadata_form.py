"""The metadata form: title, dek, authors, dates, slug, tags, summary and the rest, all undoable."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from editor.core.model import Status, make_slug
from editor.ui.custom_fields import CustomFieldsTable
from editor.ui.date_field import DateField
from editor.ui.document import ArticleDocument
from editor.ui.field_checks import COMMON_LANGUAGES, language_problem, slug_problem, url_problem
from editor.ui.list_editor import ListEditor
from editor.ui.preferences import Preferences
from editor.ui.tag_editor import TagEditor
from editor.ui.theme import invalid_style, problem_colour
from editor.ui.undo_keys import UndoKeyFilter
from editor.ui.wheel_guard import guard_value_widgets

SUMMARY_LIMIT = 160


def tr(text: str) -> str:
    """Translate a user-visible string of the metadata form."""
    return QCoreApplication.translate("MetadataForm", text)


def _mark(widget: QWidget, problem: str | None, palette: QPalette) -> None:
    widget.setStyleSheet(invalid_style(palette) if problem else "")
    widget.setToolTip(problem or "")


class ProblemLabel(QLabel):
    """A wrapped red note under a field that always gets the height its text needs."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setVisible(False)
        self._paint_colour()

    def setText(self, text: str) -> None:
        """Show the text and claim the lines it wraps to."""
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Claim the height the text needs at the new width."""
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        """Follow a switch between light and dark."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_colour()

    def _paint_colour(self) -> None:
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText, problem_colour(palette))
        # Setting the same colour again sends no further change event, so this settles at once.
        self.setPalette(palette)

    def _fit(self) -> None:
        # The form layout places a wrapped row in a scroll area with too little height (only as many lines
        # as a wider column would need), cutting the last line off; a minimum height cannot be ignored.
        needed = self.heightForWidth(self.width()) if self.text() else 0
        if needed != self.minimumHeight():
            self.setMinimumHeight(max(0, needed))


class MetadataForm(QWidget):
    """Edits the article's metadata; each change is a step of the document's undo history."""

    def __init__(self, document: ArticleDocument, preferences: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._preferences = preferences
        self._updating = False
        self.undo_filter = UndoKeyFilter(lambda: self._document.undo_stack, self)
        self._build()
        self._connect(document)
        self.refresh()

    # --- public -------------------------------------------------------------------------
    def set_document(self, document: ArticleDocument) -> None:
        """Edit another document's metadata."""
        self._disconnect(self._document)
        self._document = document
        self._connect(document)
        self.refresh()

    def apply_preferences(self, preferences: Preferences) -> None:
        """Follow changed preferences (the tag completion list)."""
        self._preferences = preferences
        self.tags.set_known_tags(preferences.known_tags)

    def refresh(self, name: str | None = None) -> None:
        """Show the document's metadata (one field, or all) without changing the document."""
        meta = self._document.metadata
        self._updating = True
        try:
            for field_name, show in self._refreshers.items():
                if name is None or name == field_name:
                    show(getattr(meta, field_name))
        finally:
            self._updating = False

    # --- building -------------------------------------------------------------------------
    def _build(self) -> None:
        content = QWidget()
        form = QFormLayout(content)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.title = QLineEdit()
        self.subtitle = QLineEdit()
        self.subtitle.setPlaceholderText(tr("One sentence under the headline"))
        self.authors = ListEditor(tr("Author"), self.undo_filter)
        self.date = DateField(tr("Date"))
        self.updated = DateField(tr("Last updated"))
        self.date_problem = self._problem_label()
        self.updated_problem = self._problem_label()
        self.slug = QLineEdit()
        self.slug_reset = QPushButton(tr("Automatic"))
        self.slug_reset.setToolTip(tr("Derive the slug from the title again"))
        self.slug_reset.setAccessibleName(tr("Reset slug to automatic"))
        self.slug_problem = self._problem_label()
        self.section = QLineEdit()
        self.tags = TagEditor(self._preferences.known_tags)
        self.summary = QPlainTextEdit()
        self.summary.setTabChangesFocus(True)
        self.summary.setMaximumHeight(90)
        self.summary_count = QLabel()
        self.language = QComboBox()
        self.language.setEditable(True)
        self.language.addItems(COMMON_LANGUAGES)
        self.language.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.language_problem = self._problem_label()
        self.status = QComboBox()
        for status in Status:
            self.status.addItem(tr(status.label), status.value)
        self.featured = QComboBox()
        self.source_url = QLineEdit()
        self.source_url.setPlaceholderText("https://")
        self.source_problem = self._problem_label()
        self.custom = CustomFieldsTable(self.undo_filter)

        slug_row = QHBoxLayout()
        slug_row.addWidget(self.slug, 1)
        slug_row.addWidget(self.slug_reset)
        rows: list[tuple[str, str, QWidget | QHBoxLayout, QWidget]] = [
            (tr("&Title:"), tr("Title"), self.title, self.title),
            (tr("Su&btitle:"), tr("Subtitle"), self.subtitle, self.subtitle),
            (tr("Aut&hors:"), tr("Authors"), self.authors, self.authors.list),
            (tr("&Date:"), tr("Date"), self.date, self.date.line),
            (tr("Last &updated:"), tr("Last updated"), self.updated, self.updated.line),
            (tr("S&lug:"), tr("Slug"), slug_row, self.slug),
            (tr("Sectio&n:"), tr("Section"), self.section, self.section),
            (tr("Ta&gs:"), tr("Tags"), self.tags, self.tags.line),
            (tr("Su&mmary:"), tr("Summary"), self.summary, self.summary),
            (tr("Lan&guage:"), tr("Language"), self.language, self.language),
            (tr("&Status:"), tr("Status"), self.status, self.status),
            (tr("&Featured image:"), tr("Featured image"), self.featured, self.featured),
            (tr("Source U&RL:"), tr("Source URL"), self.source_url, self.source_url),
            (tr("&Custom fields:"), tr("Custom fields"), self.custom, self.custom.table),
        ]
        after = {
            self.date: self.date_problem, self.updated: self.updated_problem, slug_row: self.slug_problem,
            self.summary: self.summary_count, self.language: self.language_problem,
            self.source_url: self.source_problem,
        }
        for label_text, name, field, buddy in rows:
            label = QLabel(label_text)
            label.setBuddy(buddy)
            if buddy is not self.authors.list and buddy is not self.custom.table and buddy is not self.tags.line:
                buddy.setAccessibleName(name)
            form.addRow(label, field)
            if field in after:
                form.addRow("", after[field])

        self.undo_filter.watch(self.title, self.subtitle, self.date.line, self.updated.line, self.slug,
                               self.section, self.tags.line, self.summary, self.language.lineEdit(),
                               self.source_url)

        # Scrolling down the form must not change the language, status or featured image passed over.
        guard_value_widgets(content)
        scroll = QScrollArea(self)
        self.scroll = scroll
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        self.title.textEdited.connect(lambda text: self._set("title", text))
        self.subtitle.textEdited.connect(lambda text: self._set("subtitle", text))
        self.authors.changed.connect(lambda items: self._set("authors", list(items)))
        self.date.changed.connect(lambda text: self._set("date", text))
        self.updated.changed.connect(lambda text: self._set("updated", text))
        self.slug.textEdited.connect(lambda text: self._set("slug", text))
        self.slug_reset.clicked.connect(lambda: self._set("slug", ""))
        self.section.textEdited.connect(lambda text: self._set("section", text))
        self.tags.changed.connect(self._on_tags)
        self.summary.textChanged.connect(lambda: self._set("summary", self.summary.toPlainText()))
        self.language.editTextChanged.connect(lambda text: self._set("language", text.strip()))
        self.status.currentIndexChanged.connect(lambda _i: self._set("status", Status(self.status.currentData())))
        self.featured.currentIndexChanged.connect(lambda _i: self._set("featured_image", self.featured.currentData()))
        self.source_url.textEdited.connect(lambda text: self._set("source_url", text.strip()))
        self.custom.changed.connect(lambda fields: self._set("custom", dict(fields)))

        self._refreshers = {
            "title": self._show_title, "subtitle": lambda v: self._show_line(self.subtitle, v),
            "authors": self.authors.set_items, "date": self._show_date, "updated": self._show_updated,
            "slug": self._show_slug, "section": lambda v: self._show_line(self.section, v),
            "tags": self.tags.set_tags, "summary": self._show_summary, "language": self._show_language,
            "status": self._show_status, "featured_image": lambda _v: self._fill_featured(),
            "source_url": self._show_source, "custom": self.custom.set_fields,
        }

    @staticmethod
    def _problem_label() -> ProblemLabel:
        return ProblemLabel()

    def changeEvent(self, event: QEvent) -> None:
        """Repaint the red marks for a light or dark palette when the system switches."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_refreshers"):
            self.refresh()

    # --- editing ---------------------------------------------------------------------------
    def _set(self, name: str, value: Any) -> None:
        if self._updating:
            return
        self._document.set_metadata(name, value)
        # Derived hints (slug placeholder, counters, red marks) follow even when the value did not change.
        self.refresh(name)

    def _on_tags(self, tags: list[str]) -> None:
        self._preferences.remember_tags(tags)
        self._set("tags", list(tags))
        self.tags.set_known_tags(self._preferences.known_tags)

    # --- showing ----------------------------------------------------------------------------
    def _connect(self, document: ArticleDocument) -> None:
        document.metadata_changed.connect(self.refresh)
        document.assets_changed.connect(self._fill_featured)

    def _disconnect(self, document: ArticleDocument) -> None:
        document.metadata_changed.disconnect(self.refresh)
        document.assets_changed.disconnect(self._fill_featured)

    @staticmethod
    def _show_line(edit: QLineEdit, value: str) -> None:
        if edit.text() != value:
            edit.setText(value)
            if not edit.hasFocus():
                edit.setCursorPosition(0)  # long titles show their beginning, not their end

    def _show_title(self, value: str) -> None:
        self._show_line(self.title, value)
        self.slug.setPlaceholderText(make_slug(value) or tr("derived from the title"))

    def _show_slug(self, value: str) -> None:
        self._show_line(self.slug, value)
        self.slug_reset.setEnabled(bool(value))
        problem = slug_problem(value)
        _mark(self.slug, problem, self.palette())
        self._show_problem(self.slug_problem, problem)

    def _show_date(self, value: str) -> None:
        self.date.set_value(value)
        self._show_problem(self.date_problem, self.date.problem)

    def _show_updated(self, value: str) -> None:
        self.updated.set_value(value)
        self._show_problem(self.updated_problem, self.updated.problem)

    def _show_summary(self, value: str) -> None:
        if self.summary.toPlainText() != value:
            self.summary.setPlainText(value)
        count = len(value)
        self.summary_count.setText(tr("{count} / {limit}").format(count=count, limit=SUMMARY_LIMIT))
        over = f"color: {problem_colour(self.palette()).name()};"
        self.summary_count.setStyleSheet(over if count > SUMMARY_LIMIT else "")
        self.summary_count.setAccessibleName(tr("{count} of {limit} characters").format(count=count,
                                                                                        limit=SUMMARY_LIMIT))

    def _show_language(self, value: str) -> None:
        if self.language.currentText().strip() != value:
            self.language.setEditText(value)
        problem = language_problem(value)
        _mark(self.language, problem, self.palette())
        self._show_problem(self.language_problem, problem)

    def _show_status(self, value: Status) -> None:
        index = self.status.findData(Status(value).value)
        if index >= 0 and index != self.status.currentIndex():
            self.status.setCurrentIndex(index)

    def _show_source(self, value: str) -> None:
        if self.source_url.text().strip() != value:
            self.source_url.setText(value)
            if not self.source_url.hasFocus():
                self.source_url.setCursorPosition(0)
        problem = url_problem(value)
        _mark(self.source_url, problem, self.palette())
        self._show_problem(self.source_problem, problem)

    def _fill_featured(self) -> None:
        current = self._document.metadata.featured_image
        choices = [(tr("None"), "")] + [(a.name, a.name) for a in self._document.assets]
        if current and self._document.asset(current) is None:
            choices.append((tr("{name} (missing)").format(name=current), current))
        shown = [(self.featured.itemText(i), self.featured.itemData(i)) for i in range(self.featured.count())]
        was_updating, self._updating = self._updating, True
        try:
            if shown != choices:
                self.featured.clear()
                for text, data in choices:
                    self.featured.addItem(text, data)
            self.featured.setCurrentIndex(self.featured.findData(current))
        finally:
            self._updating = was_updating

    @staticmethod
    def _show_problem(label: QLabel, problem: str | None) -> None:
        label.setText(problem or "")
        label.setVisible(bool(problem))
