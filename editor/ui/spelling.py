"""Spell checking in the text pane: red wavy underlines, suggestions, the user's dictionary, Review ▸ Check Spelling."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QSignalBlocker, QStandardPaths, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QTextBlock, QTextCharFormat

from editor.core.errors import EditorError
from editor.core.spelling import (
    SpellDictionary,
    UnsupportedLanguageError,
    UserDictionary,
    Word,
    front_matter_lines,
    primary_language,
    words_in_line,
)
from editor.ui.background import BackgroundJob, run_in_background
from editor.ui.highlighter import IN_COMMENT
from editor.ui.spelling_menu import SpellingMenu

if TYPE_CHECKING:
    from editor.ui.document import ArticleDocument
    from editor.ui.main_window import MainWindow

_FENCE_STATE = 16  # the highlighter's block states from here up are fenced code
# Lines are underlined again a slice at a time between key presses, so a long article never freezes.
MAX_BLOCKS_PER_STEP = 200
STEP_SECONDS = 0.005  # one slice of underlining fits well inside a frame, so typing never waits on it
LANGUAGE_DELAY_MS = 400  # the language field is typed letter by letter; wait for the whole tag
MESSAGE_MS = 8000


def tr(text: str) -> str:
    """Translate a user-visible string of spell checking."""
    return QCoreApplication.translate("Spelling", text)


def default_dictionary_folder() -> Path:
    """Where the user's own words are kept: one file per language in the application's data folder."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location or Path.home() / ".article-editor") / "dictionaries"


def misspelling_format() -> QTextCharFormat:
    """The look of a word the dictionary does not know: a red wavy underline."""
    fmt = QTextCharFormat()
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
    fmt.setUnderlineColor(QColor("#d32f2f"))
    return fmt


class SpellChecking(QObject):
    """Underlines unknown words in the window's text in the article's language; dictionaries load in the background."""

    dictionary_ready = Signal(str)  # language, once its dictionary can be used
    rehighlighted = Signal()  # every line has been underlined again

    def __init__(self, window: MainWindow, folder: Path | None = None) -> None:
        super().__init__(window)
        self.window = window
        self._folder = folder
        self._dictionaries: dict[str, SpellDictionary] = {}
        self._unsupported: set[str] = set()  # told once per language
        self._loading: dict[str, BackgroundJob] = {}
        self._language = ""
        self._generation = 0
        self._enabled = bool(window.preferences.spell_check)
        self._format = misspelling_format()
        self._next_block = 0
        self._order: list[int] = []
        self._step_timer = QTimer(self)
        self._step_timer.setInterval(0)
        self._step_timer.timeout.connect(self._rehighlight_step)
        self._language_timer = QTimer(self)
        self._language_timer.setSingleShot(True)
        self._language_timer.setInterval(LANGUAGE_DELAY_MS)
        self._language_timer.timeout.connect(self._follow_language)

        self.action = QAction(tr("Check Spe&lling"), window)
        self.action.setCheckable(True)
        self.action.setChecked(self._enabled)
        self.action.setStatusTip(tr("Underline words the dictionary of the article's language does not know"))
        self.action.toggled.connect(self.set_enabled)
        window.addAction(self.action)
        review = window.commands.review_menu
        if review.actions():
            review.addSeparator()
        review.addAction(self.action)

        self.highlighter = window.text_pane.highlighter
        self.highlighter.overlays.append(self._overlay)
        self.menu = SpellingMenu(self, window.text_pane.editor)
        window.document_replaced.connect(self._on_document_replaced)
        self._watch(window.document)
        self._follow_language()

    # --- settings ------------------------------------------------------------------------
    @property
    def folder(self) -> Path:
        """The folder of the user dictionaries."""
        if self._folder is None:
            self._folder = default_dictionary_folder()
        return self._folder

    def set_folder(self, folder: Path) -> None:
        """Keep the user's words in another folder (dictionaries loaded so far are read again)."""
        self._folder = Path(folder)
        self._generation += 1  # dictionaries still loading read the old folder: they are loaded again
        self._dictionaries.clear()
        self._follow_language()

    def set_language_delay(self, milliseconds: int) -> None:
        """How long after the language field last changed its dictionary is chosen."""
        self._language_timer.setInterval(max(0, milliseconds))

    @property
    def enabled(self) -> bool:
        """Whether unknown words are underlined."""
        return self._enabled

    def set_enabled(self, on: bool) -> None:
        """Turn spell checking on or off (remembered in the preferences)."""
        on = bool(on)
        if self.action.isChecked() != on:
            self.action.setChecked(on)  # comes back here through toggled
            return
        if on == self._enabled:
            return
        self._enabled = on
        self.window.preferences.spell_check = on
        self.window.preferences.save(self.window.settings)
        if on:
            self._follow_language()
        self.rehighlight()

    @property
    def language(self) -> str:
        """The primary language subtag being checked."""
        return self._language

    def dictionary(self) -> SpellDictionary | None:
        """The dictionary in use, or None while it loads, when off, or when the language has none."""
        if not self._enabled:
            return None
        return self._dictionaries.get(self._language)

    def is_loading(self) -> bool:
        """Whether a dictionary is being loaded."""
        return bool(self._loading)

    # --- the article's language ----------------------------------------------------------
    def _watch(self, document: ArticleDocument) -> None:
        document.metadata_changed.connect(self._on_metadata_changed)

    def _on_document_replaced(self, document: ArticleDocument) -> None:
        self._watch(document)
        self._follow_language()
        self.rehighlight()

    def _on_metadata_changed(self, name: str) -> None:
        if name == "language":
            self._language_timer.start()

    def _follow_language(self) -> None:
        tag = self.window.document.metadata.language or "en"
        language = primary_language(tag) or "en"
        changed = language != self._language
        self._language = language
        if not self._enabled:
            return
        if language not in self._dictionaries and language not in self._loading:
            self._load(tag, language)
        if changed:
            self.rehighlight()

    def _load(self, tag: str, language: str) -> None:
        if language in self._unsupported:
            return
        folder = self.folder
        generation = self._generation

        def work() -> tuple[SpellDictionary, EditorError | None]:
            try:
                user, problem = UserDictionary(folder / f"{language}.txt"), None
            except EditorError as exc:
                # An unreadable word list must not cost the language its dictionary; the user is still told.
                user, problem = None, exc
            return SpellDictionary(language, user), problem

        def done(result: tuple[SpellDictionary, EditorError | None] | None, error: BaseException | None) -> None:
            self._loading.pop(language, None)
            if generation != self._generation:
                self._follow_language()
                return
            if result is not None and result[1] is not None:
                self._say(str(result[1]))
            self._loaded(tag, language, result[0] if result is not None else None, error)

        self._loading[language] = run_in_background(work, done, self)

    def _loaded(self, tag: str, language: str, result: SpellDictionary | None, error: BaseException | None) -> None:
        if isinstance(error, UnsupportedLanguageError):
            self._unsupported.add(language)
            self._say(tr("There is no spelling dictionary for the language “{tag}”; spelling is not checked.")
                      .format(tag=tag))
            return
        if error is not None or result is None:
            self._say(tr("The spelling dictionary could not be loaded ({error}).").format(error=error))
            return
        self._dictionaries[language] = result
        self.dictionary_ready.emit(language)
        if language == self._language and self._enabled:
            self.rehighlight()

    def _say(self, message: str) -> None:
        self.window.statusBar().showMessage(message, MESSAGE_MS)

    # --- underlining ---------------------------------------------------------------------
    def _overlay(self, block: QTextBlock, text: str) -> list[tuple[int, int, QTextCharFormat]]:
        dictionary = self.dictionary()
        if dictionary is None or not text:
            return []
        return [(w.start, w.end, self._format) for w in self.misspelled_words(block, text, dictionary)]

    def misspelled_words(self, block: QTextBlock, text: str | None = None,
                         dictionary: SpellDictionary | None = None) -> list[Word]:
        """The words of a line the dictionary does not know (none inside code, comments or front matter)."""
        dictionary = dictionary or self.dictionary()
        if dictionary is None:
            return []
        text = block.text() if text is None else text
        previous = block.previous()
        before = previous.userState() if previous.isValid() else -1
        if block.userState() >= _FENCE_STATE or before >= _FENCE_STATE:
            return []
        start = 0
        if before == IN_COMMENT:
            end = text.find("-->")
            if end < 0:
                return []
            start = end + 3
        if block.blockNumber() < 200 and self._in_front_matter(block):
            return []
        return [w for w in words_in_line(text, start) if not dictionary.is_correct(w.text)]

    def _in_front_matter(self, block: QTextBlock) -> bool:
        first = block.document().firstBlock()
        if first.text().rstrip() not in ("---", "+++"):
            return False
        lines = []
        current = first
        while current.isValid() and len(lines) <= 200:
            lines.append(current.text())
            current = current.next()
        return block.blockNumber() < front_matter_lines(lines)

    def rehighlight(self, word: str | None = None) -> None:
        """Underline again, the lines in view first, a slice at a time; with `word`, only lines holding it."""
        document = self.window.text_pane.document.text_document
        count = document.blockCount()
        first = self.window.text_pane.editor.firstVisibleBlock().blockNumber()
        numbers = [*range(max(0, first), count), *range(0, max(0, first))]
        if word is not None:
            needle = word.casefold()
            numbers = [n for n in numbers if needle in document.findBlockByNumber(n).text().casefold()]
        self._order = numbers
        self._next_block = 0
        self._step_timer.start()

    def _rehighlight_step(self) -> None:
        document = self.window.text_pane.document.text_document
        deadline = time.monotonic() + STEP_SECONDS
        end = min(len(self._order), self._next_block + MAX_BLOCKS_PER_STEP)
        index = self._next_block
        # New underlines are no change to the text: the preview, the checks and autosave need not hear of them.
        with QSignalBlocker(document):
            while index < end:
                block = document.findBlockByNumber(self._order[index])
                index += 1
                if block.isValid():
                    self.highlighter.rehighlightBlock(block)
                if time.monotonic() > deadline:
                    break  # long lines: give the keyboard a turn
        self._next_block = end = index
        if end >= len(self._order):
            self._step_timer.stop()
            self._order = []
            self.rehighlighted.emit()

    def is_rehighlighting(self) -> bool:
        """Whether lines are still waiting to be underlined again."""
        return self._step_timer.isActive()

    # --- the user's words ----------------------------------------------------------------
    def add_to_dictionary(self, word: str) -> bool:
        """Keep a word in the user's dictionary for this language; False (and a message) when it cannot be kept."""
        dictionary = self.dictionary()
        if dictionary is None:
            return False
        try:
            dictionary.add(word)
        except EditorError as exc:
            self._say(str(exc))
            return False
        self.rehighlight(word)
        return True

    def ignore(self, word: str) -> None:
        """Stop underlining a word until the program ends."""
        dictionary = self.dictionary()
        if dictionary is not None:
            dictionary.ignore(word)
            self.rehighlight(word)

    def shutdown(self) -> None:
        """Stop underlining and wait for a dictionary still loading."""
        self._step_timer.stop()
        self._language_timer.stop()
        for job in list(self._loading.values()):
            job.wait(10)


def install(window: MainWindow) -> SpellChecking:
    """Install spell checking on the window."""
    return SpellChecking(window)
