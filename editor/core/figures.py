"""A Markdown extension that turns bundle images into figures with captions and keeps the preview offline."""

from __future__ import annotations

import re
from urllib.parse import quote
from xml.etree.ElementTree import Element, SubElement

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from editor.core.model import ImageAsset
from editor.core.references import asset_name_from_target

# After attr_list (8) has taken `{: .class}` off the image's tail, before abbr, smarty and toc.
PRIORITY = 7.5

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
_TEXT_ALIGN = re.compile(r"text-align:\s*(left|center|right)", re.IGNORECASE)
_SHOWN_URL_LENGTH = 80


def is_foreign_source(src: str) -> bool:
    """Whether an image source points outside the bundle folder by URL (http:, //host, file:, data:, …)."""
    squeezed = _URL_NOISE.sub("", src)
    return squeezed.startswith(("//", "\\\\", "/\\")) or bool(_SCHEME.match(squeezed))


def _shorten(text: str) -> str:
    return text if len(text) <= _SHOWN_URL_LENGTH else text[: _SHOWN_URL_LENGTH - 1] + "…"


class FigureProcessor(Treeprocessor):
    """Rewrites every <img>: bundle images get their words, anything else becomes a visible placeholder."""

    def __init__(self, md: Markdown, assets: dict[str, ImageAsset] | None) -> None:
        super().__init__(md)
        self.assets = assets

    def run(self, root: Element) -> None:
        """Rewrite the images and table alignment of the tree in place."""
        parents = {child: parent for parent in root.iter() for child in parent}
        for img in list(root.iter("img")):
            parent = parents.get(img)
            if parent is not None:
                self._rewrite(img, parent, _inside_link(img, parents))
        for cell in root.iter():
            if cell.tag in {"th", "td"}:
                _alignment_as_class(cell)

    def _rewrite(self, img: Element, parent: Element, in_link: bool) -> None:
        src = img.get("src", "")
        alone = _stands_alone(img, parent)
        name = asset_name_from_target(src)
        if is_foreign_source(src):
            self._replace(img, parent, alone, _remote_placeholder(src, img.get("alt", ""), in_link), "remote")
        elif not name:
            self._replace(img, parent, alone, _missing_placeholder(src), "missing")
        elif self.assets is not None and name not in self.assets:
            self._replace(img, parent, alone, _missing_placeholder(name), "missing")
        else:
            asset = self.assets.get(name) if self.assets is not None else None
            _describe(img, name, asset)
            if alone:
                _make_figure(parent, img, asset)

    @staticmethod
    def _replace(img: Element, parent: Element, alone: bool, placeholder: Element,
                 kind: str) -> None:
        placeholder.tail = img.tail
        if alone:
            parent.tag = "figure"
            parent.set("class", kind)
            placeholder.set("class", f"placeholder {kind}-image")
            placeholder.tail = None
        else:
            placeholder.set("class", f"{kind}-image")
        index = list(parent).index(img)
        parent.remove(img)
        parent.insert(index, placeholder)


def _stands_alone(img: Element, parent: Element) -> bool:
    return (parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip()
            and not (img.tail or "").strip())


def _describe(img: Element, name: str, asset: ImageAsset | None) -> None:
    """Points the image at assets/<name> and gives it the asset's alt text and size."""
    title = img.get("title")
    written_alt = img.get("alt", "")
    extra = {key: value for key, value in img.attrib.items() if key not in {"src", "alt", "title"}}
    img.attrib.clear()
    img.set("src", f"assets/{quote(name)}")
    img.set("alt", (asset.alt.strip() if asset is not None and asset.alt.strip() else written_alt))
    if title:
        img.set("title", title)
    if asset is not None and asset.width > 0 and asset.height > 0:
        img.set("width", str(asset.width))
        img.set("height", str(asset.height))
    for key, value in extra.items():
        img.set(key, value)


def _make_figure(paragraph: Element, img: Element, asset: ImageAsset | None) -> None:
    paragraph.tag = "figure"
    paragraph.text = None
    img.tail = None
    caption = asset.caption.strip() if asset is not None else ""
    credit = asset.credit.strip() if asset is not None else ""
    if not caption and not credit:
        return
    figcaption = SubElement(paragraph, "figcaption")
    if caption:
        figcaption.text = caption
    if credit:
        span = SubElement(figcaption, "span", {"class": "credit"})
        span.text = credit
        if caption:
            figcaption.text = caption + " "


def _missing_placeholder(what: str) -> Element:
    element = Element("span")
    # Atomic: names and URLs are shown as written, without smart quotes or dashes.
    element.text = AtomicString(f"image missing: {_shorten(what)}")
    return element


def _inside_link(element: Element, parents: dict[Element, Element]) -> bool:
    while element in parents:
        element = parents[element]
        if element.tag == "a":
            return True
    return False


def _remote_placeholder(src: str, alt: str, in_link: bool) -> Element:
    squeezed = _URL_NOISE.sub("", src).lower()
    shown = alt.strip() or (_shorten(src.strip()) if not squeezed.startswith("data:") else "embedded image data")
    # A web address stays one click away (unless already inside a link); the image itself is never fetched.
    web = squeezed.startswith(("http:", "https:")) and not in_link
    element = Element("a", {"href": src.strip()}) if web else Element("span")
    element.text = AtomicString(f"image not loaded: {shown}")
    return element


def _alignment_as_class(cell: Element) -> None:
    style = cell.attrib.pop("style", None)
    match = _TEXT_ALIGN.search(style or "")
    if match:
        cell.set("class", f"align-{match.group(1).lower()}")


class FigureExtension(Extension):
    """Registers the figure processor; `assets` maps names to assets, None when the bundle is unknown."""

    def __init__(self, assets: dict[str, ImageAsset] | None = None) -> None:
        super().__init__()
        self.assets = assets

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's hook name)
        """Add the processor to this Markdown instance."""
        md.treeprocessors.register(FigureProcessor(md, self.assets), "figures", PRIORITY)
