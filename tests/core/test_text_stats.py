"""Word counts: a fresh count, and the paragraph-by-paragraph count the text pane uses while typing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core.text_stats import ParagraphCounter, text_statistics


@pytest.mark.parametrize(("text", "words", "minutes"), [
    ("", 0, 0),
    ("   \n", 0, 0),
    ("###", 0, 1),
    ("one two", 2, 1),
    ("don't stop well-known", 3, 1),
    ("![a long alt](assets/some-photo.jpg) caption", 4, 1),
    ("see [the site](https://example.org/a/b/c)", 3, 1),
    ("<!-- hidden note -->visible", 1, 1),
    ("word " * 700, 700, 3),
])
def test_text_statistics(text: str, words: int, minutes: int) -> None:
    stats = text_statistics(text)
    assert stats["words"] == words
    assert stats["reading_minutes"] == minutes


_PIECES = st.sampled_from(["word", "two words", "\n", "\n\n", " ", "[a](b c)", "<!--", "-->", "don't", "é", "x.y"])


@settings(max_examples=150, derandomize=True, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=30).map("".join), min_size=1, max_size=6))
def test_paragraph_counts_equal_a_fresh_count_after_any_edits(texts: list[str]) -> None:
    """However the text changed since the last count, the remembered paragraphs give the fresh figures."""
    counter = ParagraphCounter()
    for text in texts:
        assert counter.statistics(text) == text_statistics(text)


def test_unchanged_paragraphs_are_not_counted_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Typing in one paragraph of a long text recounts that paragraph only."""
    import editor.core.text_stats as stats

    counter = ParagraphCounter()
    text = "\n\n".join(f"paragraph {i} with words" for i in range(200))
    counter.statistics(text)
    edited = text.replace("paragraph 100 with", "paragraph 100 with more", 1)
    expected = text_statistics(edited)
    counted: list[str] = []
    real = stats.count_words
    monkeypatch.setattr(stats, "count_words", lambda t: counted.append(t) or real(t))
    assert counter.statistics(edited) == expected
    assert counted == ["paragraph 100 with more words"]
