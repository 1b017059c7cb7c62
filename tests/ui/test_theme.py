"""Problem colours and the invalid-field style stay readable on light and dark palettes."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QColor, QPalette

from editor.ui import theme
from editor.ui.theme import invalid_style, is_dark, problem_colour


def palette(window: str, base: str, text: str) -> QPalette:
    """A palette with these background, field and text colours."""
    result = QPalette()
    result.setColor(QPalette.ColorRole.Window, QColor(window))
    result.setColor(QPalette.ColorRole.WindowText, QColor(text))
    result.setColor(QPalette.ColorRole.Base, QColor(base))
    result.setColor(QPalette.ColorRole.Text, QColor(text))
    return result


LIGHT = palette("#efefef", "#ffffff", "#000000")
DARK = palette("#2b2b2b", "#1e1e1e", "#e6e6e6")


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours."""
    def luminance(colour: QColor) -> float:
        channels = [c / 255 for c in (colour.red(), colour.green(), colour.blue())]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def style_colour(style: str, prop: str) -> QColor:
    match = re.search(rf"(?<![-\w]){prop}:\s*(#[0-9a-fA-F]{{6}})", style)
    assert match, f"no {prop} in {style}"
    return QColor(match.group(1))


def test_dark_and_light_palettes_are_told_apart():
    assert is_dark(DARK)
    assert not is_dark(LIGHT)


@pytest.mark.parametrize("chosen", [LIGHT, DARK], ids=["light", "dark"])
def test_problem_notes_are_readable_on_the_window_background(chosen):
    assert contrast(problem_colour(chosen), chosen.color(QPalette.ColorRole.Window)) >= 4.5


@pytest.mark.parametrize("chosen", [LIGHT, DARK], ids=["light", "dark"])
def test_a_field_marked_invalid_keeps_readable_text(chosen):
    style = invalid_style(chosen)
    assert contrast(style_colour(style, "color"), style_colour(style, "background")) >= 4.5


def _contrast(a: QColor, b: QColor) -> float:
    def lum(c: QColor) -> float:
        parts = []
        for v in (c.redF(), c.greenF(), c.blueF()):
            parts.append(v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4)
        return 0.2126 * parts[0] + 0.7152 * parts[1] + 0.0722 * parts[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("dark", [False, True])
def test_muted_and_hint_colours_stay_readable_on_both_palettes(dark):
    palette = QPalette()
    base, text = (QColor("#1e1e1e"), QColor("#eeeeee")) if dark else (QColor("#ffffff"), QColor("#000000"))
    palette.setColor(QPalette.ColorRole.Base, base)
    palette.setColor(QPalette.ColorRole.Text, text)
    assert _contrast(theme.muted_colour(palette), base) >= 4.5
    assert _contrast(theme.hint_colour(palette), base) >= 4.5
    assert _contrast(theme.problem_colour(palette), base) >= 4.5
