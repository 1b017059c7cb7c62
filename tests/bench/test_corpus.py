"""The benchmark's generated articles: the same seed gives the same text, and its words read as prose."""

from editor.bench.corpus import make_markdown
from editor.core.spelling import SpellDictionary, words_in_text


def _unknown_share(text: str) -> float:
    dictionary = SpellDictionary("en")
    words = [word.text for _line, word in words_in_text(text)]
    return sum(not dictionary.is_correct(word) for word in words) / len(words)


def test_the_same_seed_gives_the_same_article_and_another_seed_another():
    assert make_markdown(3000, seed=4) == make_markdown(3000, seed=4)
    assert make_markdown(3000, seed=4) != make_markdown(3000, seed=5)


def test_an_article_is_mostly_words_the_dictionary_knows():
    assert 0.01 < _unknown_share(make_markdown(4000)) < 0.08


def test_the_worst_case_article_has_no_word_the_dictionary_knows():
    assert _unknown_share(make_markdown(4000, unknown_share=1.0)) > 0.99
