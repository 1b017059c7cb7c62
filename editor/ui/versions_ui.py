"""Placeholder until the feature lands."""

from __future__ import annotations


def install(window: object) -> object | None:
    """Install the feature on the window."""
    return None
