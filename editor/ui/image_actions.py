"""Image changes that touch more than the image list: renames, replacements and removals."""

from __future__ import annotations

import re
from dataclasses import replace

from PySide6.QtCore import QCoreApplication

from editor.core.images import asset_name_for
from editor.core.model import ImageAsset
from editor.core.references import image_references
from editor.ui.document import ArticleDocument
from editor.ui.review_mode import is_text_locked

_SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*$")
TEXT_FIELDS = ("alt", "caption", "credit", "source_url", "licence")


def tr(text: str) -> str:
    """Translate a user-visible string of the image actions."""
    return QCoreApplication.translate("ImageActions", text)


def extension_of(name: str) -> str:
    """The extension of a file name, lower-case, without the dot."""
    return name.rpartition(".")[2].lower() if "." in name else ""


def complete_name(text: str, old_name: str) -> str:
    """The name the user meant: trimmed, with the old extension added when none was typed."""
    name = text.strip()
    if name and "." not in name:
        name = f"{name}.{extension_of(old_name)}"
    return name


def rename_problem(new_name: str, old_name: str, taken: set[str]) -> str | None:
    """Why an image cannot take this name (one sentence), or None when it can."""
    if not new_name:
        return tr("The name cannot be empty.")
    if not _SAFE_NAME.fullmatch(new_name):
        return tr("Use only lower-case letters, digits, hyphens and underscores, like “harbour-at-dawn.jpg”.")
    if extension_of(new_name) != extension_of(old_name):
        return tr("The name must keep the extension “.{ext}”.").format(ext=extension_of(old_name))
    others = {name.lower() for name in taken if name != old_name}
    if new_name.lower() in others:
        return tr("Another image is already called “{name}”.").format(name=new_name)
    return None


def rename_refusal(document: ArticleDocument, name: str) -> str | None:
    """Why the image cannot be renamed now (review mode, and the text refers to it), as one sentence; else None."""
    if not is_text_locked(document.text_document):
        return None
    if not any(ref.name == name for ref in image_references(document.text_document.toPlainText())):
        return None
    return tr("The text refers to “{name}”, so it cannot be renamed in review mode.").format(name=name)


def replace_refusal(document: ArticleDocument, old_name: str, imported: ImageAsset) -> str | None:
    """Why a picture of another format cannot replace the image now (its name and the text would change); else None."""
    if extension_of(imported.name) == extension_of(old_name):
        return None
    return rename_refusal(document, old_name)


def rename_everywhere(document: ArticleDocument, old_name: str, new_name: str) -> None:
    """Rename an image, its references in the text and the featured image, as one undo step.

    Nothing happens while review mode forbids it (see rename_refusal).
    """
    if rename_refusal(document, old_name) is not None:
        return
    document.undo_stack.beginMacro(tr("Rename image"))
    document.rename_asset(old_name, new_name)
    if document.metadata.featured_image == old_name:
        document.set_metadata("featured_image", new_name)
    document.undo_stack.endMacro()


def remove_everywhere(document: ArticleDocument, name: str) -> None:
    """Remove an image, and stop featuring it, as one undo step."""
    document.undo_stack.beginMacro(tr("Remove image"))
    document.remove_asset(name)
    if document.metadata.featured_image == name:
        document.set_metadata("featured_image", "")
    document.undo_stack.endMacro()


def replace_file(document: ArticleDocument, old_name: str, imported: ImageAsset) -> str:
    """Put a newly imported picture in place of an image, keeping its words; returns the resulting name.

    When the new picture has another format the name takes the new extension and the text follows; in review mode
    (see replace_refusal) nothing changes then.
    """
    old = document.asset(old_name)
    if old is None or replace_refusal(document, old_name, imported) is not None:
        return old_name
    words = {f: getattr(old, f) for f in TEXT_FIELDS}
    new_name = old_name
    if extension_of(imported.name) != extension_of(old_name):
        stem = old_name.rpartition(".")[0] or old_name
        taken = {a.name for a in document.assets if a.name != old_name}
        new_name = asset_name_for(stem, extension_of(imported.name), taken)
    document.undo_stack.beginMacro(tr("Replace image file"))
    if new_name != old_name:
        rename_everywhere(document, old_name, new_name)
    document.replace_asset(new_name, replace(imported, name=new_name, **words))
    document.undo_stack.endMacro()
    return new_name


def unclashed(assets: list[ImageAsset], taken: set[str]) -> list[ImageAsset]:
    """The assets renamed where needed so that no name clashes (ignoring case) with `taken` or each other."""
    used = set(taken)
    result = []
    for asset in assets:
        if asset.name.lower() in {name.lower() for name in used}:
            stem = asset.name.rpartition(".")[0] or asset.name
            asset = replace(asset, name=asset_name_for(stem, extension_of(asset.name), used))
        used.add(asset.name)
        result.append(asset)
    return result
