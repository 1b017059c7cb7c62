"""Rendering in a child process that can be stopped when a document makes the renderer hang or crash."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import multiprocessing
import os
import pickle
import threading
from collections.abc import Callable, Iterator, Mapping
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any
from urllib.parse import quote

from editor.core.errors import EditorError, RenderError
from editor.core.model import Article, AssetData

# Starting a child means a fresh interpreter importing Markdown; slow machines need far longer than a render.
STARTUP_TIMEOUT = 60.0


def light_article(article: Article) -> Article:
    """A copy of the article with what rendering needs: text, metadata and image words, but no image bytes."""
    return Article(
        body=article.body,
        metadata=dataclasses.replace(
            article.metadata,
            authors=list(article.metadata.authors),
            tags=list(article.metadata.tags),
            custom=dict(article.metadata.custom),
        ),
        assets=[dataclasses.replace(asset, data=AssetData(b"")) for asset in article.assets],
    )


class PrefixAssetUrl:
    """Maps an asset name to prefix + the name, percent-encoded; picklable, unlike a lambda."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __call__(self, name: str) -> str:
        """The URL of the asset with this name."""
        return self.prefix + quote(name)

    def __repr__(self) -> str:
        return f"PrefixAssetUrl({self.prefix!r})"


def _render_document(article: Article, kwargs: dict[str, Any]) -> str:
    from editor.core.render import render_document

    return render_document(article, **kwargs)


def _render_body(article: Article) -> str:
    from editor.core.render import render_body

    return render_body(article)


# The child's incremental renderers, one per preview session. This lives only in the child process,
# which is the single owner of the caches; the parent reaches them through `_render_blocks`.
_SESSIONS: dict[str, Any] = {}
_MAX_SESSIONS = 4


def _render_blocks(article: Article, session: str, full: bool, kwargs: dict[str, Any]) -> dict[str, Any]:
    from editor.core.render_blocks import BlockSession

    state = _SESSIONS.pop(session, None) or BlockSession()
    _SESSIONS[session] = state  # most recently used last
    while len(_SESSIONS) > _MAX_SESSIONS:
        del _SESSIONS[next(iter(_SESSIONS))]
    try:
        return state.update(article, full=full, **kwargs)
    except BaseException:
        del _SESSIONS[session]  # a failed render leaves no half-updated state behind
        raise


# The block caches of a long article are hundreds of thousands of objects, and a full collection of the
# cyclic garbage collector walks them all: about 12 ms at 50k words, on one keystroke in forty. The child
# sets its long-lived objects aside (gc.freeze) after a whole page and every so many requests, right after
# answering, so a collection only walks what came since. Nothing is lost: refcounting frees frozen objects as
# usual, and each refresh first collects everything, cycles among the frozen ones included.
REFREEZE_EVERY = 500


def refreeze() -> None:
    """Collect all cyclic garbage, then leave every object still alive out of later collections."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _serve(conn: Connection) -> None:
    """The child's loop: run each requested function and send back ("ok", result) or ("error", sentence)."""
    # Importing and warming up the renderer here keeps that cost out of the first render's time limit.
    _render_body(Article(body="*warm-up*"))
    refreeze()
    conn.send(("ready", None))
    since_refreeze = 0
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        function, args = request
        try:
            reply = ("ok", function(*args))
        except RecursionError:
            reply = ("error", "The text is nested too deeply to preview; flatten the deepest lists or quotes.")
        except EditorError as exc:
            reply = ("error", str(exc))
        except Exception as exc:
            reply = ("error", f"The preview could not be rendered ({type(exc).__name__}: {exc}).")
        conn.send(reply)
        since_refreeze += 1
        whole_page = isinstance(reply[1], dict) and reply[1].get("page") is not None
        if whole_page or since_refreeze >= REFREEZE_EVERY:
            del request, function, args, reply  # not kept alive, and so not frozen, past this request
            refreeze()
            since_refreeze = 0


_ENV_LOCK = threading.Lock()


@contextlib.contextmanager
def _environment_without(drop: Mapping[str, str]) -> Iterator[None]:
    """The environment without the given variables (where they hold the given values), restored afterwards."""
    if not drop:
        yield
        return
    with _ENV_LOCK:
        saved = {name: os.environ.pop(name) for name, value in drop.items() if os.environ.get(name) == value}
        try:
            yield
        finally:
            os.environ.update(saved)


class RenderProcess:
    """Renders articles in a long-lived child process, stopping and replacing it when a render takes too long."""

    def __init__(self, timeout: float = 10.0, *, child_env_drop: Mapping[str, str] | None = None) -> None:
        """`child_env_drop`: environment variables (name → value) the render child must not inherit when they
        hold that value, e.g. allocator settings meant for other helper processes."""
        self.timeout = timeout
        self._env_drop = dict(child_env_drop or {})
        self._context = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._process: Any = None
        self._conn: Connection | None = None
        self._stopping = False

    def render_document(
        self,
        article: Article,
        *,
        asset_url: Callable[[str], str] | None = None,
        asset_url_prefix: str | None = None,
        **kwargs: Any,
    ) -> str:
        """A full HTML page for the article, as editor.core.render.render_document makes it.

        `asset_url` must be picklable (a module-level function or PrefixAssetUrl); `asset_url_prefix`
        is the shorthand for PrefixAssetUrl(prefix).
        """
        if asset_url_prefix is not None:
            asset_url = PrefixAssetUrl(asset_url_prefix)
        if asset_url is not None:
            kwargs["asset_url"] = asset_url
        return self._call(_render_document, light_article(article), kwargs)

    def render_blocks(self, article: Article, *, session: str, full: bool = False,
                      asset_url_prefix: str | None = None, **kwargs: Any) -> dict[str, Any]:
        """The page as blocks, and only the blocks new since this session's previous call.

        See editor.core.render_blocks.BlockSession.update for the reply; `full` asks for the whole page.
        """
        if asset_url_prefix is not None:
            kwargs["asset_url"] = PrefixAssetUrl(asset_url_prefix)
        return self._call(_render_blocks, light_article(article), session, full, kwargs)

    def render_body(self, article: Article) -> str:
        """The article's body as sanitised HTML, as editor.core.render.render_body makes it."""
        return self._call(_render_body, light_article(article))

    def _call(self, function: Callable[..., Any], *args: Any) -> Any:
        """Run a picklable module-level function in the child, within the time limit."""
        with self._lock:
            conn = self._ensure_child()
            try:
                conn.send((function, args))
            except (pickle.PicklingError, AttributeError, TypeError) as exc:
                # Pickling happens before anything is written, so the child is still in step.
                raise TypeError(f"Everything sent to the render process must be picklable: {exc}") from None
            except (BrokenPipeError, EOFError, ConnectionResetError):
                self._stop_child()
                raise RenderError("The preview renderer stopped unexpectedly; the text is unchanged.") from None
            try:
                ready = conn.poll(self.timeout)
                reply = conn.recv() if ready else None
            except (EOFError, OSError):
                self._stop_child()
                raise RenderError("The preview renderer stopped unexpectedly; the text is unchanged.") from None
            if reply is None:
                self._stop_child()
                raise RenderError(
                    f"The preview took too long to render (more than {self.timeout:g} seconds) and was stopped; "
                    "the text is unchanged."
                )
        status, value = reply
        if status != "ok":
            raise RenderError(value)
        return value

    def _ensure_child(self) -> Connection:
        if self._process is not None and self._process.is_alive() and self._conn is not None:
            return self._conn
        # A child that died between renders (killed by the system, say) is replaced without bothering anyone.
        self._stop_child()
        if self._stopping:
            raise RenderError("The preview renderer was stopped; the text is unchanged.")
        parent_end, child_end = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(child_end,), name="article-render", daemon=True)
        with _environment_without(self._env_drop):
            process.start()
        child_end.close()
        self._process, self._conn = process, parent_end
        try:
            started = parent_end.poll(STARTUP_TIMEOUT) and parent_end.recv()[0] == "ready"
        except (EOFError, OSError):
            started = False
        if not started:
            self._stop_child()
            raise RenderError("The preview renderer could not be started; the text is unchanged.")
        return parent_end

    def _stop_child(self) -> None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            conn.close()
        if process is not None:
            if process.is_alive():
                process.kill()
            process.join(5)
            if not process.is_alive():
                process.close()

    @property
    def pid(self) -> int | None:
        """The child's process id, or None when no child is running."""
        return self._process.pid if self._process is not None else None

    def close(self) -> None:
        """Stop the child process at once, even in the middle of a render; a later render starts a new one."""
        # Killing first, outside the lock, ends a render in progress instead of waiting for its time limit;
        # the flag keeps that render from starting a replacement child meanwhile.
        self._stopping = True
        try:
            process = self._process
            if process is not None:
                with contextlib.suppress(ValueError, OSError):
                    process.kill()
            with self._lock:
                self._stop_child()
        finally:
            self._stopping = False

    def __enter__(self) -> RenderProcess:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
