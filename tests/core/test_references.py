"""Finding and writing image references in Markdown."""

import pytest

from editor.core.references import asset_name_from_target, image_markdown, image_references


def test_references_give_name_alt_and_line():
    text = "Para\n\n![A *bold* alt](assets/photo.jpg \"Title\")\n\nText ![x](<assets/my photo.png>)"
    refs = image_references(text)
    assert [(r.name, r.alt, r.line) for r in refs] == [("photo.jpg", "A *bold* alt", 3), ("my photo.png", "x", 5)]
    assert text[refs[0].start:refs[0].end].startswith("![A")


@pytest.mark.parametrize(
    ("target", "name"),
    [
        ("assets/a%20b.jpg", "a b.jpg"),
        ("./assets/a.jpg", "a.jpg"),
        ("assets/../secret", ""),
        ("assets/sub/a.jpg", ""),
        ("https://example.org/assets/a.jpg", ""),
        ("assets/", ""),
        ("assets/a.jpg?v=1", "a.jpg"),
    ],
)
def test_asset_name_from_target_only_accepts_plain_asset_files(target, name):
    assert asset_name_from_target(target) == name


@pytest.mark.parametrize("name", ["plain.jpg", "with space.png", "paren (1).gif"])
def test_image_markdown_round_trips_through_the_parser(name):
    markdown = image_markdown(name, "Alt [with] brackets")
    (ref,) = image_references(markdown)
    assert ref.name == name
    assert ref.alt == "Alt \\[with\\] brackets"
