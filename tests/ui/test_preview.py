"""The live preview: follows edits in place, shows images from the bundle, runs nothing, reaches nothing."""

from __future__ import annotations

import http.server
import io
import json
import threading
from collections.abc import Callable
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QVBoxLayout, QWidget

from editor.core.errors import RenderError
from editor.core.model import Article, ImageAsset, Metadata
from editor.core.render_process import RenderProcess
from editor.ui import preview
from editor.ui.document import ArticleDocument
from editor.ui.preview import PreviewPane
from editor.ui.scroll_map import block_starts
from editor.ui.url_scheme import BASE_URL

WAIT = 20_000


class SwitchableRenderer:
    """The real render process, made to fail on demand."""

    def __init__(self, process: RenderProcess) -> None:
        self.process = process
        self.failure: str | None = None
        self.calls = 0

    def render_document(self, article: Article, **kwargs: Any) -> str:
        self.calls += 1
        if self.failure:
            raise RenderError(self.failure)
        return self.process.render_document(article, **kwargs)

    def render_blocks(self, article: Article, **kwargs: Any) -> dict[str, Any]:
        self.calls += 1
        if self.failure:
            raise RenderError(self.failure)
        return self.process.render_blocks(article, **kwargs)

    def close(self) -> None:
        pass


@pytest.fixture(scope="module")
def process():
    with RenderProcess(timeout=60) as shared:
        yield shared


@pytest.fixture
def renderer(process):
    return SwitchableRenderer(process)


def dispose(qtbot, widget: QWidget) -> None:
    """Delete a widget now, so its page goes before its profile and nothing is left for the next test."""
    gone: list[bool] = []
    widget.destroyed.connect(lambda: gone.append(True))
    widget.deleteLater()
    qtbot.waitUntil(lambda: bool(gone), timeout=WAIT)


@pytest.fixture
def make_pane(qtbot, renderer):
    panes = []

    def make(article: Article | None = None) -> PreviewPane:
        pane = PreviewPane(ArticleDocument(article or Article()), renderer=renderer)
        panes.append(pane)
        pane.resize(640, 420)
        pane.show()
        with qtbot.waitSignal(pane.rendered, timeout=WAIT):
            pass
        return pane

    yield make
    for pane in panes:
        pane.shutdown()
        dispose(qtbot, pane)


def evaluate(qtbot, pane: PreviewPane, script: str) -> Any:
    """The value of a script run in the application world of the live page."""
    box: list[Any] = []
    pane.run_in_page(script, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=WAIT)
    return box[0]


def live_html(qtbot, pane: PreviewPane) -> str:
    """The page's HTML as the engine holds it now."""
    box: list[str] = []
    pane.page_html(box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=WAIT)
    return box[0]


def edit(qtbot, pane: PreviewPane, change: Callable[[], None]) -> None:
    """Make a change and wait until the preview shows it."""
    with qtbot.waitSignal(pane.rendered, timeout=WAIT):
        change()


def type_text(document: ArticleDocument, text: str) -> None:
    cursor = QTextCursor(document.text_document)
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.insertText(text)


def png_bytes(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(out, "PNG")
    return out.getvalue()


def test_typed_text_appears_in_the_live_page(qtbot, make_pane):
    pane = make_pane(Article(body="First paragraph.\n"))
    assert "First paragraph." in live_html(qtbot, pane)
    edit(qtbot, pane, lambda: type_text(pane.document, "\nThe minister *arrived* late.\n"))
    html = live_html(qtbot, pane)
    assert "<em>arrived</em>" in html
    assert "<em>arrived</em>" in pane.last_html


def test_edits_update_the_page_in_place_and_keep_the_reading_position(qtbot, make_pane):
    body = "".join(f"Paragraph number {n} of a long story.\n\n" for n in range(80))
    pane = make_pane(Article(body=body))
    loads: list[bool] = []
    pane.page.loadStarted.connect(lambda: loads.append(True))
    evaluate(qtbot, pane, "window.scrollTo(0, 900); window.scrollY")
    qtbot.waitUntil(lambda: evaluate(qtbot, pane, "window.scrollY") == 900, timeout=WAIT)
    edit(qtbot, pane, lambda: type_text(pane.document, "A closing line."))
    assert "A closing line." in live_html(qtbot, pane)
    assert evaluate(qtbot, pane, "window.scrollY") == 900
    assert loads == []


def test_header_follows_metadata_changes(qtbot, make_pane):
    pane = make_pane(Article(body="Text.", metadata=Metadata(title="Old headline")))
    assert "Old headline" in live_html(qtbot, pane)
    edit(qtbot, pane, lambda: pane.document.set_metadata("title", "Harvest falls short"))
    edit(qtbot, pane, lambda: pane.document.set_metadata("subtitle", "Farmers blame the dry spring"))
    html = live_html(qtbot, pane)
    assert "Harvest falls short" in html
    assert "Farmers blame the dry spring" in html
    assert "Old headline" not in html


def test_an_image_with_caption_and_credit_is_a_figure_served_from_the_bundle(qtbot, make_pane):
    pane = make_pane(Article(body="Before the photo.\n"))
    asset = ImageAsset.from_bytes("harbour at dawn.png", png_bytes(12, 7), alt="Boats in the harbour",
                                  caption="Fishing boats return at dawn", credit="photo by Ana Ruiz")

    def add_image() -> None:
        pane.document.add_asset(asset)
        type_text(pane.document, "\n![Boats in the harbour](assets/harbour%20at%20dawn.png)\n")

    edit(qtbot, pane, add_image)
    html = live_html(qtbot, pane)
    assert "<figure" in html and "<figcaption" in html
    assert "Fishing boats return at dawn" in html and "photo by Ana Ruiz" in html
    qtbot.waitUntil(lambda: evaluate(qtbot, pane, "document.querySelector('figure img').naturalWidth") == 12,
                    timeout=WAIT)
    assert "harbour at dawn.png" in pane.scheme_handler.served


def test_a_replaced_image_is_fetched_again(qtbot, make_pane):
    first = ImageAsset.from_bytes("chart.png", png_bytes(5, 5))
    pane = make_pane(Article(body="![Chart](assets/chart.png)\n", assets=[first]))
    qtbot.waitUntil(lambda: evaluate(qtbot, pane, "document.querySelector('img').naturalWidth") == 5, timeout=WAIT)
    edit(qtbot, pane, lambda: pane.document.replace_asset("chart.png", ImageAsset.from_bytes("chart.png",
                                                                                              png_bytes(9, 4))))
    qtbot.waitUntil(lambda: evaluate(qtbot, pane, "document.querySelector('img').naturalWidth") == 9, timeout=WAIT)


def test_scripts_in_the_text_change_nothing(qtbot, make_pane):
    hostile = (
        "Safe words.\n\n"
        "<script>document.body.setAttribute('data-hit', 'script');</script>\n\n"
        '<img src="assets/none.png" onerror="document.body.setAttribute(\'data-hit\', \'onerror\')">\n\n'
        "[click](javascript:document.body.setAttribute('data-hit','link'))\n\n"
        '<svg onload="document.body.setAttribute(\'data-hit\', \'svg\')"></svg>\n'
    )
    pane = make_pane(Article(body=hostile))
    html = live_html(qtbot, pane)
    assert "Safe words." in html
    assert "<script" not in pane.last_html.lower().split("</head>", 1)[-1]
    assert evaluate(qtbot, pane, "document.body.hasAttribute('data-hit')") is False
    assert "onerror" not in html and "javascript:" not in html


def test_page_scripts_are_off_while_the_application_world_still_runs(qtbot, make_pane):
    pane = make_pane()
    raw = ('<html><body><p id="x">before</p>'
           '<script>document.getElementById("x").textContent = "ran";</script></body></html>')
    with qtbot.waitSignal(pane.page.loadFinished, timeout=WAIT):
        pane.page.setHtml(raw, QUrl(BASE_URL))
    assert evaluate(qtbot, pane, "document.getElementById('x').textContent") == "before"
    evaluate(qtbot, pane, "document.getElementById('x').textContent = 'updated'; true")
    assert ">updated</p>" in live_html(qtbot, pane)


class CountingServer:
    """A web server on this machine that counts every request it gets."""

    def __init__(self) -> None:
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                self.wfile.write(png_bytes(1, 1))

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def server():
    running = CountingServer()
    yield running
    running.close()


def remote_references(url: str) -> str:
    return (
        f"![remote]({url}/markdown.png)\n\n"
        f'<img src="{url}/raw.png">\n\n'
        f'<p style="background-image: url({url}/style.png)">styled</p>\n\n'
        f'<link rel="stylesheet" href="{url}/sheet.css">\n\n'
        f'<link rel="prefetch" href="{url}/prefetch">\n\n'
        f'<iframe src="{url}/frame"></iframe>\n\n'
        f'<video poster="{url}/poster.png" src="{url}/clip.mp4"></video>\n\n'
        f'<object data="{url}/object"></object>\n\n'
        f'<meta http-equiv="refresh" content="0; url={url}/refresh">\n\n'
        f"[a link]({url}/page)\n\n"
        "![local](assets/dot.png)\n"
    )


def test_no_request_leaves_the_machine_from_the_article(qtbot, make_pane, server):
    dot = ImageAsset.from_bytes("dot.png", png_bytes(3, 3))
    pane = make_pane(Article(body="Start.\n"))
    # A fresh load waits for every image request to end, so afterwards nothing is still on its way.
    pane.set_document(ArticleDocument(Article(body=remote_references(server.url), assets=[dot])))
    with qtbot.waitSignal(pane.rendered, timeout=WAIT):
        pass
    qtbot.waitUntil(lambda: evaluate(qtbot, pane, "document.querySelector('img[src^=\"bundle:\"]').naturalWidth") == 3,
                    timeout=WAIT)
    assert server.hits == []


def test_the_interceptor_blocks_what_the_sanitiser_would_have_removed(qtbot, make_pane, server):
    pane = make_pane()
    raw = (
        f'<html><head><link rel="stylesheet" href="{server.url}/sheet.css"></head><body>'
        f'<img src="{server.url}/raw.png"><div style="background: url({server.url}/style.png)">x</div>'
        f'<img src="data:image/png;base64,iVBORw0KGgo="></body></html>'
    )
    with qtbot.waitSignal(pane.page.loadFinished, timeout=WAIT):
        pane.page.setHtml(raw, QUrl(BASE_URL))
    qtbot.waitUntil(lambda: any("/raw.png" in url for url in pane.interceptor.blocked), timeout=WAIT)
    assert any("/sheet.css" in url for url in pane.interceptor.blocked)
    assert server.hits == []


def test_only_bundle_assets_are_served(qtbot, make_pane):
    pane = make_pane()
    raw = (
        f'<html><body><img src="{BASE_URL}assets/missing.png"><img src="{BASE_URL}assets/..%2Finfo.json">'
        f'<img src="{BASE_URL}text.md"><img src="bundle://elsewhere/assets/x.png"></body></html>'
    )
    with qtbot.waitSignal(pane.page.loadFinished, timeout=WAIT):
        pane.page.setHtml(raw, QUrl(BASE_URL))
    qtbot.waitUntil(lambda: len(pane.scheme_handler.refused) == 4, timeout=WAIT)
    assert pane.scheme_handler.served == []


def test_a_render_failure_shows_a_banner_and_keeps_the_last_good_preview(qtbot, make_pane, renderer):
    pane = make_pane(Article(body="Good text.\n"))
    renderer.failure = "The text is nested too deeply to preview; flatten the deepest lists or quotes."
    with qtbot.waitSignal(pane.render_failed, timeout=WAIT) as failed:
        type_text(pane.document, "More.")
    assert failed.args == [renderer.failure]
    assert pane.banner_text == renderer.failure
    assert "Good text." in live_html(qtbot, pane)
    renderer.failure = None
    edit(qtbot, pane, lambda: type_text(pane.document, " Fixed."))
    assert pane.banner_text == ""
    assert "More. Fixed." in live_html(qtbot, pane)


def test_a_hanging_renderer_does_not_hold_up_editing(qtbot, make_pane, renderer):
    pane = make_pane(Article(body="Start.\n"))
    gate = threading.Event()
    original = renderer.render_document

    def stuck(article: Article, **kwargs: Any) -> str:
        gate.wait(30)
        return original(article, **kwargs)

    renderer.render_document = stuck
    try:
        pane.refresh()
        for word in ("one ", "two ", "three"):
            type_text(pane.document, word)
            qtbot.waitUntil(lambda w=word: pane.document.text_document.toPlainText().endswith(w), timeout=WAIT)
        with qtbot.waitSignal(pane.rendered, timeout=WAIT):
            gate.set()
    finally:
        gate.set()
    qtbot.waitUntil(lambda: "one two three" in live_html(qtbot, pane), timeout=WAIT)


def test_set_document_shows_the_new_article_and_forgets_the_old(qtbot, make_pane, renderer):
    pane = make_pane(Article(body="Old article.\n"))
    old = pane.document
    edit(qtbot, pane, lambda: pane.set_document(ArticleDocument(Article(body="New article.\n"))))
    html = live_html(qtbot, pane)
    assert "New article." in html and "Old article." not in html
    calls = renderer.calls
    type_text(old, "ignored")
    edit(qtbot, pane, lambda: type_text(pane.document, "Still new."))
    assert renderer.calls == calls + 1
    assert "ignored" not in live_html(qtbot, pane)


def test_scroll_to_line_scrolls_the_preview_without_taking_focus(qtbot, renderer):
    lines = [f"Paragraph {n} with enough words to take some room on the page." for n in range(60)]
    document = ArticleDocument(Article(body="\n\n".join(lines)))
    window = QWidget()
    editor = QPlainTextEdit(window)
    pane = PreviewPane(document, renderer=renderer, parent=window)
    layout = QVBoxLayout(window)
    layout.addWidget(editor)
    layout.addWidget(pane)
    window.resize(640, 600)
    window.show()
    try:
        with qtbot.waitSignal(pane.rendered, timeout=WAIT):
            pass
        window.activateWindow()
        editor.setFocus()
        qtbot.waitUntil(editor.hasFocus, timeout=WAIT)
        pane.scroll_to_line(50 * 2 + 1)  # paragraph 50
        qtbot.waitUntil(lambda: evaluate(qtbot, pane, "window.scrollY") > 0, timeout=WAIT)
        visible = ("(() => { const p = [...document.querySelectorAll('p')].find(e => e.textContent.startsWith("
                   "'Paragraph 50 ')); const r = p.getBoundingClientRect(); "
                   "return r.top >= 0 && r.bottom <= window.innerHeight; })()")
        qtbot.waitUntil(lambda: evaluate(qtbot, pane, visible) is True, timeout=WAIT)
        assert editor.hasFocus()
        assert QApplication.focusWidget() is editor
    finally:
        pane.shutdown()
        dispose(qtbot, window)


def test_the_source_split_matches_the_rendered_blocks(qtbot, make_pane):
    body = (
        "# Talks in Moscow\n"
        "The minister arrived on Tuesday.[^1]\n\n"
        "- trade\n- security\n\n- energy\n\n"
        "    continued item text\n\n"
        "> A quotation\n\n> that goes on\n\n"
        "```\ncode\n\nmore code\n```\n"
        "Setext title\n------------\n\n"
        "![Harbour](assets/dot.png)\n\n"
        "[ref]: https://example.org\n\n"
        "[^1]: A footnote.\n\n"
        "1. first\n2. second\n\n"
        "***\n\n"
        "Last paragraph.\n"
    )
    dot = ImageAsset.from_bytes("dot.png", png_bytes(2, 2), caption="A dot")
    pane = make_pane(Article(body=body, assets=[dot]))
    rendered = evaluate(qtbot, pane, "window.articlePreview.bodyBlocks().length")
    assert rendered == len(block_starts(body))


def test_a_long_article_comes_through_the_scheme_instead_of_set_html(qtbot, make_pane, monkeypatch):
    monkeypatch.setattr(preview, "SET_HTML_LIMIT", 100)
    pane = make_pane(Article(body="A long article, as far as this test is concerned.\n"))
    assert pane.scheme_handler.page_html is not None
    assert "as far as this test is concerned" in live_html(qtbot, pane)
    edit(qtbot, pane, lambda: type_text(pane.document, "\nAnd it still follows edits."))
    assert "And it still follows edits." in live_html(qtbot, pane)


def test_undo_keys_in_the_preview_undo_the_article(qtbot, make_pane):
    pane = make_pane(Article(body="Kept."))
    edit(qtbot, pane, lambda: type_text(pane.document, " Undone."))
    proxy = pane.view.focusProxy()
    assert proxy is not None
    edit(qtbot, pane, lambda: QTest.keyClick(proxy, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier))
    assert pane.document.text_document.toPlainText() == "Kept."
    assert "Undone." not in live_html(qtbot, pane)


def test_a_crashed_page_is_shown_again(qtbot, make_pane):
    pane = make_pane(Article(body="Survives a crash."))
    status = QWebEnginePage.RenderProcessTerminationStatus.CrashedTerminationStatus
    with qtbot.waitSignal(pane.rendered, timeout=WAIT):
        pane.page.renderProcessTerminated.emit(status, 1)
    assert "Survives a crash." in live_html(qtbot, pane)


def test_when_the_in_place_update_fails_the_page_reloads_at_the_same_place(qtbot, make_pane):
    body = "".join(f"Paragraph number {n} of a long story.\n\n" for n in range(80))
    pane = make_pane(Article(body=body))
    reached = evaluate(qtbot, pane, "window.scrollTo(0, 700); window.articlePreview.update = () => 'reload';"
                                    " window.articlePreview.patch = () => 'reload'; window.scrollY")
    assert reached > 300  # the reader is well down the page
    loads: list[bool] = []
    pane.page.loadStarted.connect(lambda: loads.append(True))
    edit(qtbot, pane, lambda: type_text(pane.document, "Reloaded ending."))
    assert loads == [True]
    assert "Reloaded ending." in live_html(qtbot, pane)
    qtbot.waitUntil(lambda: abs(evaluate(qtbot, pane, "window.scrollY") - reached) <= 1, timeout=WAIT)


def replace_text(document: ArticleDocument, old: str, new: str) -> None:
    text = document.text_document.toPlainText()
    start = text.index(old)
    cursor = QTextCursor(document.text_document)
    cursor.setPosition(start)
    cursor.setPosition(start + len(old), QTextCursor.MoveMode.KeepAnchor)
    cursor.insertText(new)


def test_in_place_updates_leave_the_same_page_a_fresh_load_would(qtbot, make_pane):
    pane = make_pane(Article(body="# Title\n\nOne.\n\n- a\n- b\n\n> quote\n\nTwo.\n", metadata=Metadata(title="T")))
    same = ("(() => { const fresh = new DOMParser().parseFromString(LAST, 'text/html');"
            " const parts = (d) => [...d.querySelectorAll('#article-body > *, #article-header')].map(e => e.outerHTML);"
            " return JSON.stringify(parts(fresh)) === JSON.stringify(parts(document))"
            " && fresh.documentElement.lang === document.documentElement.lang"
            " && fresh.title === document.title; })()")
    edits = [
        lambda doc: replace_text(doc, "# Title", "New first paragraph.\n\n# Title"),
        lambda doc: replace_text(doc, "- a\n- b", "1. x\n2. y\n3. z"),
        lambda doc: replace_text(doc, "> quote\n\n", ""),
        lambda doc: replace_text(doc, "Two.", "```\ncode <b>here</b>\n```\n\nTwo *changed*."),
        lambda doc: doc.set_metadata("title", "Another headline"),
        lambda doc: doc.set_metadata("authors", ["Ana Ruiz", "Li Wei"]),
        lambda doc: doc.set_metadata("language", "fr"),
        lambda doc: replace_text(doc, doc.text_document.toPlainText(), ""),
    ]
    for change in edits:
        edit(qtbot, pane, lambda change=change: change(pane.document))
        assert evaluate(qtbot, pane, same.replace("LAST", json.dumps(pane.last_html))) is True


def test_a_page_load_that_never_ends_is_given_up_and_retried(qtbot, make_pane, monkeypatch):
    pane = make_pane(Article(body="Shown."))
    monkeypatch.setattr(preview, "LOAD_TIMEOUT_MS", 50)
    monkeypatch.setattr(pane.page, "setHtml", lambda html, base: None)  # the engine swallows the load
    with qtbot.waitSignal(pane.render_failed, timeout=WAIT):
        pane.set_document(ArticleDocument(Article(body="Other.")))  # a new article is loaded afresh
    assert "too long" in pane.banner_text
    monkeypatch.undo()
    edit(qtbot, pane, lambda: type_text(pane.document, " Again."))
    assert pane.banner_text == ""
    assert "Other. Again." in live_html(qtbot, pane)


def test_an_edit_replaces_only_the_changed_block_and_keeps_the_rest_of_the_page(qtbot, make_pane):
    body = "".join(f"Paragraph number {n} of a long story.\n\n" for n in range(60))
    pane = make_pane(Article(body=body))
    mark = ("document.querySelectorAll('#article-body > p').forEach((p, i) => p.setAttribute('data-test', i));"
            " window.scrollTo(0, 600); true")
    evaluate(qtbot, pane, mark)
    qtbot.waitUntil(lambda: evaluate(qtbot, pane, "window.scrollY") == 600, timeout=WAIT)
    with qtbot.waitSignal(pane.updated, timeout=WAIT):
        replace_text(pane.document, "number 30 of", "number thirty of")
    unmarked = ("JSON.stringify([...document.querySelectorAll('#article-body > p')]"
                ".filter(p => !p.hasAttribute('data-test')).map(p => p.textContent))")
    assert json.loads(evaluate(qtbot, pane, unmarked)) == ["Paragraph number thirty of a long story."]
    assert evaluate(qtbot, pane, "document.querySelectorAll('#article-body > p').length") == 60
    assert evaluate(qtbot, pane, "window.scrollY") == 600


def test_scroll_to_line_finds_the_block_by_its_source_line(qtbot, make_pane):
    body = "".join(f"Paragraph {n} with enough words to fill a line or two of the page.\n\n" for n in range(80))
    pane = make_pane(Article(body=body))
    pane.scroll_to_line(70 * 2 + 1)
    visible = ("(() => { const p = [...document.querySelectorAll('p')].find(e => e.textContent.startsWith("
               "'Paragraph 70 ')); const r = p.getBoundingClientRect(); "
               "return r.top >= 0 && r.bottom <= window.innerHeight; })()")
    qtbot.waitUntil(lambda: evaluate(qtbot, pane, visible) is True, timeout=WAIT)


class WholePageRenderer:
    """A renderer that only makes whole pages (no render_blocks): the pane still updates in place."""

    def __init__(self, process: RenderProcess) -> None:
        self.process = process

    def render_document(self, article: Article, **kwargs: Any) -> str:
        return self.process.render_document(article, **kwargs)

    def close(self) -> None:
        pass


def test_a_renderer_without_blocks_still_updates_the_page_in_place(qtbot, process):
    pane = PreviewPane(ArticleDocument(Article(body="Start.\n")), renderer=WholePageRenderer(process))
    pane.resize(640, 420)
    pane.show()
    try:
        with qtbot.waitSignal(pane.updated, timeout=WAIT):
            pass
        loads: list[bool] = []
        pane.page.loadStarted.connect(lambda: loads.append(True))
        edit(qtbot, pane, lambda: type_text(pane.document, " More."))
        assert "More." in live_html(qtbot, pane)
        assert loads == []
    finally:
        pane.shutdown()
        dispose(qtbot, pane)


def test_a_change_of_highlighting_alone_renders_nothing(qtbot, make_pane):
    pane = make_pane(Article(body="Marked by the spell checker.\n"))
    asked = pane._worker.latest
    # Re-highlighting reports a change of the text document without changing any text.
    pane.document.text_document.contentsChanged.emit()
    qtbot.waitUntil(lambda: not pane._timer.isActive(), timeout=WAIT)
    assert pane._worker.latest == asked
    edit(qtbot, pane, lambda: type_text(pane.document, "\nA real edit.\n"))
    assert pane._worker.latest == asked + 1
    assert "A real edit." in live_html(qtbot, pane)


def test_a_preview_hidden_in_its_window_catches_up_when_shown(qtbot, renderer):
    window = QWidget()
    layout = QVBoxLayout(window)
    pane = PreviewPane(ArticleDocument(Article(body="Start.\n")), renderer=renderer)
    layout.addWidget(pane)
    window.resize(640, 420)
    with qtbot.waitSignal(pane.rendered, timeout=WAIT):
        window.show()
    try:
        pane.hide()  # a closed dock
        asked = pane._worker.latest
        type_text(pane.document, "\nTyped while hidden.\n")
        qtbot.waitUntil(lambda: not pane._timer.isActive(), timeout=WAIT)
        assert pane._worker.latest == asked  # nothing rendered for a pane nobody sees
        with qtbot.waitSignal(pane.rendered, timeout=WAIT):
            pane.show()
        assert "Typed while hidden." in live_html(qtbot, pane)
    finally:
        pane.shutdown()
        dispose(qtbot, window)


def test_only_a_long_article_lets_the_engine_skip_blocks_out_of_sight(qtbot, make_pane):
    script = "getComputedStyle(document.querySelector('#article-body > p')).contentVisibility"
    short = make_pane(Article(body="A short piece.\n"))
    assert evaluate(qtbot, short, script) == "visible"
    body = "".join(f"Paragraph {n} of a very long report with many words in it.\n\n" for n in range(800))
    assert len(body) > preview.LONG_PAGE_ON
    long = make_pane(Article(body=body))
    assert evaluate(qtbot, long, script) == "auto"
    # The opening paragraph keeps its drop cap.
    drop_cap = "getComputedStyle(document.querySelector('#article-body > p'), '::first-letter').cssFloat"
    assert evaluate(qtbot, long, drop_cap) == "left"
    edit(qtbot, long, lambda: type_text(long.document, "The closing line."))
    assert "The closing line." in live_html(qtbot, long)
    # Cut back below the lower bound: a short article again, laid out whole.
    cursor = QTextCursor(long.document.text_document)
    cursor.setPosition(0)
    cursor.setPosition(len(body) - 100, QTextCursor.MoveMode.KeepAnchor)
    edit(qtbot, long, lambda: cursor.insertText(""))
    qtbot.waitUntil(lambda: evaluate(qtbot, long, script) == "visible", timeout=WAIT)


def test_a_picture_far_below_is_fetched_only_when_the_reader_scrolls_near_it(qtbot, make_pane):
    # A long article's photos are not all fetched and decoded at once: memory stays with what is near the view.
    filler = "\n\n".join(f"Paragraph {n} of a long stretch of text between the two photos." for n in range(400))
    top = ImageAsset.from_bytes("top.png", png_bytes(8, 8))
    bottom = ImageAsset.from_bytes("bottom.png", png_bytes(9, 9))
    body = f"![Top](assets/top.png)\n\n{filler}\n\n![Bottom](assets/bottom.png)\n"
    pane = make_pane(Article(body=body, assets=[top, bottom]))
    qtbot.waitUntil(lambda: "top.png" in pane.scheme_handler.served, timeout=WAIT)
    assert "bottom.png" not in pane.scheme_handler.served
    pane.run_in_page("window.scrollTo(0, document.body.scrollHeight)")
    qtbot.waitUntil(lambda: "bottom.png" in pane.scheme_handler.served, timeout=WAIT)
    qtbot.waitUntil(lambda: evaluate(qtbot, pane, "document.images[document.images.length - 1].naturalWidth") == 9,
                    timeout=WAIT)


def test_a_picture_already_shown_keeps_its_address_when_its_block_comes_again(qtbot, make_pane):
    # A new copy of a block (an edit near a photo) must not blank a photo the reader is looking at.
    pane = make_pane(Article(body="![Top](assets/top.png)\n\nText.\n",
                             assets=[ImageAsset.from_bytes("top.png", png_bytes(8, 8))]))
    qtbot.waitUntil(lambda: evaluate(qtbot, pane, "document.images[0].naturalWidth") == 8, timeout=WAIT)
    again = evaluate(qtbot, pane, """(function () {
        const page = document.documentElement.outerHTML.split(' src="').join(' data-preview-src="');
        window.articlePreview.update(page);
        const image = document.images[0];
        return image.hasAttribute("src") + " " + image.hasAttribute("data-preview-src");
    })()""")  # as text: arrays come back empty from this world
    assert again == "true false"
