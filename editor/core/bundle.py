"""The portable bundle: open and save articles as TextBundle folders (.textbundle) and TextPack zips (.textpack).

The format is described in docs/bundle-format.md. This module is the one place others import from.
"""

from __future__ import annotations

from editor.core.bundle_files import bundle_fingerprint, bundle_kind
from editor.core.bundle_markdown import open_markdown_file
from editor.core.bundle_read import OpenedBundle, open_bundle
from editor.core.bundle_write import save_bundle
from editor.core.errors import BundleError, ConflictError, UnsafeArchiveError

__all__ = [
    "BundleError",
    "ConflictError",
    "OpenedBundle",
    "UnsafeArchiveError",
    "bundle_fingerprint",
    "bundle_kind",
    "open_bundle",
    "open_markdown_file",
    "save_bundle",
]
