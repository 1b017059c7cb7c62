"""The render thread: results arrive on the UI thread, the newest snapshot wins, failures become sentences."""

import threading

from editor.core.errors import RenderError
from editor.core.model import Article
from editor.ui.render_worker import RenderWorker

WAIT = 20_000


class GatedRender:
    """Renders the body text, but only when the test opens the gate for it."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.gate = threading.Event()
        self.seen: list[str] = []

    def __call__(self, article: Article) -> str:
        self.seen.append(article.body)
        self.started.set()
        self.gate.wait(WAIT / 1000)
        return f"<p>{article.body}</p>"


def test_snapshots_queued_during_a_render_collapse_into_the_newest(qtbot):
    render = GatedRender()
    worker = RenderWorker(render)
    results: list[tuple[int, str]] = []
    worker.finished.connect(lambda request, html: results.append((request, html)))
    try:
        first = worker.submit(Article(body="one"))
        qtbot.waitUntil(render.started.is_set, timeout=WAIT)
        worker.submit(Article(body="two"))
        last = worker.submit(Article(body="three"))
        render.gate.set()
        qtbot.waitUntil(lambda: len(results) == 2, timeout=WAIT)
    finally:
        render.gate.set()
        worker.stop(wait=5)
    assert render.seen == ["one", "three"]
    assert results == [(first, "<p>one</p>"), (last, "<p>three</p>")]
    assert not worker.is_current(first) and worker.is_current(last)


def test_a_render_error_arrives_as_its_sentence(qtbot):
    def failing(article: Article) -> str:
        raise RenderError("The preview took too long to render.")

    worker = RenderWorker(failing)
    try:
        with qtbot.waitSignal(worker.failed, timeout=WAIT) as failed:
            request = worker.submit(Article(body="x"))
    finally:
        worker.stop(wait=5)
    assert failed.args == [request, "The preview took too long to render."]


def test_a_renderer_bug_is_reported_and_the_thread_keeps_working(qtbot):
    calls: list[str] = []

    def buggy(article: Article) -> str:
        calls.append(article.body)
        if article.body == "bad":
            raise ValueError("unexpected")
        return "fine"

    worker = RenderWorker(buggy)
    try:
        with qtbot.waitSignal(worker.failed, timeout=WAIT) as failed:
            worker.submit(Article(body="bad"))
        assert "ValueError" in failed.args[1]
        with qtbot.waitSignal(worker.finished, timeout=WAIT) as finished:
            worker.submit(Article(body="good"))
    finally:
        worker.stop(wait=5)
    assert finished.args[1] == "fine"


def test_nothing_is_rendered_after_stop(qtbot):
    render = GatedRender()
    worker = RenderWorker(render)
    worker.stop(wait=5)
    worker.submit(Article(body="late"))
    assert render.seen == []
