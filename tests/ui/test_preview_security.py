"""The real preview (Qt WebEngine) is offline and runs no script: a local web server counts zero requests, and
payloads that would change the page if they ran change nothing.

Each attack is tried twice: as an article (through the renderer and its sanitiser) and as a raw page loaded
straight into the preview's web page, so the engine settings and the request interceptor are proven on their own.
"""

from __future__ import annotations

import http.server
import io
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QWidget

from editor.core.model import Article, ImageAsset, Metadata
from editor.core.render_process import RenderProcess
from editor.ui import preview_page
from editor.ui.document import ArticleDocument
from editor.ui.preview import PreviewPane
from editor.ui.url_scheme import BASE_URL

WAIT = 20_000
MARK = "PWNED"


def _png(size: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), (20, 120, 20)).save(out, "PNG")
    return out.getvalue()


class Listener:
    """A web server on 127.0.0.1 that counts every connection and every request, whatever the method."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.connections = 0
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                listener.requests.append(f"{self.command} {self.path}")
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(b"<script>document.title='" + MARK.encode() + b"'</script>")

            do_GET = do_POST = do_HEAD = do_OPTIONS = _answer  # noqa: N815 - the names http.server calls

            def log_message(self, *args: Any) -> None:
                pass

        class Server(http.server.ThreadingHTTPServer):
            def verify_request(self, request: Any, client_address: Any) -> bool:
                listener.connections += 1  # a preconnect opens a socket without sending a request
                return True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    running = Listener()
    yield running
    running.close()


@pytest.fixture(scope="module")
def renderer() -> Iterator[RenderProcess]:
    with RenderProcess(timeout=60) as process:
        yield process


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Links the page would hand to the system browser (none are opened for real)."""
    handed: list[str] = []
    monkeypatch.setattr(preview_page, "open_external_url", lambda url: handed.append(url.toString()) or True)
    return handed


@pytest.fixture
def pane(qtbot, renderer: RenderProcess) -> Iterator[PreviewPane]:
    widget = PreviewPane(ArticleDocument(Article(body="Start.\n")), renderer=renderer)
    widget.resize(700, 500)
    widget.show()
    with qtbot.waitSignal(widget.rendered, timeout=WAIT):
        pass
    yield widget
    widget.shutdown()
    _dispose(qtbot, widget)


def _dispose(qtbot, widget: QWidget) -> None:
    gone: list[bool] = []
    widget.destroyed.connect(lambda: gone.append(True))
    widget.deleteLater()
    qtbot.waitUntil(lambda: bool(gone), timeout=WAIT)


def evaluate(qtbot, pane: PreviewPane, script: str) -> Any:
    """A value computed by the application's own isolated world in the live page."""
    box: list[Any] = []
    pane.run_in_page(script, lambda value: box.append(value))
    qtbot.waitUntil(lambda: bool(box), timeout=WAIT)
    return box[0]


def remote_references(url: str) -> str:
    """Every way a page can ask for something from elsewhere."""
    return "\n\n".join([
        f"![md image]({url}/md.png)",
        f"![ref image][r]\n\n[r]: {url}/ref.png",
        f'<img src="{url}/img.png">',
        f'<img srcset="{url}/srcset-1x.png 1x, {url}/srcset-2x.png 2x" src="assets/dot.png">',
        f'<picture><source srcset="{url}/source.webp" type="image/webp"><img src="{url}/picture.png"></picture>',
        f'<div style="background: url({url}/style-bg.png)">styled</div>',
        f'<table background="{url}/table-bg.png"><tr><td background="{url}/td-bg.png">cell</td></tr></table>',
        f"<style>@import url({url}/import.css); body {{ background: url({url}/css-bg.png) }}"
        f" @font-face {{ font-family: x; src: url({url}/font.woff) }}</style>",
        f'<link rel="stylesheet" href="{url}/link.css">',
        f'<link rel="icon" href="{url}/favicon.ico"><link rel="preconnect" href="{url}/">'
        f'<link rel="prefetch" href="{url}/prefetch"><link rel="preload" as="image" href="{url}/preload.png">',
        f'<iframe src="{url}/iframe"></iframe><iframe srcdoc="<img src={url}/srcdoc.png>"></iframe>',
        f'<script src="{url}/script.js"></script>',
        f'<object data="{url}/object"></object><embed src="{url}/embed">',
        f'<video poster="{url}/poster.png" src="{url}/video.mp4"><track src="{url}/track.vtt"></video>'
        f'<audio src="{url}/audio.mp3" autoplay></audio>',
        f'<svg><image href="{url}/svg-image.png"/></svg>',
        f'<input type="image" src="{url}/input.png">',
        f'<a href="{url}/ping-target" ping="{url}/ping">a link with a ping</a>',
        f'<meta http-equiv="refresh" content="0; url={url}/refresh">',
        f'<base href="{url}/base/"><img src="relative.png">',
        f'<form action="{url}/form" method="post"><input name="q" value="x"><button>go</button></form>',
        f"[a plain link]({url}/link)",
        "![local](assets/dot.png)",
        "End of the article.",
    ])


def _wait_for_local_image(qtbot, pane: PreviewPane) -> None:
    # A fresh load waits for the page's requests; the bundle image having loaded shows the page got that far.
    script = "Array.from(document.images).some(i => i.src.startsWith('bundle:') && i.naturalWidth === 3)"
    qtbot.waitUntil(lambda: evaluate(qtbot, pane, script) is True, timeout=WAIT)


def test_an_article_full_of_remote_references_makes_no_request(qtbot, pane, listener, opened):
    dot = ImageAsset.from_bytes("dot.png", _png(3))
    with qtbot.waitSignal(pane.rendered, timeout=WAIT):
        pane.set_document(ArticleDocument(Article(body=remote_references(listener.url), assets=[dot],
                                                  metadata=Metadata(title="Safe title"))))
    _wait_for_local_image(qtbot, pane)
    assert evaluate(qtbot, pane, "document.body.innerText.includes('End of the article.')") is True
    assert listener.requests == [] and listener.connections == 0
    assert opened == []


def test_a_raw_page_full_of_remote_references_makes_no_request_either(qtbot, pane, listener, opened):
    # No sanitiser here: the engine's settings and the interceptor alone keep the page offline.
    dot = ImageAsset.from_bytes("dot.png", _png(3))
    pane.set_document(ArticleDocument(Article(body="Local.", assets=[dot])))
    with qtbot.waitSignal(pane.rendered, timeout=WAIT):
        pass
    raw = (f"<html><head><title>Raw</title></head><body><img src='{BASE_URL}assets/dot.png'>"
           f"{remote_references(listener.url)}</body></html>")
    with qtbot.waitSignal(pane.page.loadFinished, timeout=WAIT):
        pane.page.setHtml(raw, QUrl(BASE_URL))
    _wait_for_local_image(qtbot, pane)
    qtbot.waitUntil(lambda: any("/img.png" in url for url in pane.interceptor.blocked), timeout=WAIT)
    # Not one request. (Chromium still opens a bare socket for <link rel=preconnect>, past the interceptor and
    # the content policy; only the sanitiser, proven above, keeps that element out of the preview.)
    assert listener.requests == []
    assert opened == []
    assert pane.page.url().toString() == BASE_URL  # neither the refresh nor the base moved the page


SCRIPT_PAYLOADS = "\n\n".join([
    f"<script>document.title='{MARK}'; document.body.setAttribute('data-pwned', 'script')</script>",
    f"<img src=\"assets/missing.png\" onerror=\"document.title='{MARK}'\">",
    "<img src=x onerror=\"document.body.setAttribute('data-pwned','onerror')\">",
    f"<svg onload=\"document.title='{MARK}'\"><script>document.title='{MARK}'</script></svg>",
    f"<details open ontoggle=\"document.title='{MARK}'\"><summary>s</summary>d</details>",
    f"<iframe srcdoc=\"<script>parent.document.title='{MARK}'</script>\"></iframe>",
    f"<object data=\"javascript:parent.document.title='{MARK}'\"></object>",
    f"<meta http-equiv=\"refresh\" content=\"0;url=javascript:document.title='{MARK}'\">",
    f"<input autofocus onfocus=\"document.title='{MARK}'\"><marquee onstart=\"document.title='{MARK}'\">m</marquee>",
    f"<a id=\"js-link\" href=\"javascript:document.title='{MARK}'\">js link</a>",
    f"[md js link](javascript:document.title='{MARK}')",
    f"<a id=\"data-link\" href=\"data:text/html,<script>document.title='{MARK}'</script>\">data link</a>",
    f"<style>body {{ background: url(\"javascript:document.title='{MARK}'\") }}</style>",
    "After the payloads.",
])


def _assert_untouched(qtbot, pane: PreviewPane, title: str) -> None:
    assert pane.page.title() == title
    assert evaluate(qtbot, pane, "document.title") == title
    assert evaluate(qtbot, pane, "document.body.hasAttribute('data-pwned')") is False
    assert evaluate(qtbot, pane, "document.body.innerText.includes('After the payloads.')") is True


def test_script_payloads_in_an_article_do_not_run(qtbot, pane, opened):
    article = Article(body=SCRIPT_PAYLOADS, metadata=Metadata(
        title="Safe title", summary=f"\"><script>document.title='{MARK}'</script>",
        authors=[f"</title><script>document.title='{MARK}'</script>"]))
    with qtbot.waitSignal(pane.rendered, timeout=WAIT):
        pane.set_document(ArticleDocument(article))
    _assert_untouched(qtbot, pane, "Safe title")
    # Even clicked, a link that would run script does nothing (the application world clicks like a reader).
    evaluate(qtbot, pane, "for (const a of document.querySelectorAll('a')) a.click(); true")
    evaluate(qtbot, pane, "true")
    _assert_untouched(qtbot, pane, "Safe title")
    assert all(not url.lower().startswith(("javascript:", "data:")) for url in opened)


def test_script_payloads_in_a_raw_page_do_not_run(qtbot, pane, opened):
    raw = f"<html><head><title>Raw page</title></head><body onload=\"document.title='{MARK}'\">{SCRIPT_PAYLOADS}"
    raw += "</body></html>"
    with qtbot.waitSignal(pane.page.loadFinished, timeout=WAIT):
        pane.page.setHtml(raw, QUrl(BASE_URL))
    _assert_untouched(qtbot, pane, "Raw page")
    evaluate(qtbot, pane, "for (const a of document.querySelectorAll('a')) a.click(); true")
    evaluate(qtbot, pane, "true")
    _assert_untouched(qtbot, pane, "Raw page")
    assert pane.page.url().toString() == BASE_URL
    assert all(not url.lower().startswith(("javascript:", "data:")) for url in opened)
