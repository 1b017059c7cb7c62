"""What changed between two states of an article: the text word by word, metadata, and the images' words and files.

The text is compared paragraph by paragraph first and word by word only inside paragraphs that differ,
which keeps long articles quick and the result readable. Unchanged stretches are cut down to a few words
of context around each change, so the result reads as a list of hunks.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, fields
from typing import Literal

from editor.core.model import Article, ImageAsset, Metadata, Status

CONTEXT_WORDS = 12  # words of unchanged text kept on each side of a change
# Word diffs cost about the square of their length, so longer stretches are compared paragraph by paragraph.
WHOLE_BLOCK_CHARS = 20_000
Kind = Literal["equal", "insert", "delete"]
# A word or a punctuation mark with the white space after it: half as many tokens as splitting the space
# off, and no token (a lone space) so common that the matcher slows down on it.
_TOKEN = re.compile(r"(?:\w+(?:['’]\w+)*|[^\w\s])\s*|\s+", re.UNICODE)
# A line with the blank lines before it, so blank lines never match on their own and split a change in two.
_PARAGRAPH = re.compile(r"\n*[^\n]+\n?|\n+")
_FIELD_LABELS = {
    "title": "Title", "subtitle": "Subtitle", "authors": "Authors", "date": "Date", "updated": "Updated",
    "slug": "Slug", "section": "Section", "tags": "Tags", "summary": "Summary", "language": "Language",
    "status": "Status", "featured_image": "Featured image", "source_url": "Source URL",
}
_IMAGE_LABELS = {"caption": "Caption", "credit": "Credit", "alt": "Alt text", "licence": "Licence",
                 "source_url": "Source URL"}


@dataclass(frozen=True)
class Segment:
    """A stretch of text that is in both versions, only in the new one, or only in the old one."""

    kind: Kind
    text: str


@dataclass
class Hunk:
    """One change with the unchanged words around it; lines count from 1."""

    old_line: int
    new_line: int
    segments: list[Segment] = field(default_factory=list)

    @property
    def old_text(self) -> str:
        """The hunk as the old version reads."""
        return "".join(s.text for s in self.segments if s.kind != "insert")

    @property
    def new_text(self) -> str:
        """The hunk as the new version reads."""
        return "".join(s.text for s in self.segments if s.kind != "delete")


@dataclass(frozen=True)
class FieldChange:
    """A change of one metadata field, or of one field of an image."""

    label: str  # "Title", "Caption of “a.jpg”"…
    old: str
    new: str


@dataclass(frozen=True)
class ImageChange:
    """An image added, removed, replaced by another file under the same name, or renamed."""

    kind: Literal["added", "removed", "replaced", "renamed"]
    name: str
    old_name: str = ""  # for a renamed image


@dataclass
class Comparison:
    """Everything that differs between an old and a new article."""

    hunks: list[Hunk] = field(default_factory=list)
    metadata: list[FieldChange] = field(default_factory=list)
    images: list[ImageChange] = field(default_factory=list)
    image_fields: list[FieldChange] = field(default_factory=list)
    words_inserted: int = 0
    words_deleted: int = 0

    @property
    def identical(self) -> bool:
        """Whether nothing at all changed."""
        return not (self.hunks or self.metadata or self.images or self.image_fields)


def tokens(text: str) -> list[str]:
    """The text cut into words and single punctuation marks, each with its trailing white space; joined they
    give the text back."""
    return _TOKEN.findall(text)


def _paragraphs(text: str) -> list[str]:
    return _PARAGRAPH.findall(text)


def _word_ops(old: str, new: str) -> list[Segment]:
    a, b = tokens(old), tokens(new)
    # Words match whatever white space follows them; a change of spacing alone is marked on the space.
    matcher = difflib.SequenceMatcher(None, [t.rstrip() or t for t in a], [t.rstrip() or t for t in b],
                                      autojunk=False)
    out: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(_equal_words(a[i1:i2], b[j1:j2]))
            continue
        gone, came = "".join(a[i1:i2]), "".join(b[j1:j2])
        # White space both sides end with is unchanged; leaving it out of the marks reads better.
        shared = _common_space_tail(gone, came) if gone and came else ""
        if gone:
            out.append(Segment("delete", gone[:len(gone) - len(shared)]))
        if came:
            out.append(Segment("insert", came[:len(came) - len(shared)]))
        if shared:
            out.append(Segment("equal", shared))
    return out


def _equal_words(a: list[str], b: list[str]) -> list[Segment]:
    out: list[Segment] = []
    for was, now in zip(a, b, strict=True):
        if was == now:
            out.append(Segment("equal", was))
            continue
        same = next((i for i, (x, y) in enumerate(zip(was, now, strict=False)) if x != y), min(len(was), len(now)))
        out += [Segment("equal", was[:same]), Segment("delete", was[same:]), Segment("insert", now[same:])]
    return out


def _common_space_tail(first: str, second: str) -> str:
    size = 0
    while size < min(len(first), len(second)) and first[-1 - size] == second[-1 - size] \
            and first[-1 - size].isspace():
        size += 1
    return first[len(first) - size:]


def text_segments(old: str, new: str) -> list[Segment]:
    """The whole of both texts as equal, deleted and inserted stretches, neighbours of a kind merged."""
    a, b = _paragraphs(old), _paragraphs(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    raw: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            raw.append(Segment("equal", "".join(a[i1:i2])))
        elif tag == "delete":
            raw.append(Segment("delete", "".join(a[i1:i2])))
        elif tag == "insert":
            raw.append(Segment("insert", "".join(b[j1:j2])))
        else:
            raw.extend(_replaced(a[i1:i2], b[j1:j2]))
    return _merged(raw)


def _replaced(old: list[str], new: list[str]) -> list[Segment]:
    """Word changes of paragraphs that took the place of others, in time that grows with their length only."""
    before, after = "".join(old), "".join(new)
    if len(before) + len(after) <= WHOLE_BLOCK_CHARS:
        return _word_ops(before, after)
    # A long run of changed paragraphs: each is compared with the one in its place, not with all the others.
    out: list[Segment] = []
    for was, now in zip(old, new, strict=False):
        if len(was) + len(now) <= WHOLE_BLOCK_CHARS:
            out.extend(_word_ops(was, now))
        else:
            out.extend([Segment("delete", was), Segment("insert", now)])
    out.extend(Segment("delete", text) for text in old[len(new):])
    out.extend(Segment("insert", text) for text in new[len(old):])
    return out


def _merged(segments: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for seg in segments:
        if not seg.text:
            continue
        if out and out[-1].kind == seg.kind:
            out[-1] = Segment(seg.kind, out[-1].text + seg.text)
        else:
            out.append(seg)
    # A deletion always comes before the insertion that takes its place, whatever order the diff gave.
    for i in range(len(out) - 1):
        if out[i].kind == "insert" and out[i + 1].kind == "delete":
            out[i], out[i + 1] = out[i + 1], out[i]
    return out


def _is_word(token: str) -> bool:
    return any(c.isalnum() for c in token)


def _words(text: str) -> int:
    return sum(1 for t in tokens(text) if _is_word(t))


def _has_more_words(text: str, count: int) -> bool:
    """Whether the text holds more than `count` words, reading no further than needed."""
    seen = 0
    for match in _TOKEN.finditer(text):
        if _is_word(match.group()):
            seen += 1
            if seen > count:
                return True
    return False


def _head(text: str, count: int) -> str:
    """The first `count` words of the text (with what lies between them)."""
    parts = tokens(text)
    seen = 0
    for i, part in enumerate(parts):
        if _is_word(part):
            seen += 1
            if seen > count:
                return "".join(parts[:i]).rstrip()
    return text.rstrip()


def _tail(text: str, count: int) -> str:
    """The last `count` words of the text."""
    parts = tokens(text)
    seen = 0
    for i in range(len(parts) - 1, -1, -1):
        if _is_word(parts[i]):
            seen += 1
            if seen > count:
                return "".join(parts[i + 1:]).lstrip()
    return text.lstrip()


def make_hunks(segments: list[Segment], context: int = CONTEXT_WORDS) -> list[Hunk]:
    """Group changes into hunks, each with up to `context` unchanged words either side."""
    hunks: list[Hunk] = []
    current: Hunk | None = None
    old_line = new_line = 1
    for index, seg in enumerate(segments):
        last = index == len(segments) - 1
        if seg.kind == "equal":
            long_gap = _has_more_words(seg.text, 2 * context)
            if current is not None and (long_gap or last):
                current.segments.append(Segment("equal", _head(seg.text, context)))
                hunks.append(current)
                current = None
            elif current is not None:
                current.segments.append(seg)
        else:
            if current is None:
                before = segments[index - 1].text if index and segments[index - 1].kind == "equal" else ""
                lead = _tail(before, context)
                start_old = old_line - lead.count("\n")
                start_new = new_line - lead.count("\n")
                current = Hunk(start_old, start_new, [Segment("equal", lead)] if lead else [])
            current.segments.append(seg)
        if seg.kind != "insert":
            old_line += seg.text.count("\n")
        if seg.kind != "delete":
            new_line += seg.text.count("\n")
    if current is not None:
        hunks.append(current)
    for hunk in hunks:
        hunk.segments = [s for s in hunk.segments if s.text]
    return hunks


def _show(value: object) -> str:
    if isinstance(value, Status):
        return value.label
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def metadata_changes(old: Metadata, new: Metadata) -> list[FieldChange]:
    """Every metadata field whose value differs, custom fields one by one."""
    changes = []
    for item in fields(Metadata):
        if item.name == "custom":
            continue
        before, after = getattr(old, item.name), getattr(new, item.name)
        if before != after:
            label = _FIELD_LABELS.get(item.name, item.name.replace("_", " ").capitalize())
            changes.append(FieldChange(label, _show(before), _show(after)))
    for key in sorted(set(old.custom) | set(new.custom)):
        before, after = old.custom.get(key, ""), new.custom.get(key, "")
        if before != after:
            changes.append(FieldChange(key, before, after))
    return changes


def image_changes(old: list[ImageAsset], new: list[ImageAsset]) -> tuple[list[ImageChange], list[FieldChange]]:
    """Images added, removed, replaced or renamed, and the words of images kept under one name."""
    before = {a.name: a for a in old}
    after = {a.name: a for a in new}
    removed = [a for a in old if a.name not in after]
    added = [a for a in new if a.name not in before]
    changes: list[ImageChange] = []
    for gone in list(removed):
        twin = next((a for a in added if a.sha256 and a.sha256 == gone.sha256), None)
        if twin is not None:
            removed.remove(gone)
            added.remove(twin)
            changes.append(ImageChange("renamed", twin.name, gone.name))
    changes += [ImageChange("removed", a.name) for a in removed]
    changes += [ImageChange("added", a.name) for a in added]
    words: list[FieldChange] = []
    pairs = [(before[a.name], a) for a in new if a.name in before]
    pairs += [(before[c.old_name], after[c.name]) for c in changes if c.kind == "renamed"]
    for was, now in pairs:
        if was.name == now.name and was.sha256 and now.sha256 and was.sha256 != now.sha256:
            changes.append(ImageChange("replaced", now.name))
        for key, label in _IMAGE_LABELS.items():
            if getattr(was, key) != getattr(now, key):
                words.append(FieldChange(f"{label} of “{now.name}”", getattr(was, key), getattr(now, key)))
    return changes, words


def compare_articles(old: Article, new: Article, context: int = CONTEXT_WORDS) -> Comparison:
    """Everything that changed from `old` to `new`."""
    segments = text_segments(old.body, new.body)
    images, image_fields = image_changes(old.assets, new.assets)
    return Comparison(
        hunks=make_hunks(segments, context),
        metadata=metadata_changes(old.metadata, new.metadata),
        images=images,
        image_fields=image_fields,
        words_inserted=sum(_words(s.text) for s in segments if s.kind == "insert"),
        words_deleted=sum(_words(s.text) for s in segments if s.kind == "delete"),
    )
