"""The preview's private "bundle:" scheme: it serves the open article's images and nothing else."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from urllib.parse import unquote

from PySide6.QtCore import QBuffer, QByteArray, QFile, QIODevice, QObject, QUrl
from PySide6.QtWebEngineCore import (
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
    QWebEngineUrlRequestJob,
    QWebEngineUrlScheme,
    QWebEngineUrlSchemeHandler,
)

from editor.core.errors import EditorError
from editor.core.model import ImageAsset

SCHEME = "bundle"
HOST = "article"
BASE_URL = f"{SCHEME}://{HOST}/"
ASSET_PREFIX = f"{BASE_URL}assets/"

# Explicit types for what the image pipeline produces; the platform's table can be incomplete.
_IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".bmp": "image/bmp",
    ".svg": "image/svg+xml",
}


def register_url_schemes() -> None:
    """Declare the "bundle" scheme to Qt WebEngine; must run before the QApplication exists, once."""
    if QWebEngineUrlScheme.schemeByName(SCHEME.encode()).name():
        return
    scheme = QWebEngineUrlScheme(SCHEME.encode())
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    # Secure: the page is a secure context, so Chromium never treats our images as mixed content.
    # Nothing more: the page's own origin is bundle://article, so its images are same-origin.
    scheme.setFlags(QWebEngineUrlScheme.Flag.SecureScheme)
    QWebEngineUrlScheme.registerScheme(scheme)


def mime_type(name: str) -> str:
    """The MIME type to send for an asset file name."""
    dot = name.rfind(".")
    suffix = name[dot:].lower() if dot >= 0 else ""
    return _IMAGE_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def asset_name_from_url(url: QUrl) -> str | None:
    """The asset name in bundle://article/assets/<name>, or None for any other URL."""
    if url.scheme() != SCHEME or url.host() != HOST:
        return None
    path = url.path(QUrl.ComponentFormattingOption.FullyEncoded)
    if not path.startswith("/assets/"):
        return None
    name = unquote(path[len("/assets/"):])
    if not name or "/" in name or "\\" in name or name in {".", ".."}:
        return None
    return name


class AssetSchemeHandler(QWebEngineUrlSchemeHandler):
    """Answers bundle://article/assets/<name> with the bytes of that image in the open article."""

    def __init__(self, find_asset: Callable[[str], ImageAsset | None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.find_asset = find_asset
        self.page_html: bytes | None = None  # the page itself, when it is too long for setHtml
        self.served: list[str] = []  # names answered, in order (tests and diagnostics read it)
        self.refused: list[str] = []  # URLs refused

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:
        """Serve an asset, or fail the request."""
        url = job.requestUrl()
        if self.page_html is not None and url.host() == HOST and url.path() in ("", "/"):
            self._reply(job, "text/html; charset=utf-8", self.page_html)
            return
        name = asset_name_from_url(url)
        if bytes(job.requestMethod().data()) != b"GET" or name is None:
            self.refused.append(url.toString())
            job.fail(QWebEngineUrlRequestJob.Error.RequestDenied)
            return
        asset = self.find_asset(name)
        if asset is None:
            self.refused.append(url.toString())
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        path = asset.data.path
        if path is not None:
            # A picture in a plain file is streamed from it: its bytes are never held whole in this process.
            stream = QFile(str(path), job)
            if not stream.open(QIODevice.OpenModeFlag.ReadOnly):
                self.refused.append(url.toString())
                job.fail(QWebEngineUrlRequestJob.Error.RequestFailed)
                return
            self.served.append(name)
            job.reply(mime_type(name).encode(), stream)
            return
        try:
            data = asset.data.read_bytes()
        except EditorError:
            self.refused.append(url.toString())
            job.fail(QWebEngineUrlRequestJob.Error.RequestFailed)
            return
        self.served.append(name)
        self._reply(job, mime_type(name), data)

    @staticmethod
    def _reply(job: QWebEngineUrlRequestJob, content_type: str, data: bytes) -> None:
        # The job owns the buffer, so it lives exactly as long as the request.
        buffer = QBuffer(job)
        buffer.setData(QByteArray(data))
        buffer.open(QBuffer.OpenModeFlag.ReadOnly)
        job.reply(content_type.encode(), buffer)


class OfflineInterceptor(QWebEngineUrlRequestInterceptor):
    """Blocks every request that is not for the bundle, so a preview never reaches the network."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.blocked: list[str] = []  # URLs refused, in order

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        """Let bundle: requests and the page itself (setHtml loads it as a data: URL) through."""
        url = info.requestUrl()
        scheme = url.scheme()
        if scheme == SCHEME:
            return
        if scheme == "data" and info.resourceType() == QWebEngineUrlRequestInfo.ResourceType.ResourceTypeMainFrame:
            return
        info.block(True)
        self.blocked.append(url.toString()[:200])
