"""The pre-publication check: each problem is found, reported once with where it is, and a clean article passes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from editor.core.check import ERROR, WARNING, Problem, check_article
from editor.core.model import Article, AssetData, ImageAsset, Metadata


def photo(name: str = "harbour.jpg", **fields) -> ImageAsset:
    words = {"alt": "Boats in the harbour", "caption": "The harbour at dawn", "credit": "photo by A. Lens",
             "width": 1600, "height": 1067}
    words.update(fields)
    return ImageAsset.from_bytes(name, b"\xff\xd8 jpeg bytes", **words)


def clean_article(**changes) -> Article:
    metadata = Metadata(title="Fishing fleet returns", authors=["Mara Holm"], date="2024-01-16",
                        summary="The fleet came home after a week at sea.")
    article = Article(body="The fleet came home.\n\n![Boats](assets/harbour.jpg)\n\nThe end.\n",
                      metadata=metadata, assets=[photo()])
    for key, value in changes.items():
        if hasattr(metadata, key):
            setattr(metadata, key, value)
        else:
            setattr(article, key, value)
    return article


def codes(problems: list[Problem]) -> list[str]:
    return [problem.code for problem in problems]


def only(problems: list[Problem], code: str) -> Problem:
    found = [problem for problem in problems if problem.code == code]
    assert len(found) == 1, problems
    return found[0]


def test_a_clean_article_has_no_problems() -> None:
    assert check_article(clean_article()) == []


def test_every_message_is_one_sentence() -> None:
    article = clean_article(title="", date="soon", authors=[], summary="",
                            body="Top of page\n![](assets/gone.jpg)\n![](https://x.example/a.png)\n",
                            assets=[photo(alt="", caption="", credit=""), photo("spare.jpg")])
    problems = check_article(article)
    assert len(problems) >= 8
    for problem in problems:
        assert problem.message.endswith(".") and problem.message[0].isupper()
        assert problem.severity in {ERROR, WARNING}


@pytest.mark.parametrize(("changes", "code", "severity", "field"), [
    ({"title": "  "}, "missing-title", ERROR, "title"),
    ({"date": "16/01/2024"}, "invalid-date", ERROR, "date"),
    ({"updated": "yesterday"}, "invalid-date", ERROR, "updated"),
    ({"date": ""}, "missing-date", WARNING, "date"),
    ({"authors": [" "]}, "missing-author", WARNING, "authors"),
    ({"summary": ""}, "missing-summary", WARNING, "summary"),
    ({"featured_image": "cover.jpg"}, "missing-asset", ERROR, "featured_image"),
])
def test_metadata_problems(changes: dict, code: str, severity: str, field: str) -> None:
    problems = check_article(clean_article(**changes))
    assert codes(problems) == [code]
    assert (problems[0].severity, problems[0].field) == (severity, field)


def test_reference_to_a_missing_asset_is_an_error_with_its_line() -> None:
    problem = only(check_article(clean_article(body="Intro.\n\nMore.\n![x](assets/harbour.jpg)\n"
                                                    "![y](assets/lost%20photo.jpg)\n")), "missing-asset")
    assert (problem.severity, problem.asset, problem.line) == (ERROR, "lost photo.jpg", 5)
    assert "lost photo.jpg" in problem.message


def test_reference_outside_the_assets_folder_is_a_missing_asset() -> None:
    problem = only(check_article(clean_article(body="![x](assets/harbour.jpg)\n![y](../pics/a.jpg)\n")),
                   "missing-asset")
    assert (problem.asset, problem.line) == ("../pics/a.jpg", 2)


@pytest.mark.parametrize("target", ["https://cdn.example/a.jpg", "//cdn.example/a.jpg", "file:///tmp/a.jpg",
                                    "data:image/png;base64,AAAA"])
def test_remote_image_is_a_warning(target: str) -> None:
    problem = only(check_article(clean_article(body=f"![x](assets/harbour.jpg)\n\n![y]({target})\n")), "remote-image")
    assert (problem.severity, problem.line) == (WARNING, 3)


def test_remote_image_written_as_html_is_a_warning() -> None:
    body = ("![x](assets/harbour.jpg)\n\n"
            "Text <IMG alt=x SRC='https://t.example/p.gif'> and <img src=\"assets/harbour.jpg\">\n")
    problem = only(check_article(clean_article(body=body)), "remote-image")
    assert problem.line == 3


@pytest.mark.parametrize(("field", "code"), [("alt", "image-no-alt"), ("caption", "image-no-caption"),
                                             ("credit", "image-no-credit")])
def test_image_words_missing_are_warnings(field: str, code: str) -> None:
    article = clean_article(body="Text.\n![](assets/harbour.jpg)\n", assets=[photo(**{field: " "})])
    problems = check_article(article)
    assert codes(problems) == [code]
    assert (problems[0].asset, problems[0].line, problems[0].severity) == ("harbour.jpg", 2, WARNING)


def test_alt_written_in_every_reference_is_enough() -> None:
    article = clean_article(body="![Boats](assets/harbour.jpg)\n\n![Boats again](assets/harbour.jpg)\n",
                            assets=[photo(alt="")])
    assert check_article(article) == []
    article.body += "\n![](assets/harbour.jpg)\n"
    assert codes(check_article(article)) == ["image-no-alt"]


def test_unused_asset_is_a_warning_and_its_words_are_not_checked() -> None:
    article = clean_article(assets=[photo(), photo("spare.jpg", alt="", caption="", credit="")])
    problem = only(check_article(article), "unused-asset")
    assert (problem.asset, problem.severity) == ("spare.jpg", WARNING)
    assert codes(check_article(article)) == ["unused-asset"]


def test_featured_image_counts_as_used_and_is_checked() -> None:
    article = clean_article(featured_image="cover.jpg", assets=[photo(), photo("cover.jpg", alt="")])
    assert codes(check_article(article)) == ["image-no-alt"]


def test_image_with_too_many_bytes_is_too_large(tmp_path: Path) -> None:
    file = tmp_path / "harbour.jpg"
    file.write_bytes(b"x" * 2_000)
    asset = replace(photo(), data=AssetData(file))
    problems = check_article(clean_article(assets=[asset]), max_image_bytes=1_000)
    problem = only(problems, "image-too-large")
    assert (problem.asset, problem.severity, problem.line) == ("harbour.jpg", WARNING, 3)
    assert check_article(clean_article(assets=[asset]), max_image_bytes=5_000) == []


def test_image_in_memory_with_too_many_bytes_is_too_large() -> None:
    asset = replace(photo(), data=AssetData(b"x" * 2_000))
    assert codes(check_article(clean_article(assets=[asset]), max_image_bytes=1_000)) == ["image-too-large"]


def test_image_with_too_many_pixels_is_too_large() -> None:
    article = clean_article(assets=[photo(width=6000, height=4000)])
    assert codes(check_article(article)) == ["image-too-large"]
    assert check_article(article, max_image_edge=6000) == []


def test_image_whose_file_is_gone_does_not_break_the_check(tmp_path: Path) -> None:
    asset = replace(photo(), data=AssetData(tmp_path / "vanished.jpg"))
    assert check_article(clean_article(assets=[asset])) == []


@pytest.mark.parametrize("line", [
    "Top of page", "TOP OF PAGE", "  top of the page  ", "Back to top ↑", "4 views", "1,234 Views", "1.2K views",
    "0 comments", "1 comment", "Share this article", "share this", "Advertisement", "ADVERTISEMENT",
    "Skip to content", "Skip to main content", "Read more", "Read more »", "[Read more](https://x.example/more)",
    "- Share this article", "**Advertisement**", "Continue reading…",
])
def test_page_furniture_lines_are_reported(line: str) -> None:
    article = clean_article(body=f"The fleet came home.\n\n{line}\n\n![Boats](assets/harbour.jpg)\n")
    problem = only(check_article(article), "page-furniture")
    assert (problem.line, problem.severity) == (3, WARNING)


@pytest.mark.parametrize("line", [
    "Read more about the fleet in our archive.", "The advertisement ran for weeks.", "Views of the harbour",
    "He had 4 views on the matter and shared them.", "Top of the morning", "Share", "Comments were closed.",
])
def test_ordinary_lines_are_not_page_furniture(line: str) -> None:
    article = clean_article(body=f"{line}\n\n![Boats](assets/harbour.jpg)\n")
    assert check_article(article) == []


def test_furniture_inside_a_code_block_is_left_alone() -> None:
    article = clean_article(body="```text\nRead more\n```not-a-close\n```\n\n~~~~\nAdvertisement\n~~~\n~~~~~\n\n"
                                 "![Boats](assets/harbour.jpg)\nRead more\n")
    assert [problem.line for problem in check_article(article)] == [12]


def test_errors_come_before_warnings() -> None:
    article = clean_article(title="", summary="", body="Advertisement\n![](assets/gone.jpg)\n", assets=[])
    severities = [problem.severity for problem in check_article(article)]
    assert severities == sorted(severities, key=lambda severity: severity != ERROR)
    assert severities[0] == ERROR and severities[-1] == WARNING


def test_problem_is_immutable() -> None:
    problem = Problem("missing-title", "The article has no title.", ERROR)
    with pytest.raises(AttributeError):
        problem.code = "x"  # type: ignore[misc]


@pytest.mark.parametrize("line", [
    "Subscribe", "Subscribe now", "Subscribe to our newsletter", "Sign up for our newsletter", "Follow us",
    "Follow us on Twitter, Facebook and Instagram", "Accept all cookies", "Reject cookies", "Cookie settings",
    "Manage cookie preferences", "Related articles", "Print this article", "Skip to navigation",
    "We use cookies to give you the best experience on our website.",
    "This website uses cookies. By continuing you agree to their use.",
    "By continuing to use this site, you agree to our use of cookies.",
])
def test_subscription_cookie_and_sharing_leftovers_are_page_furniture(line: str) -> None:
    article = clean_article(body=f"The fleet came home.\n\n{line}\n\n![Boats](assets/harbour.jpg)\n")
    problem = only(check_article(article), "page-furniture")
    assert (problem.line, problem.severity) == (3, WARNING)
    assert "Line 3" in problem.message


@pytest.mark.parametrize("line", [
    "Subscribers were angry about the price.", "Accept the offer, he said.", "The cookie jar was empty.",
    "Follow us on the path to the summit.", "Related stories ran in other papers that week.",
    "We use cookies " + "and flour and butter in every batch, as our grandmothers did " * 6,
])
def test_sentences_that_only_mention_those_words_are_not_page_furniture(line: str) -> None:
    article = clean_article(body=f"{line}\n\n![Boats](assets/harbour.jpg)\n")
    assert check_article(article) == []


def test_missing_author_and_summary_point_at_their_fields() -> None:
    problems = check_article(clean_article(authors=[" "], summary="  "))
    assert (only(problems, "missing-author").field, only(problems, "missing-summary").field) == ("authors", "summary")
