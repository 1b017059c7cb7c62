"""Exceptions raised by the core; each message is one sentence a user can read."""


class EditorError(Exception):
    """Base class for every error the core reports to a user."""


class BundleError(EditorError):
    """A bundle cannot be read or written."""


class UnsafeArchiveError(BundleError):
    """An archive was refused because reading it could harm the machine."""


class ConflictError(BundleError):
    """The bundle on disk changed since it was opened; saving would overwrite someone's work."""


class ImageError(EditorError):
    """An image cannot be imported."""


class RenderError(EditorError):
    """The Markdown could not be rendered."""
