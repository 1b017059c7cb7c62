"""Image import pipeline (Pillow): validate, orient, strip metadata, downscale, name, thumbnail."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImportSettings:
    """How images are brought into a bundle."""

    strip_metadata: bool = True  # remove GPS, camera serials and other identifying EXIF/XMP
    max_edge: int | None = 2560  # longest side in pixels after import; None keeps the original size
    jpeg_quality: int = 85
