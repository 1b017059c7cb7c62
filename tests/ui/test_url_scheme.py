"""The "bundle:" scheme: declared before the application starts, and mapping URLs to asset names safely."""

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWebEngineCore import QWebEngineUrlScheme

from editor.ui.url_scheme import ASSET_PREFIX, SCHEME, asset_name_from_url, mime_type, register_url_schemes


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
