"""The "bundle:" scheme: declared before the application starts, mapping URLs to asset names safely, and serving."""

import zipfile

import pytest
from PySide6.QtCore import QByteArray, QFile, QIODevice, QObject, QUrl
from PySide6.QtGui import QImage
from PySide6.QtWebEngineCore import QWebEngineScript, QWebEngineUrlRequestJob, QWebEngineUrlScheme

from editor.core.model import AssetData, ImageAsset
from editor.ui.preview_page import PreviewPage, make_profile
from editor.ui.url_scheme import (
    ASSET_PREFIX,
    BASE_URL,
    SCHEME,
    AssetSchemeHandler,
    OfflineInterceptor,
    asset_name_from_url,
    mime_type,
    register_url_schemes,
)


def test_the_bundle_scheme_is_registered_as_secure():
    register_url_schemes()  # a second call is harmless
    scheme = QWebEngineUrlScheme.schemeByName(SCHEME.encode())
    assert bytes(scheme.name().data()) == b"bundle"
    assert scheme.flags() & QWebEngineUrlScheme.Flag.SecureScheme
    assert scheme.syntax() == QWebEngineUrlScheme.Syntax.Host


@pytest.mark.parametrize(
    ("url", "name"),
    [
        (ASSET_PREFIX + "photo.jpg", "photo.jpg"),
        (ASSET_PREFIX + "field%20at%20dusk.jpg?v=abc", "field at dusk.jpg"),
        (ASSET_PREFIX + "caf%C3%A9.png", "café.png"),
        (ASSET_PREFIX + "..%2Finfo.json", None),
        (ASSET_PREFIX + "a%5Cb.png", None),
        (ASSET_PREFIX, None),
        ("bundle://article/text.md", None),
        ("bundle://article/assets/sub/x.png", None),
        ("bundle://other/assets/x.png", None),
        ("https://article/assets/x.png", None),
        ("file:///assets/x.png", None),
    ],
)
def test_asset_name_from_url(url, name):
    assert asset_name_from_url(QUrl(url)) == name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.jpg", "image/jpeg"),
        ("A.JPEG", "image/jpeg"),
        ("chart.png", "image/png"),
        ("anim.gif", "image/gif"),
        ("photo.webp", "image/webp"),
        ("logo.svg", "image/svg+xml"),
        ("no-extension", "application/octet-stream"),
    ],
)
def test_mime_type(name, expected):
    assert mime_type(name) == expected


class FakeJob(QObject):
    """Stands in for the engine's request job: records the reply or the failure."""

    def __init__(self, url: str, method: bytes = b"GET") -> None:
        super().__init__()
        self._url, self._method = QUrl(url), method
        self.content_type: bytes | None = None
        self.device: QIODevice | None = None
        self.error = None

    def requestUrl(self) -> QUrl:
        return self._url

    def requestMethod(self) -> QByteArray:
        return QByteArray(self._method)

    def reply(self, content_type: bytes, device: QIODevice) -> None:
        self.content_type, self.device = content_type, device

    def fail(self, error) -> None:
        self.error = error


class CountingData(AssetData):
    """Asset bytes that count how often they are read whole."""

    reads = 0

    def read_bytes(self) -> bytes:
        CountingData.reads += 1
        return super().read_bytes()


def _serve(assets: dict[str, ImageAsset], url: str) -> tuple[AssetSchemeHandler, FakeJob]:
    handler = AssetSchemeHandler(assets.get)
    job = FakeJob(url)
    handler.requestStarted(job)  # type: ignore[arg-type]
    return handler, job


def test_a_picture_in_a_file_is_streamed_without_reading_it_whole(qapp, tmp_path):
    picture = tmp_path / "photo.jpg"
    payload = b"\xff\xd8" + bytes(range(256)) * 4096 + b"\xff\xd9"
    picture.write_bytes(payload)
    CountingData.reads = 0
    handler, job = _serve({"photo.jpg": ImageAsset("photo.jpg", CountingData(picture))}, ASSET_PREFIX + "photo.jpg")
    assert job.error is None and job.content_type == b"image/jpeg"
    assert isinstance(job.device, QFile) and job.device.parent() is job  # the job owns it: closed with the request
    assert CountingData.reads == 0
    assert bytes(job.device.readAll().data()) == payload
    assert handler.served == ["photo.jpg"]


def test_a_picture_held_in_memory_is_served_from_memory(qapp):
    asset = ImageAsset("dot.png", AssetData(b"\x89PNG\r\n\x1a\nrest"))
    handler, job = _serve({"dot.png": asset}, ASSET_PREFIX + "dot.png")
    assert job.content_type == b"image/png"
    assert bytes(job.device.readAll().data()) == b"\x89PNG\r\n\x1a\nrest"
    assert handler.served == ["dot.png"]


def test_a_picture_whose_file_is_gone_fails_the_request(qapp, tmp_path):
    asset = ImageAsset("gone.jpg", AssetData(tmp_path / "gone.jpg"))
    handler, job = _serve({"gone.jpg": asset}, ASSET_PREFIX + "gone.jpg")
    assert job.error == QWebEngineUrlRequestJob.Error.RequestFailed and job.device is None
    assert handler.served == [] and handler.refused == [ASSET_PREFIX + "gone.jpg"]


def test_a_picture_in_a_zip_member_is_read_from_the_archive(qapp, tmp_path):
    archive = tmp_path / "pack.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("assets/photo.png", b"zip bytes")
    asset = ImageAsset("photo.png", AssetData(archive, "assets/photo.png"))
    _handler, job = _serve({"photo.png": asset}, ASSET_PREFIX + "photo.png")
    assert bytes(job.device.readAll().data()) == b"zip bytes"


def test_unknown_names_and_other_methods_are_refused(qapp):
    asset = ImageAsset("dot.png", AssetData(b"x"))
    _handler, missing = _serve({"dot.png": asset}, ASSET_PREFIX + "other.png")
    assert missing.error == QWebEngineUrlRequestJob.Error.UrlNotFound
    handler = AssetSchemeHandler({"dot.png": asset}.get)
    post = FakeJob(ASSET_PREFIX + "dot.png", b"POST")
    handler.requestStarted(post)  # type: ignore[arg-type]
    assert post.error == QWebEngineUrlRequestJob.Error.RequestDenied and post.device is None


def test_the_engine_shows_a_picture_streamed_from_its_file(qtbot, tmp_path):
    picture = tmp_path / "wide.png"
    image = QImage(5, 3, QImage.Format.Format_RGB32)
    image.fill(0x336699)
    assert image.save(str(picture), "PNG")
    assets = {"wide.png": ImageAsset("wide.png", AssetData(picture))}
    owner = QObject()
    page = PreviewPage(make_profile(owner), AssetSchemeHandler(assets.get), OfflineInterceptor())
    with qtbot.waitSignal(page.loadFinished, timeout=30_000):
        page.setHtml(f'<img id="shot" src="{ASSET_PREFIX}wide.png">', QUrl(BASE_URL))
    sizes: list[object] = []

    def loaded() -> bool:
        page.runJavaScript("(i => i.complete ? i.naturalWidth + 'x' + i.naturalHeight : '')(document.images[0])",
                           QWebEngineScript.ScriptWorldId.ApplicationWorld, sizes.append)
        return bool(sizes) and sizes[-1] == "5x3"

    qtbot.waitUntil(loaded, timeout=30_000)
    assert page.handler.served == ["wide.png"]
    with qtbot.waitSignal(page.destroyed, timeout=30_000):
        page.deleteLater()  # before its profile, which the engine wants to outlive its pages
    owner.deleteLater()
