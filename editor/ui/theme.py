"""Colours that stay readable on light and dark palettes (the system's choice, followed at run time)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

# Red for problems: dark enough on white, light enough on a dark grey (both above 4.5:1 contrast).
PROBLEM_ON_LIGHT = "#b71c1c"
PROBLEM_ON_DARK = "#ff8a80"


def is_dark(palette: QPalette) -> bool:
    """Whether the palette is a dark one (light text on a dark background)."""
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    return base.lightness() < text.lightness()


def problem_colour(palette: QPalette) -> QColor:
    """The colour of a note about a wrong value."""
    return QColor(PROBLEM_ON_DARK if is_dark(palette) else PROBLEM_ON_LIGHT)


def invalid_style(palette: QPalette) -> str:
    """Style sheet for a line edit holding a wrong value: a red frame and a tinted but readable field."""
    if is_dark(palette):
        return f"QLineEdit {{ border: 1px solid {PROBLEM_ON_DARK}; background: #3d1f1f; color: #f6e7e7; }}"
    return f"QLineEdit {{ border: 1px solid {PROBLEM_ON_LIGHT}; background: #fdecea; color: #2b0a0a; }}"

# Orange for hints that ask for something (missing alt text): readable on both backgrounds.
HINT_ON_LIGHT = "#8a4500"
HINT_ON_DARK = "#ffb74d"


def muted_colour(palette: QPalette) -> QColor:
    """A quieter text colour for bylines and quotes, still above 4.5:1 contrast on the palette's base."""
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    # Two thirds of the way from the background to the text keeps it readable on light and dark alike.
    mix = [round(b + (t - b) * 0.65) for t, b in zip(text.getRgb()[:3], base.getRgb()[:3], strict=True)]
    return QColor(*mix)


def hint_colour(palette: QPalette) -> QColor:
    """The colour of a hint asking the user to fill something in."""
    return QColor(HINT_ON_DARK if is_dark(palette) else HINT_ON_LIGHT)
