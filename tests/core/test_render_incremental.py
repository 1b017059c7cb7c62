"""Incremental rendering: after any edits, the blocks joined equal a full render of the same text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.core.errors import RenderError
from editor.core.model import AssetData, ImageAsset
from editor.core.render import markdown_to_html
from editor.core.render_incremental import IncrementalRenderer

ASSETS = {
    "harbour.jpg": ImageAsset(name="harbour.jpg", data=AssetData(b""), alt="Boats", caption="Boats return at dawn",
                              credit="Ana Ruiz", width=1200, height=800),
    "chart.png": ImageAsset(name="chart.png", data=AssetData(b""), caption="Exports by year", width=640, height=480),
}

CORPUS = [
    """# Harvest falls short

[TOC]

Farmers in the valley say the dry spring cut yields by a third.[^drought] The ministry's figures,
published on Tuesday, confirm the "worst year since 1976" -- a claim the [co-operative][coop] disputes.

## What the numbers say

| Crop    | 2023 | 2024 |
|:--------|-----:|:----:|
| Wheat   | 4.1  | 2.9  |
| Barley  | 3.3  | 2.2  |

![Boats](assets/harbour.jpg)

The EU and the FAO both track this.[^fao]

## What the numbers say

1. Rain fell late.
2. Prices rose:
    - bread up 12%
    - flour up 9%

   A lazy continuation line.

3. Exports fell.

> "We have never seen this," said one grower.
> She asked not to be named.

```python
def yield_per_hectare(total, area):
    return total / area


print(yield_per_hectare(10, 2))
```

    an indented code block

    after two blank lines

Term
:   A definition of the term.

[^drought]: Rainfall was 40% below normal; see the [report][coop].
[^fao]: The FAO publishes monthly.

    A second paragraph of the note.

[coop]: https://example.org/coop "The co-operative"
*[EU]: European Union
*[FAO]: Food and Agriculture Organization

### Harvest falls short {#harvest-again}

More text referring back[^drought] to the first note, and [a link](https://example.com/x_y).
""",
    """Introduction without a heading, with an image inline ![chart](assets/chart.png) and a missing one:

![Gone](assets/missing.png)

* one
* two

  + nested
  + list

- different bullet

***

Setext heading
==============

Paragraph with <b>inline HTML</b> that is not a block.

<div class="note">
A raw block

that spans a blank line.
</div>

Final paragraph with a [dangling][nowhere] reference and a [^nonote].
""",
]

SNIPPETS = ["\n", "\n\n", " ", "x", "# ", "## Same\n", "- ", "1. ", "    ", "> ", "```\n", "~~~\n", "|",
            "| a | b |\n|---|---|\n",
            "[^drought]", "[^new]", "[^new]: A new note.\n", "[coop]", "[coop]: https://example.net\n",
            "*[EU]: Europe\n", "[TOC]", "\n[TOC]\n", "{#custom}", "<b>", "</b>", '"', "'", "--", "...", ":   ",
            "![Boats](assets/harbour.jpg)", "EU ", "\t", "*", "_", "`", "\\", "[^fao]"]

edit_strategy = st.tuples(
    st.sampled_from(["insert", "delete", "replace"]),
    st.floats(min_value=0, max_value=1, allow_nan=False),
    st.integers(min_value=1, max_value=40),
    st.one_of(st.sampled_from(SNIPPETS), st.text(alphabet="ab #-*>[]^:|`\n ", max_size=6)),
)


def apply_edit(text: str, edit: tuple[str, float, int, str]) -> str:
    kind, where, length, snippet = edit
    position = int(where * len(text))
    if kind == "insert":
        return text[:position] + snippet + text[position:]
    if kind == "delete":
        return text[:position] + text[position + length:]
    return text[:position] + snippet + text[position + length:]


def assert_law(renderer: IncrementalRenderer, text: str, assets: dict[str, ImageAsset] | None) -> None:
    page = renderer.render(text, assets)
    assert "\n".join(page.fragments()) == markdown_to_html(text, assets)


@settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=st.sampled_from(CORPUS), edits=st.lists(edit_strategy, min_size=1, max_size=8))
def test_incremental_equals_full_after_random_edits_of_the_corpus(document, edits):
    renderer = IncrementalRenderer()
    text = document
    assert_law(renderer, text, ASSETS)
    for edit in edits:
        text = apply_edit(text, edit)
        assert_law(renderer, text, ASSETS)



# Long enough that an edit in it leaves blocks before and after it for the split to keep.
LONG = CORPUS[0] + "".join(f"\n\nParagraph {index}, with a [link][coop] and the EU.\n\n- item {index}"
                           f"\n\n> quoted {index}" for index in range(12))


@settings(max_examples=15, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(edit_strategy, min_size=1, max_size=5))
def test_incremental_equals_full_after_random_edits_of_a_long_document(edits):
    renderer = IncrementalRenderer()
    text = LONG
    assert_law(renderer, text, ASSETS)
    for edit in edits:
        text = apply_edit(text, edit)
        assert_law(renderer, text, ASSETS)

lines = st.sampled_from([
    "Plain words here.", "# Heading", "## Heading", "Heading", "=====", "- item", "1. item", "    code",
    "> quote", "```", "| a | b |", "|---|---|", "[^n]", "See[^n] and[^m].", "[^n]: Note text.",
    "[^m]: Other note.", "[r]: https://example.org", "Use [r] and [r][].", "*[ABC]: Alphabet", "ABC rocks.",
    "[TOC]", ": definition", "", "", "", "{: #given }", "# Heading {#given}", "\"quoted\" 'single'",
    "\t- tab", "  - two", "<div>", "</div>", "***", "---",
])


@settings(max_examples=60, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=st.lists(lines, max_size=25), edits=st.lists(edit_strategy, max_size=6))
def test_incremental_equals_full_on_generated_documents(document, edits):
    renderer = IncrementalRenderer()
    text = "\n".join(document)
    assert_law(renderer, text, None)
    for edit in edits:
        text = apply_edit(text, edit)
        assert_law(renderer, text, None)


def test_an_edit_renders_only_the_changed_block():
    renderer = IncrementalRenderer()
    text = CORPUS[0]
    renderer.render(text, ASSETS)
    page = renderer.render(text.replace("Exports fell.", "Exports fell sharply."), ASSETS)
    assert page.rendered == 1


def test_a_new_footnote_definition_renumbers_the_references_and_the_list():
    renderer = IncrementalRenderer()
    text = "First[^b].\n\nSecond[^c].\n\n[^b]: Bee.\n[^c]: Sea."
    renderer.render(text, None)
    changed = "[^a]: Ay.\n\n" + text.replace("First[^b]", "First[^a] and[^b]")
    page = renderer.render(changed, None)
    assert "\n".join(page.fragments()) == markdown_to_html(changed, None)
    assert '<a class="footnote-ref" href="#fn:c" rel="noopener noreferrer">3</a>' in page.fragments()[1]


def test_repeated_references_to_one_note_are_rendered_whole_and_still_equal():
    renderer = IncrementalRenderer()
    text = "One[^a].\n\n- Two[^a].\n\nThree[^a].\n\n[^a]: Note."
    page = renderer.render(text, None)
    assert "\n".join(page.fragments()) == markdown_to_html(text, None)
    assert len(page.blocks) == 1


def test_a_duplicate_heading_gets_the_next_suffix_and_the_toc_follows():
    renderer = IncrementalRenderer()
    text = "[TOC]\n\n# Intro\n\nText.\n\n# Other\n"
    renderer.render(text, None)
    changed = text.replace("# Other", "# Intro")
    page = renderer.render(changed, None)
    html = "\n".join(page.fragments())
    assert html == markdown_to_html(changed, None)
    assert 'id="intro_1"' in html and 'href="#intro_1"' in html


def test_changing_an_asset_caption_re_renders_its_figure():
    renderer = IncrementalRenderer()
    text = "![Boats](assets/harbour.jpg)\n"
    renderer.render(text, ASSETS)
    changed = dict(ASSETS)
    changed["harbour.jpg"] = ImageAsset(name="harbour.jpg", data=AssetData(b""), caption="Boats leave at dusk")
    html = "\n".join(renderer.render(text, changed).fragments())
    assert "Boats leave at dusk" in html


def test_a_text_nested_too_deeply_is_a_render_error():
    import inspect
    import sys

    old = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack(0)) + 250)
    try:
        with pytest.raises(RenderError, match="nested too deeply"):
            IncrementalRenderer().render("".join("    " * level + "- x\n" for level in range(100)))
    finally:
        sys.setrecursionlimit(old)
