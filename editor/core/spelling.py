"""Spell checking of Markdown text: which words a reader reads, and whether a language's dictionary knows them."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from editor.core.atomic import atomic_write_text
from editor.core.errors import EditorError
from editor.core.fences import code_fence_lines

if TYPE_CHECKING:
    from spellchecker.spellchecker import WordFrequency

# Stretches of a line that are not prose: code, comments, tags, addresses, link targets, file names.
_NOT_PROSE = re.compile(
    r"(`+)(?!`).+?(?<!`)\1(?!`)"                      # code span
    r"|<!--.*?(?:-->|$)"                               # HTML comment (an open one runs to the line's end)
    r"|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"       # HTML tag
    r"|<(?:https?://|mailto:)[^>\s]*>"                  # autolink
    r"|\b(?:https?://|ftp://|www\.)[^\s<>()]+"          # bare address
    r"|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"        # e-mail address
    r"|\]\([^)]*\)"                                     # link or image target
    r"|\]\[[^\]]*\]"                                    # reference label
    r"|\{[#.][^}]*\}"                                   # heading id or class
    r"|&#?\w+;"                                         # HTML entity
    r"|(?<!\w)\w+(?:[./\\]\w+)+",                       # file names, paths, domains, abbreviations with dots
    re.IGNORECASE,
)
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S")
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_DIGIT_OR_UNDERSCORE = re.compile(r"[\d_]")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'"})
_FRONT_MATTER = {"---": ("---", "..."), "+++": ("+++",)}
_FIELD = re.compile(r"^\s*[\w\"'-]+\s*[:=]")
_FRONT_MATTER_LIMIT = 200  # lines searched for the end of front matter
MAX_SUGGESTION_LENGTH = 20  # longer words get no suggestions: the search grows with the square of the length
_SECOND_EDIT_LENGTH = 8  # two-letter mistakes are only searched for words this long or shorter


class UnsupportedLanguageError(EditorError):
    """No dictionary for the language comes with the spell checker."""


class Word(NamedTuple):
    """A word to check: its place in the line (Python str indices) and its text."""

    start: int
    end: int
    text: str


def primary_language(tag: str) -> str:
    """The primary subtag of a BCP 47 language tag, lower case ("en-GB" → "en")."""
    return re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower()


def available_languages() -> list[str]:
    """The languages whose dictionaries come with the spell checker."""
    from spellchecker import SpellChecker

    return sorted(SpellChecker.languages())


def words_in_line(line: str, start: int = 0) -> list[Word]:
    """The words of one line of ordinary Markdown (not fenced code) worth checking, from `start` on."""
    if _REFERENCE.match(line):
        return []
    prose = _NOT_PROSE.sub(lambda m: " " * len(m.group()), line[start:])
    words = []
    for match in _WORD.finditer(prose):
        text = match.group()
        if is_checkable(text):
            words.append(Word(match.start() + start, match.end() + start, text))
    return words


@functools.lru_cache(maxsize=65536)
def is_checkable(word: str) -> bool:
    """Whether a word should be looked up at all: not a number, acronym, code-like or mixed-case name."""
    if len(word) < 2 or _DIGIT_OR_UNDERSCORE.search(word):
        return False
    if word.isupper():
        return False  # acronyms (NATO, HTML)
    # Capitals after the first letter mark product names and code (iPhone, JavaScript, getValue).
    rest = word[1:]
    return rest == rest.lower()


def front_matter_lines(lines: Iterable[str]) -> int:
    """How many lines at the start are front matter (between --- or +++ fences); 0 when there is none."""
    closing: tuple[str, ...] = ()
    for number, line in enumerate(lines):
        stripped = line.rstrip()
        if number == 0:
            closing = _FRONT_MATTER.get(stripped, ())
            if not closing:
                return 0
        elif number == 1 and not _FIELD.match(line):
            return 0  # a rule above prose, not front matter
        elif stripped in closing:
            return number + 1
        if number >= _FRONT_MATTER_LIMIT:
            break
    return 0


def words_in_text(text: str) -> Iterator[tuple[int, Word]]:
    """Every word worth checking in Markdown text, with its 0-based line number; code blocks are left out."""
    lines = text.split("\n")
    start = front_matter_lines(lines)
    code = code_fence_lines(lines, start)
    for number in range(start, len(lines)):
        if number not in code:
            for word in words_in_line(lines[number]):
                yield number, word


# The English word list spells the American way; these turn British spellings into the forms it knows.
_BRITISH = (
    (re.compile(r"our(?=s?$|ed$|ing$|ite|able|ful|less|er)"), "or"),
    (re.compile(r"(?<=[a-z]{2})is(?=e$|es$|ed$|ing$|ation|er$|ers$)"), "iz"),
    (re.compile(r"ys(?=e$|es$|ed$|ing$)"), "yz"),
    (re.compile(r"tre(?=s?$)"), "ter"),
    (re.compile(r"ogue(?=s?$)"), "og"),
    (re.compile(r"ll(?=ed$|ing$|er$|ers$)"), "l"),
    (re.compile(r"ence(?=s?$)"), "ense"),
    (re.compile(r"(?<=[a-z])[ao]e(?=[a-z])"), "e"),
)


def _american_forms(word: str) -> list[str]:
    """The word with each British spelling pattern, and all of them, turned American."""
    forms = []
    combined = word
    for pattern, replacement in _BRITISH:
        changed = pattern.sub(replacement, word)
        if changed != word:
            forms.append(changed)
            combined = pattern.sub(replacement, combined)
    if combined != word and combined not in forms:
        forms.append(combined)
    return forms


def _lookup_forms(word: str) -> list[str]:
    """The forms of a word to look up: itself, without a possessive, and after a short elision (l', qu')."""
    word = word.translate(_APOSTROPHES).lower()
    forms = [word]
    if "'" in word:
        for suffix in ("'s", "'"):
            if word.endswith(suffix):
                forms.append(word[: -len(suffix)])
        head, _, tail = word.partition("'")
        if len(head) <= 2 and len(tail) >= 2:
            forms.append(tail)
    return forms


class UserDictionary:
    """The user's own words for one language, one a line in a UTF-8 file; matched without regard to case."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            raw = self.path.read_text(encoding="utf-8", errors="replace")
        except (FileNotFoundError, NotADirectoryError):
            raw = ""  # nothing kept yet; a folder that cannot be made is reported when a word is added
        except OSError as exc:
            raise EditorError(f"Your dictionary “{self.path}” could not be read ({exc.strerror or exc}).") from exc
        self._words = {w.strip() for w in raw.splitlines() if w.strip() and not w.startswith("#")}
        self._folded = {w.translate(_APOSTROPHES).casefold() for w in self._words}

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word.translate(_APOSTROPHES).casefold() in self._folded

    def words(self) -> list[str]:
        """The words, sorted."""
        return sorted(self._words)

    def add(self, word: str) -> None:
        """Add a word and write the file at once; raises EditorError when it cannot be written."""
        word = word.strip()
        if not word or "\n" in word or word in self:
            return
        words = self._words | {word}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise EditorError(f"The folder for your dictionary “{self.path.parent}” could not be made "
                              f"({exc.strerror or exc}).") from exc
        atomic_write_text(self.path, "".join(f"{w}\n" for w in sorted(words)))
        self._words = words
        self._folded.add(word.translate(_APOSTROPHES).casefold())


@functools.lru_cache(maxsize=4)
def _word_list(language: str) -> tuple[WordFrequency, str]:
    """A language's word frequencies (never changed once loaded, so shared) and the letters its words use."""
    from spellchecker import SpellChecker

    frequency = SpellChecker(language=language, distance=1).word_frequency
    counts = Counter(ch for word in frequency.dictionary for ch in set(word))
    # Rare letters (stray accents in a word list) would only slow the search for suggestions.
    floor = len(frequency.dictionary) / 1000
    return frequency, "".join(sorted(ch for ch, n in counts.items() if n >= floor and ch.isalpha()))


class SpellDictionary:
    """One language's dictionary with the user's words; loading takes a fraction of a second, so do it off the UI."""

    def __init__(self, language: str, user: UserDictionary | None = None) -> None:
        self.language = primary_language(language)
        if self.language not in available_languages():
            raise UnsupportedLanguageError(f"There is no spelling dictionary for the language “{language}”.")
        self._frequency, self._letters = _word_list(self.language)
        self.user = user
        self._ignored: set[str] = set()
        self._cache: dict[str, bool] = {}

    def is_correct(self, word: str) -> bool:
        """Whether the dictionary, the user's words or this session's ignored words know the word."""
        known = self._cache.get(word)
        if known is None:
            forms = _lookup_forms(word)
            known = any(form in self._frequency for form in forms) \
                or (self.language == "en" and any(alt in self._frequency for form in forms
                                                  for alt in _american_forms(form))) \
                or (self.user is not None and word in self.user)
            self._cache[word] = known
        return known or word.translate(_APOSTROPHES).casefold() in self._ignored

    def ignore(self, word: str) -> None:
        """Accept a word until the program ends, without keeping it."""
        self._ignored.add(word.translate(_APOSTROPHES).casefold())

    def add(self, word: str) -> None:
        """Keep a word in the user's dictionary; raises EditorError when it cannot be written."""
        if self.user is None:
            raise EditorError("The word cannot be kept because your dictionary could not be read.")
        self.user.add(word)
        self._cache.clear()  # every capitalisation of the word was cached as unknown

    def suggestions(self, word: str, limit: int = 5) -> list[str]:
        """Up to `limit` likely spellings, commonest first, in the word's capitalisation."""
        lower = word.translate(_APOSTROPHES).lower()
        if len(lower) > MAX_SUGGESTION_LENGTH or limit <= 0:
            return []
        near = self._edits(lower)
        found = {w for w in near if w in self._frequency and w != lower}
        ranked = sorted(found, key=self._rank)
        if len(ranked) < limit and len(lower) <= _SECOND_EDIT_LENGTH:
            farther = {w for edit in near for w in self._edits(edit) if w in self._frequency}
            ranked += sorted(farther - found - {lower}, key=self._rank)
        return [_same_case(word, w) for w in ranked[:limit]]

    def _rank(self, word: str) -> tuple[int, str]:
        return -self._frequency[word], word

    def _edits(self, word: str) -> set[str]:
        letters = self._letters + "".join(set(word) - set(self._letters))
        splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
        deletes = [a + b[1:] for a, b in splits if b]
        swaps = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
        replaces = [a + c + b[1:] for a, b in splits if b for c in letters]
        inserts = [a + c + b for a, b in splits for c in letters]
        return set(deletes + swaps + replaces + inserts)


def _same_case(model: str, word: str) -> str:
    """`word` capitalised the way `model` is."""
    if "’" in model:
        word = word.replace("'", "’")
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
