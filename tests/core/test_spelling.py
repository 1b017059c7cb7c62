"""Spell checking without Qt: which words are checked, what the dictionaries know, and the user's own words."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.core.errors import EditorError
from editor.core.spelling import (
    MAX_SUGGESTION_LENGTH,
    SpellDictionary,
    UnsupportedLanguageError,
    UserDictionary,
    available_languages,
    front_matter_lines,
    is_checkable,
    primary_language,
    words_in_line,
    words_in_text,
)


def texts(line: str) -> list[str]:
    return [word.text for word in words_in_line(line)]


@pytest.fixture(scope="module")
def english() -> SpellDictionary:
    return SpellDictionary("en")


def test_words_carry_their_place_in_the_line() -> None:
    words = words_in_line("Hé wrold")
    assert [(w.start, w.end, w.text) for w in words] == [(0, 2, "Hé"), (3, 8, "wrold")]


@pytest.mark.parametrize(("line", "expected"), [
    ("Some `codde here` and ``more `codde` too``", ["Some", "and"]),
    ("See https://exmaple.com/pathh and www.exmaple.org now", ["See", "and", "now"]),
    ("Visit <https://exmaple.com> soon", ["Visit", "soon"]),
    ("A [linke text](https://exmaple.com/pathh) here", ["linke", "text", "here"]),
    ("![alt wrods](assets/phooto.jpg) after", ["alt", "wrods", "after"]),
    ("A [reef][refrence] link", ["reef", "link"]),
    ('<span class="hilite">inside</span> tag', ["inside", "tag"]),
    ("Mail jane.doe@exmaple.org today", ["Mail", "today"]),
    ("Open phooto.jpg or docs/setp.md", ["Open", "or"]),
    ("A comment <!-- remmark --> ends", ["comment", "ends"]),
    ("An open comment <!-- remmark", ["An", "open", "comment"]),
    ("Heading {#custom-idd}", ["Heading"]),
    ("Price &nbsp; here", ["Price", "here"]),
])
def test_only_prose_is_checked(line: str, expected: list[str]) -> None:
    assert texts(line) == expected


@pytest.mark.parametrize("word", ["4th", "mp3", "1984", "NATO", "HTML", "iPhone", "JavaScript", "snake_case", "a"])
def test_numbers_acronyms_and_code_like_words_are_not_checked(word: str) -> None:
    assert not is_checkable(word)
    assert texts(f"x {word} y") == []


def test_apostrophes_stay_inside_words_and_hyphens_split_them() -> None:
    assert texts("don’t it's well-known 'quoted'") == ["don’t", "it's", "well", "known", "quoted"]


def test_reference_definitions_are_link_targets() -> None:
    assert texts("[refrence]: https://exmaple.com/x \"Titel\"") == []


def test_fenced_code_and_front_matter_are_left_out_of_the_text() -> None:
    text = "---\ntitel: Fooo\n---\nHello wrold\n```python\nprnit(codde)\n```\n~~~\nmore codde\n~~~\nend"
    assert [(line, word.text) for line, word in words_in_text(text)] == [(3, "Hello"), (3, "wrold"), (10, "end")]


@pytest.mark.parametrize(("lines", "count"), [
    (["---", "title: x", "---", "body"], 3),
    (["+++", 'title = "x"', "+++"], 3),
    (["---", "title: x", "..."], 3),
    (["---", "never closed"], 0),
    (["---", "A rule above prose.", "---"], 0),
    (["body", "---"], 0),
    ([], 0),
])
def test_front_matter_lines(lines: list[str], count: int) -> None:
    assert front_matter_lines(lines) == count


@pytest.mark.parametrize(("tag", "primary"), [("en-GB", "en"), ("pt_BR", "pt"), (" DE ", "de"), ("", "")])
def test_primary_language(tag: str, primary: str) -> None:
    assert primary_language(tag) == primary


def test_english_and_several_other_languages_come_with_the_library() -> None:
    assert {"en", "de", "fr", "es"} <= set(available_languages())


def test_known_and_unknown_words(english: SpellDictionary) -> None:
    assert english.is_correct("house")
    assert not english.is_correct("hosue")


@pytest.mark.parametrize("word", ["Paris", "London", "Monday", "The"])
def test_capitalised_words_are_checked_without_regard_to_case(english: SpellDictionary, word: str) -> None:
    assert english.is_correct(word)


@pytest.mark.parametrize("word", ["don’t", "don't", "world’s", "children's", "teachers'"])
def test_straight_and_curly_apostrophes_and_possessives(english: SpellDictionary, word: str) -> None:
    assert english.is_correct(word)


def test_suggestions_put_the_likeliest_first(english: SpellDictionary) -> None:
    suggestions = english.suggestions("wrold")
    assert suggestions[0] == "world"
    assert len(suggestions) <= 5


def test_suggestions_keep_the_capital_and_the_curly_apostrophe(english: SpellDictionary) -> None:
    assert english.suggestions("Wrold")[0] == "World"
    assert english.suggestions("Wouldn’tt")[0] == "Wouldn’t"


def test_a_two_letter_mistake_in_a_short_word_is_found(english: SpellDictionary) -> None:
    assert "receive" in english.suggestions("recieev")


def test_very_long_words_get_no_suggestions(english: SpellDictionary) -> None:
    assert english.suggestions("x" * (MAX_SUGGESTION_LENGTH + 1)) == []


def test_ignore_lasts_for_the_dictionary_object_only(english: SpellDictionary) -> None:
    other = SpellDictionary("en")
    other.ignore("Zorbly")
    assert other.is_correct("zorbly")
    assert not english.is_correct("zorbly")


def test_a_language_without_a_dictionary_is_refused_in_one_sentence() -> None:
    with pytest.raises(UnsupportedLanguageError) as caught:
        SpellDictionary("sv-SE")
    message = str(caught.value)
    assert "sv-SE" in message and message.count(".") == 1 and message.endswith(".")


def test_other_languages_know_their_words() -> None:
    french = SpellDictionary("fr-CA")
    assert french.language == "fr"
    assert french.is_correct("bonjour")
    assert french.is_correct("l’homme")
    assert not french.is_correct("bonjuor")


def test_user_words_are_kept_in_a_file_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "dicts" / "en.txt"
    dictionary = SpellDictionary("en", UserDictionary(path))
    assert not dictionary.is_correct("Kubernetes")
    dictionary.add("Kubernetes")
    assert dictionary.is_correct("Kubernetes")
    assert dictionary.is_correct("kubernetes")
    assert path.read_text(encoding="utf-8") == "Kubernetes\n"
    again = SpellDictionary("en", UserDictionary(path))
    assert again.is_correct("Kubernetes")


def test_user_dictionary_ignores_blank_lines_comments_and_repeats(tmp_path: Path) -> None:
    path = tmp_path / "en.txt"
    path.write_text("# my words\n\nzorbly\n  Quux \n", encoding="utf-8")
    user = UserDictionary(path)
    assert user.words() == ["Quux", "zorbly"]
    user.add("ZORBLY")
    assert user.words() == ["Quux", "zorbly"]
    user.add("flarp")
    assert path.read_text(encoding="utf-8") == "Quux\nflarp\nzorbly\n"


def test_a_missing_user_dictionary_is_empty(tmp_path: Path) -> None:
    assert UserDictionary(tmp_path / "none" / "en.txt").words() == []


def test_an_unreadable_user_dictionary_is_one_sentence(tmp_path: Path) -> None:
    (tmp_path / "en.txt").mkdir()
    with pytest.raises(EditorError, match=r"could not be read"):
        UserDictionary(tmp_path / "en.txt")


def test_a_word_that_cannot_be_written_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    # A name this long leaves no room for the temporary file beside it, so the write fails even for root.
    path = tmp_path / ("d" * 250)
    path.write_text("zorbly\n", encoding="utf-8")
    user = UserDictionary(path)
    with pytest.raises(EditorError):
        user.add("flarp")
    assert "flarp" not in user
    assert path.read_text(encoding="utf-8") == "zorbly\n"


def test_a_dictionary_folder_that_cannot_be_made_is_one_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "dicts"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    user = UserDictionary(blocker / "en.txt")
    assert user.words() == []
    with pytest.raises(EditorError, match=r"^The folder for your dictionary .* could not be made \(.*\)\.$"):
        user.add("zorbly")
    assert blocker.read_text(encoding="utf-8") == "a file where the folder should be"


def test_adding_without_a_user_dictionary_is_refused(english: SpellDictionary) -> None:
    with pytest.raises(EditorError):
        english.add("zorbly")


@pytest.mark.parametrize("word", ["harbour", "Colours", "realised", "organisation", "analyse", "centre",
                                  "catalogue", "travelled", "defence", "paediatric"])
def test_british_spellings_are_english_too(english: SpellDictionary, word: str) -> None:
    assert english.is_correct(word)


def test_british_patterns_do_not_excuse_real_mistakes(english: SpellDictionary) -> None:
    assert not any(english.is_correct(word) for word in ("harbuor", "realiese", "centere"))
