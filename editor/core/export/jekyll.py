"""Jekyll export: a post and its images laid out as in a Jekyll site, to copy into one (a folder, or a .zip).

    _posts/YYYY-MM-DD-<slug>.md        the post: YAML front matter (editor.core.frontmatter.metadata_to_jekyll)
    assets/images/<slug>/<name>        the images the text shows

The file name's date is the article's date, or today when it has none (a note says so). Jekyll leaves out
posts marked `published: false`, and that is what every status but "published" gives, as Hugo's draft does;
a note says so. Each image that stands alone on a line becomes an HTML <figure> block with a <figcaption>
holding the caption and a <span class="credit">, which kramdown passes through unchanged; other images keep
Markdown syntax. Image addresses go through Jekyll's relative_url filter so a site under a base URL works.
Liquid runs over every post before Markdown does, so braces in the text that Liquid would read are wrapped
in {% raw %}. The file is UTF-8 without a byte order mark, which Jekyll would otherwise trip over.
"""

from __future__ import annotations

import os
import re
import secrets
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

from editor.core.atomic import atomic_write_bytes, atomic_write_text
from editor.core.bundle_text import standalone_images
from editor.core.errors import EditorError
from editor.core.export.common import Progress, asset_bytes, build_folder_or_zip, report
from editor.core.frontmatter import metadata_to_jekyll, yaml_front_matter
from editor.core.model import Article, ImageAsset, Status, make_slug, parse_date
from editor.core.references import image_references
from editor.core.render import apply_asset_urls, markdown_to_html
from editor.core.safezip import check_entry_name

POSTS_FOLDER = "_posts"
IMAGES_FOLDER = "assets/images"

# Where Liquid would start reading a tag or an output; the text wants these shown as typed.
_LIQUID_OPENERS = re.compile(r"\{[{%]")


def site_path(slug: str, name: str) -> str:
    """The address of an image within the site, e.g. /assets/images/my-story/photo.jpg."""
    return f"/{IMAGES_FOLDER}/{quote(slug)}/{quote(name)}"


def liquid_url(path: str) -> str:
    """A Liquid expression giving the site path with the site's base URL in front."""
    return "{{ '" + path + "' | relative_url }}"


def escape_liquid(text: str) -> str:
    """Text in which Liquid sees nothing to run: each `{{` and `{%` is wrapped in a raw tag."""
    return _LIQUID_OPENERS.sub(lambda m: "{% raw %}" + m.group(0) + "{% endraw %}", text)


def post_date(article: Article) -> tuple[date, str]:
    """The date for the post's file name and a note when it is not the article's own date."""
    written = article.metadata.date.strip()
    try:
        parsed = parse_date(written)
    except EditorError:
        parsed = None
    if parsed is None:
        why = "has no date" if not written else f"date “{written}” is not a date"
        return date.today(), f"The article {why}, so the post is dated today."
    return (parsed.date() if isinstance(parsed, datetime) else parsed), ""


def _checked_name(asset: ImageAsset) -> str:
    name = asset.name
    if check_entry_name(name) or "/" in name or "\\" in name or name.startswith(".") or os.path.basename(name) != name:
        raise EditorError(f"The image name “{name}” cannot be used as a file name; rename the image.")
    return name


def figure_block(asset: ImageAsset, line: str) -> str:
    """The HTML <figure> the preview shows for an image line, its src an `assets/<name>` placeholder."""
    return markdown_to_html(line.strip(), {asset.name: asset}).strip()


def retarget(reference: str, alt: str, url: str) -> str:
    """An image reference `![alt](dest "title")` with its destination replaced by url, the rest as written."""
    head = f"![{alt}]("
    rest = reference[len(head):].lstrip()
    end = rest.index(">") + 1 if rest.startswith("<") else len(re.match(r"[^\s)]*", rest).group(0))
    return head + url + rest[end:]


def post_body(article: Article, slug: str) -> str:
    """The body as Jekyll reads it: figures as HTML blocks, image addresses within the site, Liquid kept out."""
    assets = {asset.name: asset for asset in article.assets}
    token = f"jekyllimage{secrets.token_hex(8)}x"
    urls: list[str] = []

    def placeholder(name: str) -> str:
        urls.append(liquid_url(site_path(slug, name)))
        return f"{token}{len(urls) - 1}z"

    lines = article.body.split("\n")
    for index, name in standalone_images(lines):
        if name in assets:
            figure = apply_asset_urls(figure_block(assets[name], lines[index]), placeholder)
            # Blank lines around it keep the block apart from any paragraph next to it.
            lines[index] = f"\n{figure}\n"
    text = "\n".join(lines)
    pieces, last = [], 0
    for ref in image_references(text):
        if ref.is_asset and ref.name in assets:
            pieces += [text[last:ref.start], retarget(text[ref.start:ref.end], ref.alt, placeholder(ref.name))]
            last = ref.end
    text = escape_liquid("".join([*pieces, text[last:]]))
    return re.sub(re.escape(token) + r"(\d+)z", lambda m: urls[int(m.group(1))], text)


def front_matter(article: Article, slug: str, day: date) -> dict:
    """The post's front matter: the metadata's Jekyll keys, the featured image as a site path, a date Jekyll reads."""
    data = metadata_to_jekyll(article.metadata)
    written = article.metadata.date.strip()
    try:
        readable = parse_date(written) is not None
    except EditorError:
        readable = False
    if not readable:
        data["date"] = day.isoformat()
    featured = article.asset(article.metadata.featured_image)
    if featured is not None:
        data["image"] = site_path(slug, featured.name)
    else:
        data.pop("image", None)  # a name that is no image of the article would be a broken address
    return data


def _post_text(article: Article, slug: str, day: date) -> str:
    return yaml_front_matter(front_matter(article, slug, day), post_body(article, slug)).lstrip("\ufeff")


def _copied_assets(article: Article) -> list[ImageAsset]:
    wanted = article.used_asset_names() | {article.metadata.featured_image}
    return [asset for asset in article.assets if asset.name in wanted]


def _notes(article: Article, date_note: str) -> list[str]:
    notes = [date_note] if date_note else []
    if article.metadata.status is not Status.PUBLISHED:
        notes.append("The article is not marked published, so the post has “published: false” and Jekyll "
                     "leaves it out unless the site is built with --unpublished.")
    names = {asset.name for asset in article.assets}
    missing = sorted({ref.name for ref in image_references(article.body) if ref.is_asset and ref.name not in names})
    notes += [f"The text shows “{name}”, which is not among the article’s images, so the post links to nothing there."
              for name in missing]
    featured = article.metadata.featured_image
    if featured and article.asset(featured) is None:
        notes.append(f"The featured image “{featured}” is not among the article’s images, so the post has none.")
    return notes


def export(article: Article, out: Path, *, progress: Progress | None = None, clean: bool = False) -> list[str]:
    """Write the post and its images as a Jekyll site folder (or .zip) at OUT; returns notes."""
    del clean  # review data never reaches the post
    # A slug typed by hand may hold anything, "/" and ".." included; the file names get a clean one.
    slug = make_slug(article.metadata.effective_slug) or "article"
    day, date_note = post_date(article)
    assets = _copied_assets(article)
    names = [_checked_name(asset) for asset in assets]
    text = _post_text(article, slug, day)

    def fill(folder: Path) -> None:
        total = len(assets) + 1
        posts = folder / POSTS_FOLDER
        posts.mkdir()
        atomic_write_text(posts / f"{day.isoformat()}-{slug}.md", text)
        if assets:
            images = folder / IMAGES_FOLDER / slug
            images.mkdir(parents=True)
            for done, (asset, name) in enumerate(zip(assets, names, strict=True)):
                report(progress, done + 1, total)
                atomic_write_bytes(images / name, asset_bytes(asset))

    build_folder_or_zip(Path(out), fill)
    return _notes(article, date_note)
