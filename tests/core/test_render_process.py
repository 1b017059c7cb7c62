"""Rendering in a child process: results match, hangs and crashes become RenderError, the child comes back."""

import gc
import os
import pickle
import threading
import weakref

import pytest

from editor.core.errors import RenderError
from editor.core.model import Article, ImageAsset, Metadata
from editor.core.render import render_body
from editor.core.render_process import PrefixAssetUrl, RenderProcess, light_article, refreeze


@pytest.fixture
def renderer():
    with RenderProcess(timeout=60) as process:
        yield process


def test_render_body_matches_rendering_in_this_process(renderer):
    article = Article(body="# Talks\n\nThe *president* met the minister.\n\n- trade\n- security\n")
    html = renderer.render_body(article)
    assert "<em>president</em>" in html
    assert html == render_body(article)


def test_render_document_is_a_full_page_with_the_title(renderer):
    article = Article(body="Body text.", metadata=Metadata(title="Harvest report"))
    html = renderer.render_document(article)
    assert "<html" in html.lower()
    assert "Harvest report" in html
    assert "Body text." in html


def test_asset_url_prefix_points_images_at_the_prefix(renderer):
    asset = ImageAsset.from_bytes("field at dusk.jpg", b"\xff\xd8jpeg bytes", alt="Field", caption="The field")
    article = Article(body="![Field](assets/field%20at%20dusk.jpg)\n", assets=[asset])
    html = renderer.render_document(article, asset_url_prefix="bundle://article/assets/")
    assert "bundle://article/assets/field%20at%20dusk.jpg" in html


def test_light_article_carries_words_but_not_image_bytes():
    asset = ImageAsset.from_bytes("a.jpg", b"x" * 1000, alt="Alt", caption="Cap", credit="Cred", width=4, height=3)
    article = Article(body="text", metadata=Metadata(title="T", tags=["a"]), assets=[asset],
                      foreign_info={"com.other.app": {"big": "x" * 1000}})
    light = light_article(article)
    copy = light.assets[0]
    assert (copy.name, copy.alt, copy.caption, copy.credit, copy.width, copy.height, copy.sha256) == (
        "a.jpg", "Alt", "Cap", "Cred", 4, 3, asset.sha256)
    assert copy.data.read_bytes() == b""
    assert light.foreign_info == {}
    assert len(pickle.dumps(light)) < 1000
    light.metadata.tags.append("b")
    assert article.metadata.tags == ["a"]
    assert asset.data.read_bytes() == b"x" * 1000


def test_prefix_asset_url_survives_pickling_and_encodes_names():
    url = pickle.loads(pickle.dumps(PrefixAssetUrl("bundle://article/assets/")))
    assert url("a b(1).jpg") == "bundle://article/assets/a%20b%281%29.jpg"


def test_slow_document_is_stopped_and_the_next_render_works(renderer):
    renderer.render_body(Article(body="warm"))
    first_child = renderer.pid
    renderer.timeout = 0.05
    with pytest.raises(RenderError, match="took too long"):
        renderer.render_body(Article(body="[a" * 20000))  # quadratic in Python-Markdown: seconds, not 50 ms
    assert renderer.pid is None
    renderer.timeout = 60
    assert "<p>fine</p>" in renderer.render_body(Article(body="fine"))
    assert renderer.pid not in (None, first_child)


def test_deeply_nested_document_gives_render_error_and_the_renderer_survives(renderer):
    nested = "".join("    " * depth + "- item\n" for depth in range(250))  # Python-Markdown recurses per level
    with pytest.raises(RenderError, match="nested too deeply"):
        renderer.render_body(Article(body=nested))
    assert "<p>after</p>" in renderer.render_body(Article(body="after"))


def test_child_dying_mid_render_gives_render_error_and_a_fresh_child(renderer):
    renderer.render_body(Article(body="start"))
    with pytest.raises(RenderError, match="stopped unexpectedly"):
        renderer._call(os._exit, 3)
    assert "<p>again</p>" in renderer.render_body(Article(body="again"))


def test_close_stops_the_child_and_a_later_render_starts_one(renderer):
    renderer.render_body(Article(body="one"))
    assert renderer.pid is not None
    renderer.close()
    assert renderer.pid is None
    assert "<p>two</p>" in renderer.render_body(Article(body="two"))


def test_close_ends_a_render_in_progress_instead_of_waiting_for_it(renderer):
    renderer.render_body(Article(body="warm"))
    outcome: list[BaseException] = []

    def slow_render() -> None:
        try:
            renderer.render_body(Article(body="[a" * 20000))
        except RenderError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=slow_render)
    worker.start()
    while not renderer._lock.locked() and worker.is_alive():
        worker.join(0.01)
    renderer.close()
    worker.join()
    assert len(outcome) == 1
    assert "took too long" not in str(outcome[0])
    assert renderer.pid is None


def test_unpicklable_asset_url_is_refused_without_breaking_the_renderer(renderer):
    with pytest.raises(TypeError, match="picklable"):
        renderer.render_document(Article(body="x"), asset_url=lambda name: name)
    assert "<p>ok</p>" in renderer.render_body(Article(body="ok"))


def test_renders_from_several_threads_each_get_their_own_result(renderer):
    results: dict[int, str] = {}

    def work(number: int) -> None:
        results[number] = renderer.render_body(Article(body=f"paragraph number{number}"))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == list(range(6))
    for number, html in results.items():
        assert f"number{number}<" in html


def test_render_blocks_keeps_its_cache_in_the_child_and_starts_over_after_a_restart(renderer):
    body = "".join(f"Paragraph {n}.\n\n" for n in range(20))
    first = renderer.render_blocks(Article(body=body), session="pane", full=True)
    assert len(first["html"]) == 20 and first["page"] is not None
    second = renderer.render_blocks(Article(body=body.replace("Paragraph 7.", "Paragraph seven.")), session="pane")
    assert len(second["html"]) == 1 and second["page"] is None
    renderer.close()  # a new child knows nothing of the session: every block comes back
    third = renderer.render_blocks(Article(body=body), session="pane")
    assert len(third["html"]) == 20
    assert not set(third["order"]) & set(first["order"])


def test_the_child_sets_a_whole_pages_caches_aside_from_garbage_collection(renderer):
    body = "".join(f"Paragraph {n} with *emphasis*.\n\n" for n in range(300))
    renderer.render_body(Article(body="warm"))
    before = renderer._call(gc.get_freeze_count)
    assert before > 0  # the imported renderer itself, right after start-up
    renderer.render_blocks(Article(body=body), session="pane", full=True)
    after_page = renderer._call(gc.get_freeze_count)
    assert after_page > before  # the new page's block cache joined them
    renderer.render_blocks(Article(body=body.replace("Paragraph 7 ", "Paragraph seven ")), session="pane")
    # A keystroke's render adds nothing to them, and what it replaces is freed as usual.
    assert renderer._call(gc.get_freeze_count) < after_page


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_refreezing_still_collects_cycles_that_died_while_frozen():
    cycle = _Cycle()
    alive = weakref.ref(cycle)
    gc.freeze()
    try:
        del cycle
        gc.collect()
        assert alive() is not None  # frozen: out of the collector's reach
        refreeze()
        assert alive() is None
    finally:
        gc.unfreeze()


def test_the_render_child_starts_without_the_settings_meant_for_other_processes(monkeypatch):
    from editor.core import render_process

    monkeypatch.setenv("EDITOR_TEST_ENGINE_ONLY", "262144")
    monkeypatch.setenv("EDITOR_TEST_USERS_OWN", "other")
    seen: dict[str, str | None] = {}

    class Spy:
        def __init__(self, *args, **kwargs) -> None:
            """Takes what a Process takes, and starts nothing."""

        def start(self) -> None:
            seen.update({name: os.environ.get(name) for name in ("EDITOR_TEST_ENGINE_ONLY", "EDITOR_TEST_USERS_OWN")})
            raise OSError("no child in this test")

    renderer = RenderProcess(child_env_drop={"EDITOR_TEST_ENGINE_ONLY": "262144", "EDITOR_TEST_USERS_OWN": "mine"})
    monkeypatch.setattr(renderer, "_context", type("Context", (), {
        "Pipe": staticmethod(render_process.multiprocessing.get_context("spawn").Pipe), "Process": Spy})())
    with pytest.raises(OSError):
        renderer._ensure_child()
    # Dropped only while the child starts, and only where the value is the one meant for the others.
    assert seen == {"EDITOR_TEST_ENGINE_ONLY": None, "EDITOR_TEST_USERS_OWN": "other"}
    assert os.environ["EDITOR_TEST_ENGINE_ONLY"] == "262144"
