"""Opening a plain Markdown file as a new, unsaved article, the way File ▸ Import reads it.

The file goes through the Markdown importer (editor.core.importers.markdown): YAML, TOML or JSON front
matter becomes the metadata, local pictures are brought in with their words, and whatever could not be
brought in becomes a warning. Like a bundle's text, a stray NUL character does not stop it from opening
(it becomes U+FFFD). The result remembers the .md file as where it came from (kind "markdown"),
so callers never save a bundle over it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from editor.core.bundle_read import OpenedBundle
from editor.core.errors import BundleError, EditorError


def open_markdown_file(path: Path) -> OpenedBundle:
    """A .md file with its front matter and local pictures as an unsaved article; raise BundleError if unreadable."""
    from editor.core.importers.markdown import import_markdown_file

    path = Path(path)
    try:
        result = import_markdown_file(path, tolerate_nul=True, lenient=True)
        # Read after the import succeeded, so a file that cannot be read is reported by the importer's sentence.
        fingerprint = hashlib.sha256(path.read_bytes()).hexdigest()
    except BundleError:
        raise
    except EditorError as exc:
        raise BundleError(str(exc)) from None
    except OSError as exc:
        raise BundleError(f"“{path.name}” could not be read ({exc.strerror or exc}).") from None
    return OpenedBundle(article=result.article, path=path, kind="markdown", fingerprint=fingerprint,
                        warnings=list(result.notes))
