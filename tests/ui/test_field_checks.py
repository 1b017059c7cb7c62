"""Loose checks of metadata fields: None when fine, one sentence when not."""

import pytest

from editor.ui.field_checks import date_problem, language_problem, slug_problem, url_problem


@pytest.mark.parametrize("text", ["", "2024-01-16", "2024-01-16T09:30", "2024-01-16T09:30:00Z"])
def test_valid_or_empty_dates_pass(text):
    assert date_problem(text) is None


@pytest.mark.parametrize("text", ["16/01/2024", "2024-13-01", "tomorrow", "2024-01-16T25:00"])
def test_invalid_dates_say_why(text):
    problem = date_problem(text)
    assert problem is not None
    assert problem.endswith(".")


@pytest.mark.parametrize(("text", "ok"), [("", True), ("en", True), ("zh-Hant", True), ("pt-BR", True),
                                           ("english", False), ("en_US", False), ("e", False), ("de-", False)])
def test_language_codes(text, ok):
    assert (language_problem(text) is None) is ok


@pytest.mark.parametrize(("text", "ok"), [("", True), ("https://example.org/x?y=1", True), ("http://a.b", True),
                                           ("ftp://example.org", False), ("javascript:alert(1)", False),
                                           ("https://", False), ("https://exa mple.org", False)])
def test_source_urls(text, ok):
    assert (url_problem(text) is None) is ok


@pytest.mark.parametrize(("text", "ok"), [("", True), ("moscow-talks", True), ("Moscow Talks", False),
                                           ("a--b", False), ("/etc/passwd", False)])
def test_slugs(text, ok):
    assert (slug_problem(text) is None) is ok
