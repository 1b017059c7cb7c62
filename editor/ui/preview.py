"""The live preview: the article as it will be published, rendered off the UI thread and shown offline."""

from __future__ import annotations

import bisect
import contextlib
import json
import uuid
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import quote

from PySide6.QtCore import QCoreApplication, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QShowEvent, QTextDocument
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineScript
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from editor.core.model import Article, ImageAsset
from editor.core.render_process import light_article
from editor.resource_files import resource_text
from editor.ui.document import ArticleDocument
from editor.ui.preview_html import LONG_PAGE_OFF, LONG_PAGE_ON, head_of, page_extras, patched_page
from editor.ui.preview_page import PreviewPage, PreviewView, make_profile
from editor.ui.render_worker import RenderWorker
from editor.ui.scroll_map import block_for_line, block_starts
from editor.ui.undo_keys import UndoKeyFilter
from editor.ui.url_scheme import ASSET_PREFIX, BASE_URL, AssetSchemeHandler, OfflineInterceptor, register_url_schemes

__all__ = ["PreviewPane", "register_url_schemes"]

DEBOUNCE_MS = 0  # renders of snapshots typed meanwhile collapse into one, so no wait is needed
LOAD_TIMEOUT_MS = 15_000  # a page load that never ends must not freeze the preview for good
SET_HTML_LIMIT = 1_500_000  # bytes; Chromium refuses data: URLs over 2 MB once percent-encoded
APPLICATION_WORLD = QWebEngineScript.ScriptWorldId.ApplicationWorld
LAZY_SOURCE = "data-preview-src"  # a picture's address until it comes near the view

# The reader's place, asked of the page as text: arrays do not come back from the page's world intact.
SCROLL_POSITION = "window.scrollX + ',' + window.scrollY"


def _scroll_place(answer: Any) -> tuple[float, float] | None:
    """The (x, y) in the page's answer to SCROLL_POSITION, or None when it gave none."""
    parts = answer.split(",") if isinstance(answer, str) else []
    try:
        return (float(parts[0]), float(parts[1])) if len(parts) == 2 else None
    except ValueError:
        return None


def tr(text: str) -> str:
    """Translate a user-visible string of this module."""
    return QCoreApplication.translate("PreviewPane", text)


class Renderer(Protocol):
    """What the pane needs from a renderer (RenderProcess has this shape).

    A renderer may also offer `render_blocks(article, session=..., full=..., **kwargs)` returning
    editor.core.render_blocks.BlockSession replies; the pane then patches only changed blocks.
    """

    def render_document(self, article: Article, **kwargs: Any) -> str:
        """A full HTML page for the article."""

    def close(self) -> None:
        """Release what the renderer holds."""


class PreviewPane(QWidget):
    """Shows the open article as the reader will see it; follows every edit without slowing typing.

    With a renderer that has `render_blocks` (RenderProcess does), only the blocks an edit changed travel
    back from the render process and only their elements are replaced in the page (no reload); the page
    is loaded whole for the first render, another article, or a changed stylesheet.

    Signals: `updated` (and `rendered`, its older name) fire once the page shows the newest render,
    after the page's script confirmed the patch or the load finished; `render_failed(sentence)` when a
    render fails, hangs or the page cannot be shown.
    """

    rendered = Signal()  # the page shows the newest render
    updated = Signal()  # the same moment as `rendered`: the DOM now holds the latest text
    render_failed = Signal(str)  # one sentence; the last good preview stays

    def __init__(self, document: ArticleDocument, *, renderer: Renderer | None = None,
                 stylesheet: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A renderer passed in belongs to the caller, who may share it; one made here is closed here.
        self._owns_renderer = renderer is None
        if renderer is None:
            from editor.core.render_process import RenderProcess
            from editor.ui.app import engine_only_environment

            renderer = RenderProcess(child_env_drop=engine_only_environment())
        self.renderer = renderer
        self.document = document
        self._page_html = ""
        self._patched: dict[str, Any] | None = None  # the newest block reply patched into the loaded page
        self._stylesheet = stylesheet  # None: the renderer's own article stylesheet
        self._script = resource_text("preview", "preview.js")

        self.banner = QLabel(self)
        self.banner.setObjectName("previewBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setStyleSheet("QLabel#previewBanner { background: #fff1c2; color: #3d2e00; padding: 6px; }")
        self.banner.hide()

        # The view must be created before the profile so that, as children are deleted in order of
        # creation, the page goes before its profile.
        self.view = PreviewView(self)
        self.view.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        # Ctrl+Z with the preview focused still undoes the last edit of the article.
        self._undo_keys = UndoKeyFilter(lambda: self.document.undo_stack, self)
        self.profile = make_profile(self)
        self.scheme_handler = AssetSchemeHandler(self._find_asset, self.profile)
        self.interceptor = OfflineInterceptor(self.profile)
        self.page = PreviewPage(self.profile, self.scheme_handler, self.interceptor, self.view)
        self.view.setPage(self.page)
        self.page.loadFinished.connect(self._on_load_finished)
        self.page.renderProcessTerminated.connect(self._on_page_crashed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.view, 1)

        self._worker = RenderWorker(self._render)
        self._worker.finished.connect(self._on_rendered)
        self._worker.failed.connect(self._on_failed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._refresh_if_changed)
        self._submitted: Article | None = None  # what the renderer was last asked for (without image bytes)
        self._stale_while_hidden = False
        self._long_page = False
        self._load_watch = QTimer(self)
        self._load_watch.setSingleShot(True)
        self._load_watch.timeout.connect(self._on_load_stalled)

        self._head: str | None = None  # head of the page on show; None until a page is loaded
        self._loading = False
        self._waiting: str | None = None  # newest HTML that arrived while a page was loading
        self._waiting_reply: dict[str, Any] | None = None  # newest block reply that arrived meanwhile
        self._restore_scroll: tuple[float, float] | None = None
        self._loading_head = ""
        self._fresh = True  # the next render replaces the whole page (first one, or another article)
        self._crashes = 0
        self._blocks: tuple[QTextDocument, int, list[int]] | None = None
        self._update_serial = 0
        self._closed = False
        self._session = uuid.uuid4().hex
        self._need_full = True  # the next block render must send the whole page
        self._store: dict[str, str] = {}  # block id → HTML, for every block the page may need
        self._shown: list[str] = []  # block ids in the page, in order
        self._shown_lines: list[int] = []
        self._shown_reply: dict[str, Any] | None = None
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        self._connect(document)
        self.refresh()

    # --- public -------------------------------------------------------------------------------
    def set_document(self, document: ArticleDocument) -> None:
        """Show another article (File ▸ New or Open); its first render replaces the whole page."""
        if document is self.document:
            return
        with contextlib.suppress(RuntimeError):  # the old document may already be gone
            self.document.content_changed.disconnect(self.schedule_refresh)
        self.document = document
        self._connect(document)
        self._fresh = True
        self._need_full = True
        self.refresh()

    def schedule_refresh(self) -> None:
        """Render again once typing pauses (or once the pane is shown again, while its window hides it)."""
        if self._hidden_in_window():
            # A closed dock or focus mode: typing costs no rendering until the preview is seen again.
            self._stale_while_hidden = True
            return
        self._timer.start()

    def refresh(self) -> None:
        """Render the article now (in the background)."""
        self._submit(self.document.text_and_words())

    def _submit(self, article: Article) -> None:
        self._timer.stop()
        self._stale_while_hidden = False
        if not self._closed:
            self._submitted = light_article(article)
            length = len(article.body)
            if length > LONG_PAGE_ON or length < LONG_PAGE_OFF:
                self._long_page = length > LONG_PAGE_ON
            head, stylesheet = page_extras(self._long_page, self._stylesheet)
            self._worker.submit((article, self._need_full, head, stylesheet))

    def _refresh_if_changed(self) -> None:
        # Re-highlighting (spelling, comment marks) also reports a change of the text document; when nothing
        # the page shows has changed, there is nothing to render.
        article = self.document.text_and_words()
        if self._submitted is None or self._submitted != light_article(article):
            self._submit(article)

    def _hidden_in_window(self) -> bool:
        """Whether the pane sits in a shown window but is itself hidden (its dock closed, or focus mode)."""
        window = self.window()
        return window is not self and window.isVisible() and not self.isVisible()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale_while_hidden:
            self._stale_while_hidden = False
            self._timer.start()

    def scroll_to_line(self, line: int) -> None:
        """Bring the block rendered from this 1-based source line into view, leaving the focus where it is."""
        if self._shown:
            lines = [first if first > 0 else 1 << 30 for first in self._shown_lines]  # the note list comes last
            index = max(0, bisect.bisect_right(lines, line) - 1)
            self._run_script(f"window.articlePreview.scrollToId({json.dumps(self._shown[index])})")
            return
        text = self.document.text_document
        # The caret moves far more often than the text changes: split the text once per revision.
        if self._blocks is None or self._blocks[0] is not text or self._blocks[1] != text.revision():
            self._blocks = (text, text.revision(), block_starts(text.toPlainText()))
        index, count = block_for_line(self._blocks[2], line)
        self._run_script(f"window.articlePreview.scrollToBlock({index}, {count})")

    def page_html(self, callback: Callable[[str], None]) -> None:
        """Hand the live page's HTML, as the engine holds it now, to `callback`."""
        self.page.runJavaScript("document.documentElement.outerHTML", APPLICATION_WORLD,
                                lambda result: callback(result or ""))

    def run_in_page(self, script: str, callback: Callable[[Any], None] | None = None) -> None:
        """Run a script in the application's own world of the page (page scripts stay off)."""
        self._run_script(script, callback)

    @property
    def last_html(self) -> str:
        """The HTML of the page the preview shows now (built on demand after in-place patches)."""
        page, reply = self._page_html, self._patched
        if reply is None or not page:
            return page
        return patched_page(page, [self._store.get(key, "") for key in self._shown], reply)

    @last_html.setter
    def last_html(self, html: str) -> None:
        self._page_html = html
        self._patched = None

    @property
    def banner_text(self) -> str:
        """The message shown above the preview, or "" when none is shown."""
        return self.banner.text() if not self.banner.isHidden() else ""

    def shutdown(self) -> None:
        """Stop rendering and the render process; the pane shows what it last showed."""
        if self._closed:
            return
        self._closed = True
        self._timer.stop()
        self._worker.stop()
        if self._owns_renderer:
            self.renderer.close()

    # --- rendering ----------------------------------------------------------------------------
    def _connect(self, document: ArticleDocument) -> None:
        document.content_changed.connect(self.schedule_refresh)

    def _find_asset(self, name: str) -> ImageAsset | None:
        return self.document.asset(name)

    def _render(self, request: tuple[Article, bool, str, str | None]) -> Any:
        """Runs on the worker thread."""
        article, full, head, stylesheet = request
        render_blocks = getattr(self.renderer, "render_blocks", None)
        if render_blocks is not None:
            return render_blocks(article, session=self._session, full=full, asset_url_prefix=ASSET_PREFIX,
                                 stylesheet=stylesheet, extra_head=head)
        return self.renderer.render_document(
            article, asset_url_prefix=ASSET_PREFIX, stylesheet=stylesheet, extra_head=head
        )

    def _on_failed(self, request: int, message: str) -> None:
        if not self._worker.is_current(request) or self._closed:
            return
        self.banner.setText(message)
        self.banner.show()
        self.render_failed.emit(message)

    def _on_rendered(self, request: int, result: Any) -> None:
        if isinstance(result, dict):
            # Every reply's new blocks are kept, even a stale one's: the next reply may reuse them.
            if result["page"] is not None:
                self._store = {}
            self._store.update({key: self._versioned(html) for key, html in result["html"].items()})
        if not self._worker.is_current(request) or self._closed:
            return
        self.banner.hide()
        self.banner.clear()
        if not isinstance(result, dict):
            self._shown = []
            self._show(self._versioned(result))
            return
        self._store = {key: self._store[key] for key in result["order"] if key in self._store}
        if result["page"] is not None:
            self._need_full = False
            self._shown_reply = result
            self._show(self._versioned(result["page"]))
            self._shown, self._shown_lines = list(result["order"]), list(result["lines"])
            return
        if self._need_full:
            return  # a whole page has been asked for and is on its way
        if self._loading:
            self._waiting_reply = result
            return
        if self._head is None or head_of(result["head"]) != self._head or any(
                key not in self._store for key in result["order"]):
            self._need_full = True
            self.refresh()
            return
        self._patch(result)

    def _patch(self, result: dict[str, Any]) -> None:
        shown = set(self._shown)
        payload = {
            "order": result["order"],
            "html": {key: self._store[key] for key in result["order"] if key not in shown},
            "header": result["header"], "title": result["title"], "lang": result["lang"],
        }
        self._update_serial += 1
        serial = self._update_serial
        self._run_script(f"window.articlePreview.patch({json.dumps(payload)})",
                         lambda answer: self._on_patched(serial, result, answer))

    def _on_patched(self, serial: int, result: dict[str, Any], answer: Any) -> None:
        if serial != self._update_serial or self._closed:
            return
        if answer == "ok":
            self._shown, self._shown_lines = list(result["order"]), list(result["lines"])
            self._patched = result
            self._announce()
            return
        # The page was not as expected: load it whole, where the reader is now.
        self._need_full = True
        self._run_script(SCROLL_POSITION, self._reload_at)

    def _reload_at(self, position: Any) -> None:
        if self._closed:
            return
        place = _scroll_place(position)
        if not self._loading and place is not None:
            self._restore_scroll = place
        self.refresh()

    def _announce(self) -> None:
        self.rendered.emit()
        self.updated.emit()

    def _versioned(self, html: str) -> str:
        """Give each image URL its content hash, so a replaced image is fetched anew and others are not."""
        for asset in self.document.assets:
            if asset.sha256:
                url = ASSET_PREFIX + quote(asset.name)
                html = html.replace(f'"{url}"', f'"{url}?v={asset.sha256[:16]}"')
        # The page's script gives a picture its address when it comes near the view (see preview.js).
        return html.replace(f' src="{ASSET_PREFIX}', f' {LAZY_SOURCE}="{ASSET_PREFIX}')

    def _show(self, html: str) -> None:
        if self._loading:
            self._waiting = html
            return
        if self._fresh or self._head is None or head_of(html) != self._head:
            self._load(html)
            return
        self.last_html = html
        self._update_serial += 1
        serial = self._update_serial
        self._run_script(f"window.articlePreview.update({json.dumps(html)})",
                         lambda result: self._on_updated(serial, html, result))

    def _on_updated(self, serial: int, html: str, result: Any) -> None:
        if serial != self._update_serial or self._closed:
            return  # a newer update is on its way
        if result == "ok":
            self._announce()
            return
        # The page is loaded whole, where the reader is now (asked of the page: the view's own record lags).
        self._run_script(SCROLL_POSITION, lambda position: self._load_at(serial, html, position))

    def _load_at(self, serial: int, html: str, position: Any) -> None:
        if serial != self._update_serial or self._closed or self._loading:
            return
        place = _scroll_place(position)
        if place is None:
            point = self.page.scrollPosition()
            place = (point.x(), point.y())
        self._restore_scroll = place
        self._load(html)

    def _load(self, html: str) -> None:
        if self._fresh:
            self._restore_scroll = None  # another article starts at its top
        elif self._head is not None and self._restore_scroll is None:
            position = self.page.scrollPosition()
            self._restore_scroll = (position.x(), position.y())
        self._fresh = False
        self._update_serial += 1  # in-place updates still in flight are now stale
        self._loading = True
        self._waiting = None
        self._head = None
        self.last_html = html
        self._loading_head = head_of(html)
        self._load_watch.start(LOAD_TIMEOUT_MS)
        data = html.encode("utf-8")
        if len(data) < SET_HTML_LIMIT:
            self.scheme_handler.page_html = None
            self.page.setHtml(html, QUrl(BASE_URL))
        else:
            # setHtml travels as a data: URL, which Chromium caps at 2 MB; a long article comes from the scheme.
            self.scheme_handler.page_html = data
            self.page.load(QUrl(BASE_URL))

    def _on_page_crashed(self, status: QWebEnginePage.RenderProcessTerminationStatus, code: int) -> None:
        if self._closed:
            return
        self._loading = False
        self._head = None
        self._load_watch.stop()
        self._crashes += 1
        if self._crashes <= 2 and self._shown:
            self._shown = []
            self._need_full = True
            self.refresh()
            return
        if self._crashes <= 2 and self.last_html:
            self._load(self.last_html)
            return
        message = tr("The preview stopped working; it will be tried again after the next change.")
        self.banner.setText(message)
        self.banner.show()
        self.render_failed.emit(message)

    def _on_load_stalled(self) -> None:
        if not self._loading or self._closed:
            return
        self._loading = False
        self._head = None  # the next render loads the page afresh
        self._shown = []
        self._need_full = True
        self.page.triggerAction(QWebEnginePage.WebAction.Stop)
        message = tr("The preview took too long to show; it will be tried again after the next change.")
        self.banner.setText(message)
        self.banner.show()
        self.render_failed.emit(message)

    def _on_load_finished(self, ok: bool) -> None:
        if not self._loading or self._closed:
            return
        self._load_watch.stop()
        self._loading = False
        self._head = self._loading_head if ok else None
        if ok:
            self._crashes = 0
            self._run_script("window.articlePreview.wakeImages()")
            proxy = self.view.focusProxy()
            if proxy is not None:
                self._undo_keys.watch(proxy)  # the engine may make a new one for each renderer
        if self._restore_scroll is not None:
            x, y = self._restore_scroll
            self._restore_scroll = None
            self._run_script(f"window.scrollTo({x:.0f}, {y:.0f})")
        if not ok:
            self._shown = []
            self._need_full = True
            self.banner.setText(tr("The preview could not be shown; it will be tried again after the next change."))
            self.banner.show()
            self.render_failed.emit(self.banner.text())
        waiting, self._waiting = self._waiting, None
        reply, self._waiting_reply = self._waiting_reply, None
        if waiting is not None:
            self._show(waiting)
        elif reply is not None and ok:
            self._on_rendered(self._worker.latest, reply)
        elif ok:
            self._announce()

    def _run_script(self, script: str, callback: Callable[[Any], None] | None = None) -> None:
        source = f"{self._script}\n{script}"
        if callback is None:
            self.page.runJavaScript(source, APPLICATION_WORLD)
        else:
            self.page.runJavaScript(source, APPLICATION_WORLD, callback)
