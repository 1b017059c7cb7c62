"""Caption lines in text.md: what is injected under images and what is removed again."""

from __future__ import annotations

from editor.core.bundle_text import (
    CaptionSource,
    caption_line,
    escape_markdown,
    inject_captions,
    standalone_images,
    strip_captions,
)
from editor.core.model import sha256_hex

SOURCES = {"a.png": CaptionSource("The *caption*", "Jo [Photo]"), "b c.png": CaptionSource("", "Credit only")}


def test_caption_line_forms() -> None:
    assert caption_line(CaptionSource("Cap", "Cred")) == "*Cap* — Cred"
    assert caption_line(CaptionSource("Cap", "")) == "*Cap*"
    assert caption_line(CaptionSource("", "Cred")) == "— Cred"
    assert caption_line(CaptionSource(" ", "")) == ""
    assert escape_markdown("a_b *c* [d](e)\nnext") == "a\\_b \\*c\\* \\[d\\]\\(e\\) next"


def test_standalone_images_skip_code_and_inline_images() -> None:
    lines = [
        "![x](assets/a.png)", "text ![x](assets/a.png)", "```", "![x](assets/a.png)", "```",
        "    ![x](assets/a.png)", "  ![y](<assets/b c.png>)  ", "![w](https://example.com/a.png)",
    ]
    assert standalone_images(lines) == [(0, "a.png"), (6, "b c.png")]


def test_inject_then_strip_is_exact() -> None:
    body = "Intro\n![x](assets/a.png)\nRight below\n\n![y](assets/b%20c.png)"
    text, injected = inject_captions(body, SOURCES)
    assert text == (
        "Intro\n![x](assets/a.png)\n\n*The \\*caption\\** — Jo \\[Photo\\]\n\nRight below\n\n"
        "![y](assets/b%20c.png)\n\n— Credit only"
    )
    stripped = strip_captions(text, sha256_hex(text.encode()), injected, SOURCES)
    assert (stripped.body, stripped.warnings, stripped.exact) == (body, [], True)


def test_images_without_words_get_no_caption() -> None:
    assert inject_captions("![x](assets/a.png)\n", {"a.png": CaptionSource()}) == ("![x](assets/a.png)\n", [])
    assert inject_captions("![x](assets/unknown.png)", SOURCES) == ("![x](assets/unknown.png)", [])


def test_edited_text_loses_only_lines_equal_to_our_caption() -> None:
    text = (
        "![x](assets/a.png)\n\n*The \\*caption\\** — Jo \\[Photo\\]\n\n"
        "More\n![y](assets/b%20c.png)\n\n*Typed by hand*\n"
    )
    stripped = strip_captions(text, "0" * 64, [1, 2], SOURCES)
    assert stripped.body == "![x](assets/a.png)\n\nMore\n![y](assets/b%20c.png)\n\n*Typed by hand*\n"
    assert not stripped.exact
    assert len(stripped.warnings) == 2
    assert "b c.png" in stripped.warnings[1]


def test_text_without_our_data_is_left_alone() -> None:
    text = "![x](assets/a.png)\n\n*The \\*caption\\** — Jo \\[Photo\\]\n"
    assert strip_captions(text, "", [], {}).body == text
