"""The preview's page and profile: nothing stored, no page scripts, no navigation away from the article."""

import pytest
from PySide6.QtCore import QObject, QPoint, QUrl
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile, QWebEngineSettings
from PySide6.QtWidgets import QMenu
from shiboken6 import Shiboken

from editor.ui import preview_page
from editor.ui.preview_page import PreviewPage, PreviewView, make_profile
from editor.ui.url_scheme import BASE_URL, AssetSchemeHandler, OfflineInterceptor

LINK = QWebEnginePage.NavigationType.NavigationTypeLinkClicked


@pytest.fixture
def page(qapp):
    owner = QObject()
    profile = make_profile(owner)
    created = PreviewPage(profile, AssetSchemeHandler(lambda name: None, profile), OfflineInterceptor(profile))
    yield created
    # The page must go before its profile.
    Shiboken.delete(created)
    Shiboken.delete(owner)


def test_the_profile_keeps_nothing(page):
    profile = page.profile()
    assert profile.isOffTheRecord()
    assert profile.httpCacheType() == QWebEngineProfile.HttpCacheType.NoCache


@pytest.mark.parametrize(
    ("attribute", "on"),
    [
        (QWebEngineSettings.WebAttribute.JavascriptEnabled, False),
        (QWebEngineSettings.WebAttribute.AutoLoadImages, True),
        (QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, False),
        (QWebEngineSettings.WebAttribute.NavigateOnDropEnabled, False),
        (QWebEngineSettings.WebAttribute.FocusOnNavigationEnabled, False),
        (QWebEngineSettings.WebAttribute.LocalStorageEnabled, False),
    ],
)
def test_page_settings(page, attribute, on):
    assert page.settings().testAttribute(attribute) is on


@pytest.mark.parametrize(
    ("url", "opened"),
    [
        ("https://example.org/story", True),
        ("http://example.org/", True),
        ("mailto:desk@example.org", True),
        ("javascript:alert(1)", False),
        ("file:///etc/passwd", False),
        ("data:text/html,<p>x</p>", False),
        ("bundle://article/assets/photo.png", False),
    ],
)
def test_clicked_links_go_to_the_system_browser_never_into_the_preview(page, monkeypatch, url, opened):
    calls: list[str] = []
    monkeypatch.setattr(preview_page, "open_external_url", lambda target: calls.append(target.toString()))
    assert page.acceptNavigationRequest(QUrl(url), LINK, True) is False
    assert calls == ([QUrl(url).toString()] if opened else [])


def test_footnote_jumps_stay_inside_the_article(page):
    assert page.acceptNavigationRequest(QUrl(BASE_URL + "#fn:1"), LINK, True) is True


@pytest.mark.parametrize(
    ("url", "kind", "main_frame", "allowed"),
    [
        ("data:text/html,<p>x</p>", QWebEnginePage.NavigationType.NavigationTypeTyped, True, True),
        ("https://example.org/", QWebEnginePage.NavigationType.NavigationTypeTyped, True, False),
        ("https://example.org/", QWebEnginePage.NavigationType.NavigationTypeRedirect, True, False),
        ("https://example.org/", QWebEnginePage.NavigationType.NavigationTypeFormSubmitted, True, False),
        ("data:text/html,<p>x</p>", QWebEnginePage.NavigationType.NavigationTypeTyped, False, False),
        ("file:///etc/passwd", QWebEnginePage.NavigationType.NavigationTypeOther, True, False),
    ],
)
def test_only_our_own_loads_are_allowed(page, url, kind, main_frame, allowed):
    assert page.acceptNavigationRequest(QUrl(url), kind, main_frame) is allowed


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_the_context_menu_only_copies(qtbot, page):
    view = PreviewView()
    view.setPage(page)
    view.contextMenuEvent(QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5), QPoint(5, 5)))
    menus = view.findChildren(QMenu)
    assert len(menus) == 1
    offered = {action for action in menus[0].actions() if not action.isSeparator()}
    assert offered == {page.action(QWebEnginePage.WebAction.Copy), page.action(QWebEnginePage.WebAction.SelectAll)}
    menus[0].close()
    Shiboken.delete(view)  # before the page's profile goes
