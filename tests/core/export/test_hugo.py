"""Hugo page bundle export: layout, front matter, figure shortcodes, and a build with the real hugo."""

from __future__ import annotations

import html
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from editor.core.errors import EditorError
from editor.core.export.hugo import export, figure_shortcode, hugo_body, markdown_literal
from editor.core.frontmatter import split_front_matter
from editor.core.importers.hugo import import_page_bundle, shortcode_params
from editor.core.model import Article, AssetData, ImageAsset, Metadata, Status
from editor.core.references import image_markdown
from tests.core.frontmatter_samples import CAPTION, CREDIT, picture, realistic_article


def test_bundle_holds_index_and_pictures_beside_it(tmp_path):
    article = realistic_article()
    out = tmp_path / "story"
    assert export(article, out) == []
    assert sorted(p.name for p in out.iterdir()) == ["flag.png", "index.md", "putin-meets-choe.jpg"]
    for asset in article.assets:
        assert (out / asset.name).read_bytes() == asset.data.read_bytes()
    raw = (out / "index.md").read_bytes()
    assert raw.startswith(b"---\n")
    data, body, kind = split_front_matter(raw.decode("utf-8"))
    assert kind == "yaml"
    assert {"title", "date", "lastmod", "draft", "slug", "summary", "description", "tags", "categories",
            "images", "params", "resources"} <= set(data)
    assert [r["src"] for r in data["resources"]] == ["putin-meets-choe.jpg", "flag.png"]
    assert data["resources"][0]["title"] == CAPTION
    assert data["resources"][0]["params"]["credit"] == CREDIT
    assert "assets/" not in body.split("```")[0]


def test_export_writes_only_inside_out_and_replaces_it_whole(tmp_path):
    out = tmp_path / "story"
    out.mkdir()
    (out / "stale.txt").write_text("old")
    export(realistic_article(), out)
    assert not (out / "stale.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story"]


def test_zip_out_holds_the_same_files(tmp_path):
    out = tmp_path / "story.zip"
    export(realistic_article(), out)
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["flag.png", "index.md", "putin-meets-choe.jpg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.zip"]


def test_progress_counts_every_file(tmp_path):
    seen = []
    export(realistic_article(), tmp_path / "story", progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_failed_export_leaves_nothing_behind(tmp_path):
    article = realistic_article()
    article.assets.append(ImageAsset(name="gone.jpg", data=AssetData(tmp_path / "missing.jpg")))
    with pytest.raises(EditorError, match="can no longer be read"):
        export(article, tmp_path / "story")
    assert list(tmp_path.iterdir()) == []


def test_unsafe_asset_names_are_left_out_with_a_note(tmp_path):
    bad = [ImageAsset.from_bytes("../evil.jpg", b"x"), ImageAsset.from_bytes("index.md", b"x")]
    article = Article(body="x", assets=bad)
    notes = export(article, tmp_path / "story")
    assert len(notes) == 2
    assert sorted(p.name for p in (tmp_path / "story").iterdir()) == ["index.md"]
    assert not (tmp_path / "evil.jpg").exists()


def test_standalone_images_become_figures_and_others_only_lose_the_prefix():
    body = hugo_body(realistic_article())
    lines = body.split("\n")
    figures = [line for line in lines if line.startswith("{{< figure ")]
    assert len(figures) == 2
    first = shortcode_params(figures[0][len("{{< figure "):-len(" >}}")])
    assert first["src"] == "putin-meets-choe.jpg"
    assert first["alt"] == "Putin shakes hands with Choe Son-hui"
    assert first["bodyalt"] == "Two men shake hands"
    assert "![flag inline](flag.png)" in body
    assert "```\n![not a figure](assets/flag.png)\n```" in body


@pytest.mark.parametrize("caption", ['He said "no"', "back\\slash", "*stars* _under_ [link](x) <b>&amp;",
                                     "1. not a list", "- not a list", "wait... -- what", "{{< figure >}}"])
def test_caption_is_literal_markdown_without_backslashes_or_quotes(caption):
    literal = markdown_literal(caption)
    assert '"' not in literal and "\\" not in literal and "<" not in literal and "{{" not in literal
    assert html.unescape(literal) == caption


def test_quotes_in_alt_are_escaped_for_the_shortcode():
    asset = ImageAsset.from_bytes("a.jpg", b"x", alt='The "big" one >}} {{', caption='Say "hi"', credit="Me")
    code = figure_shortcode(asset, "")
    params = shortcode_params(code[len("{{< figure "):-len(" >}}")])
    assert params["alt"] == 'The "big" one >}} {{'
    assert params["caption"] == markdown_literal('Say "hi" — Me')
    assert params["bodyalt"] == ""


def test_backslash_in_alt_keeps_a_plain_markdown_image():
    asset = ImageAsset.from_bytes("a.jpg", b"x", alt="a\\b")
    article = Article(body=image_markdown("a.jpg", "x"), assets=[asset])
    assert hugo_body(article) == "![x](a.jpg)"


class _Page(HTMLParser):
    """Collects what the built page shows: the title, images and figure captions."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.title = ""
        self.time = ""
        self.figures: list[dict] = []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        if tag == "figure":
            self.figures.append({"img": None, "caption": ""})
        elif tag == "img" and "figure" in self.stack:
            self.figures[-1]["img"] = dict(attrs)

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_data(self, data):
        if "figcaption" in self.stack:
            self.figures[-1]["caption"] += data
        elif self.stack and self.stack[-1] == "h1":
            self.title += data
        elif self.stack and self.stack[-1] == "time":
            self.time += data


def _site(root: Path) -> Path:
    site = root / "site"
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "http://example.org/"\ntitle = "Test"\n', encoding="utf-8")
    (site / "layouts" / "_default" / "single.html").write_text(
        '<!DOCTYPE html><html><body><h1>{{ .Title }}</h1><time>{{ .Date.Format "2006-01-02T15:04" }}</time>'
        "{{ .Content }}</body></html>\n", encoding="utf-8")
    (site / "layouts" / "_default" / "list.html").write_text("{{ range .Pages }}{{ .Title }}{{ end }}\n")
    return site


def test_a_stock_hugo_site_renders_figures_with_captions_and_credits(tmp_path):
    if shutil.which("hugo") is None:
        pytest.skip("the hugo program is not installed (Debian package 'hugo'), so the real build cannot run")
    article = realistic_article()
    article.metadata.status = article.metadata.status.PUBLISHED  # drafts are not built
    site = _site(tmp_path)
    slug = article.metadata.effective_slug
    (site / "content" / "posts").mkdir(parents=True)
    export(article, site / "content" / "posts" / slug)
    done = subprocess.run(["hugo", "--quiet", "-s", str(site)], capture_output=True, text=True, timeout=100)
    assert done.returncode == 0, done.stderr
    page = _Page()
    page.feed((site / "public" / "posts" / slug / "index.html").read_text(encoding="utf-8"))
    assert page.title == article.metadata.title
    assert page.time == "2024-01-16T09:30"
    assert len(page.figures) == 2
    photo, flag = page.figures
    assert photo["img"]["src"] == "putin-meets-choe.jpg"
    assert photo["img"]["alt"] == "Putin shakes hands with Choe Son-hui"
    assert " ".join(photo["caption"].split()) == f"{CAPTION} — {CREDIT}"
    assert flag["img"]["alt"] == "Флаг над Кремлём"
    assert " ".join(flag["caption"].split()) == "Der Kreml – „Flagge“ — Ève Çelik"
    assert (site / "public" / "posts" / slug / "flag.png").read_bytes() == article.assets[1].data.read_bytes()


def test_written_pictures_match_what_was_exported(tmp_path):
    data = picture("JPEG", "green")
    article = Article(body=image_markdown("g.jpg", "alt"), assets=[ImageAsset.from_bytes("g.jpg", data)])
    export(article, tmp_path / "out")
    assert (tmp_path / "out" / "g.jpg").read_bytes() == data


def test_typed_shortcodes_are_written_so_hugo_shows_them(tmp_path):
    notes = export(Article(body="Write {{< this >}} or {{% that %}} in Hugo.\n"), tmp_path / "out")
    text = (tmp_path / "out" / "index.md").read_text(encoding="utf-8")
    assert "{{</* this */>}}" in text and "{{%/* that */%}}" in text
    assert notes == []


def test_an_unclosed_shortcode_opener_gets_a_note(tmp_path):
    notes = export(Article(body="Write {{< and stop.\n"), tmp_path / "out")
    assert len(notes) == 1 and "{{<" in notes[0]


def test_typed_shortcodes_come_back_as_typed(tmp_path):
    body = "Write {{< this >}} here.\n\n```\n{{% code %}}\n```\n"
    export(Article(body=body), tmp_path / "out")
    assert import_page_bundle(tmp_path / "out").article.body.rstrip("\n") == body.rstrip("\n")


def test_a_stock_hugo_site_shows_typed_shortcodes_as_text(tmp_path):
    if shutil.which("hugo") is None:
        pytest.skip("the hugo program is not installed (Debian package 'hugo'), so the real build cannot run")
    meta = Metadata(title="T", status=Status.PUBLISHED)
    article = Article(body="Type {{< youtube abc >}} to embed.\n", metadata=meta)
    site = _site(tmp_path)
    (site / "content" / "posts").mkdir(parents=True)
    export(article, site / "content" / "posts" / "t")
    done = subprocess.run(["hugo", "--quiet", "-s", str(site)], capture_output=True, text=True, timeout=100)
    assert done.returncode == 0, done.stderr
    page = (site / "public" / "posts" / "t" / "index.html").read_text(encoding="utf-8")
    assert "{{&lt; youtube abc &gt;}}" in page or "{{< youtube abc >}}" in page
