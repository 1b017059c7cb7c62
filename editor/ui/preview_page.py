"""The preview's web page: a locked-down profile and a page that never navigates away from the article."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QContextMenuEvent, QDesktopServices
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile, QWebEngineSettings
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QMenu

from editor.ui.url_scheme import HOST, SCHEME, AssetSchemeHandler, OfflineInterceptor

EXTERNAL_SCHEMES = frozenset({"http", "https", "mailto"})

_ATTRIBUTES = {
    # Page scripts never run: a draft from someone else is untrusted. Our own updates run in the
    # application's isolated world, which this switch does not affect.
    QWebEngineSettings.WebAttribute.JavascriptEnabled: False,
    QWebEngineSettings.WebAttribute.JavascriptCanOpenWindows: False,
    QWebEngineSettings.WebAttribute.JavascriptCanAccessClipboard: False,
    QWebEngineSettings.WebAttribute.JavascriptCanPaste: False,
    QWebEngineSettings.WebAttribute.AutoLoadImages: True,
    QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls: False,
    QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls: False,
    QWebEngineSettings.WebAttribute.LocalStorageEnabled: False,
    QWebEngineSettings.WebAttribute.PluginsEnabled: False,
    QWebEngineSettings.WebAttribute.PdfViewerEnabled: False,
    QWebEngineSettings.WebAttribute.WebGLEnabled: False,
    QWebEngineSettings.WebAttribute.ScreenCaptureEnabled: False,
    QWebEngineSettings.WebAttribute.DnsPrefetchEnabled: False,
    QWebEngineSettings.WebAttribute.HyperlinkAuditingEnabled: False,
    QWebEngineSettings.WebAttribute.AutoLoadIconsForPage: False,
    QWebEngineSettings.WebAttribute.TouchIconsEnabled: False,
    QWebEngineSettings.WebAttribute.ErrorPageEnabled: False,
    # Dropping a file on the preview must not replace the article with that file.
    QWebEngineSettings.WebAttribute.NavigateOnDropEnabled: False,
    # Loading the article must not pull the keyboard away from the text.
    QWebEngineSettings.WebAttribute.FocusOnNavigationEnabled: False,
}


def open_external_url(url: QUrl) -> bool:
    """Open a link in the system's browser or mail program (tests replace this function)."""
    return QDesktopServices.openUrl(url)


def make_profile(parent: QObject) -> QWebEngineProfile:
    """An off-the-record profile that stores nothing on disk and caches nothing."""
    profile = QWebEngineProfile(parent)  # no storage name: off the record
    profile.setHttpCacheType(QWebEngineProfile.HttpCacheType.NoCache)
    profile.setPersistentCookiesPolicy(QWebEngineProfile.PersistentCookiesPolicy.NoPersistentCookies)
    profile.setSpellCheckEnabled(False)
    return profile


class PreviewPage(QWebEnginePage):
    """Shows only what the preview loads itself; sends web links to the system browser."""

    def __init__(self, profile: QWebEngineProfile, handler: AssetSchemeHandler,
                 interceptor: OfflineInterceptor, parent: QObject | None = None) -> None:
        profile.installUrlSchemeHandler(SCHEME.encode(), handler)
        profile.setUrlRequestInterceptor(interceptor)
        super().__init__(profile, parent)
        settings = self.settings()
        for attribute, on in _ATTRIBUTES.items():
            settings.setAttribute(attribute, on)
        self.handler = handler
        self.interceptor = interceptor
        self.console: list[str] = []  # what the engine reported (page scripts are off, so only its own notes)
        self.refused_navigations: list[str] = []

    def acceptNavigationRequest(self, url: QUrl, navigation_type: QWebEnginePage.NavigationType,
                                is_main_frame: bool) -> bool:
        """Allow our own loads and jumps inside the article; hand web links to the system."""
        kind = QWebEnginePage.NavigationType
        if navigation_type == kind.NavigationTypeLinkClicked:
            if _is_in_page_jump(url):
                return True  # footnote links and other anchors inside the article
            if url.scheme() in EXTERNAL_SCHEMES:
                open_external_url(url)
            else:
                self.refused_navigations.append(url.toString()[:200])
            return False
        if is_main_frame and navigation_type in (kind.NavigationTypeTyped, kind.NavigationTypeReload) \
                and url.scheme() in ("data", SCHEME):
            return True  # setHtml arrives as a data: URL
        self.refused_navigations.append(url.toString()[:200])
        return False

    def javaScriptConsoleMessage(self, level: QWebEnginePage.JavaScriptConsoleMessageLevel, message: str,
                                 line: int, source: str) -> None:
        """Keep the engine's notes (blocked loads and the like) instead of printing them."""
        self.console.append(message[:500])
        del self.console[:-50]


class PreviewView(QWebEngineView):
    """The web view with a short context menu: copying, and nothing that navigates or saves."""

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """Offer Copy, Copy Link and Select All."""
        menu = QMenu(self)
        menu.addAction(self.pageAction(QWebEnginePage.WebAction.Copy))
        request = self.lastContextMenuRequest()
        if request is not None and request.linkUrl().isValid():
            menu.addAction(self.pageAction(QWebEnginePage.WebAction.CopyLinkToClipboard))
        menu.addSeparator()
        menu.addAction(self.pageAction(QWebEnginePage.WebAction.SelectAll))
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())


def _is_in_page_jump(url: QUrl) -> bool:
    """Whether a clicked link only moves to an anchor of the article itself."""
    if not url.hasFragment():
        return False
    return url.scheme() == SCHEME and url.host() == HOST and url.path() in ("", "/") and not url.hasQuery()
