"""The Qt WebEngine PDF printer: from the application's thread, from a worker thread, and when rendering fails."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from editor.core.errors import EditorError
from editor.core.export.pdf import PrintJob
from editor.ui.pdf_printer import page_layout, print_pdf, sandbox_refuses_user
from tests.core.export.printed_sample import realistic_article


@dataclass(frozen=True)
class BrokenJob(PrintJob):
    """A job whose page cannot be rendered."""

    def page_html(self, asset_url: Callable[[str], str]) -> str:
        """Fail the way a renderer does on text it cannot handle."""
        raise EditorError("The text is nested too deeply to render; flatten the deepest lists or quotes.")


def test_prints_from_the_application_thread(qapp) -> None:
    assert print_pdf(PrintJob(realistic_article())).startswith(b"%PDF-")


def test_prints_from_a_worker_thread_while_the_window_keeps_running(qtbot) -> None:
    results: list[bytes | Exception] = []

    def work() -> None:
        try:
            results.append(print_pdf(PrintJob(realistic_article(), paper="Letter")))
        except Exception as exc:
            results.append(exc)

    worker = threading.Thread(target=work)
    worker.start()
    qtbot.waitUntil(lambda: bool(results), timeout=60_000)
    worker.join()
    assert isinstance(results[0], bytes) and results[0].startswith(b"%PDF-")


def test_a_page_that_cannot_be_rendered_gives_its_reason(qapp) -> None:
    with pytest.raises(EditorError, match="nested too deeply"):
        print_pdf(BrokenJob(realistic_article()))


def test_page_layout_uses_the_paper_and_margins_of_the_job() -> None:
    from PySide6.QtGui import QPageLayout, QPageSize

    layout = page_layout(PrintJob(realistic_article(), paper="Letter", margin_mm=12.5))
    assert layout.pageSize().id() == QPageSize.PageSizeId.Letter
    assert layout.orientation() == QPageLayout.Orientation.Portrait
    margins = layout.margins(QPageLayout.Unit.Millimeter)
    assert (margins.left(), margins.top(), margins.right(), margins.bottom()) == (12.5, 12.5, 12.5, 12.5)


@pytest.mark.parametrize(("uid", "environment", "arguments", "refused"), [
    (1000, {}, [], False),
    (0, {}, [], True),
    (0, {"QTWEBENGINE_CHROMIUM_FLAGS": "--foo --no-sandbox"}, [], False),
    (0, {"QTWEBENGINE_DISABLE_SANDBOX": "1"}, [], False),
    (0, {"QTWEBENGINE_DISABLE_SANDBOX": "0"}, [], True),
    (0, {}, ["article-editor", "--no-sandbox"], False),
])
def test_root_without_a_sandbox_opt_out_is_refused_before_chromium_ends_the_process(
        monkeypatch: pytest.MonkeyPatch, uid: int, environment: dict[str, str], arguments: list[str],
        refused: bool) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: uid, raising=False)
    for name in ("QTWEBENGINE_CHROMIUM_FLAGS", "QTWEBENGINE_DISABLE_SANDBOX"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert sandbox_refuses_user(arguments) is refused


def test_printing_as_root_without_the_opt_out_raises_a_sentence(qapp, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 0, raising=False)
    monkeypatch.delenv("QTWEBENGINE_CHROMIUM_FLAGS", raising=False)
    monkeypatch.delenv("QTWEBENGINE_DISABLE_SANDBOX", raising=False)
    with pytest.raises(EditorError, match="root user"):
        print_pdf(PrintJob(realistic_article()))


class _FailingRun:
    """Stands in for the page load and print, failing the way a broken page engine would."""

    def __init__(self, *_args: object) -> None:
        raise RuntimeError("page engine gone")


def test_a_page_engine_failure_in_a_worker_is_one_sentence_at_once(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    from editor.ui import pdf_printer

    monkeypatch.setattr(pdf_printer, "_PrintRun", _FailingRun)
    results: list[Exception] = []

    def work() -> None:
        try:
            print_pdf(PrintJob(realistic_article()))
        except Exception as exc:
            results.append(exc)

    worker = threading.Thread(target=work)
    worker.start()
    qtbot.waitUntil(lambda: bool(results), timeout=10_000)
    worker.join()
    assert isinstance(results[0], EditorError)
    assert "RuntimeError" in str(results[0]) and "\n" not in str(results[0])


def test_a_page_engine_failure_on_the_application_thread_is_one_sentence(qapp, monkeypatch) -> None:
    from editor.ui import pdf_printer

    monkeypatch.setattr(pdf_printer, "_PrintRun", _FailingRun)
    with pytest.raises(EditorError, match=r"^The PDF could not be printed .*\(RuntimeError\)\.$"):
        print_pdf(PrintJob(realistic_article()))


@pytest.fixture
def export_window(qtbot, tmp_path, monkeypatch):
    """A real window with an article open and dialogs that answer without a user; yields (window, answers)."""
    from editor.core.bundle import save_bundle
    from tests.ui.window_helpers import Answers, delete_windows, make_settings, make_window, patch_dialogs

    answers = Answers()
    patch_dialogs(monkeypatch, answers)
    window = make_window(qtbot, make_settings(tmp_path))
    save_bundle(realistic_article(), tmp_path / "story.textbundle")
    assert window.open_path(tmp_path / "story.textbundle")
    yield window, answers
    delete_windows()


def _export_pdf_from_the_window(qtbot, window, out):
    flow = window.export_dialog()
    flow.dialog.format_box.setCurrentIndex(flow.dialog.format_box.findData("pdf"))
    flow.dialog.destination.setText(str(out))
    with qtbot.waitSignal(flow.finished, timeout=30_000) as done:
        flow.dialog.export_button.click()
    return done.args


@pytest.mark.qt_log_ignore(r"QRhiGles2: Failed to create", r"Failed to create RHI", r"createPlatformVulkanInstance",
                           r"QVulkanInstance", r"GBM is not supported", r"GPUInfo not initialized",
                           r"propagateSizeHints")
@pytest.mark.parametrize("cause", ["root-without-sandbox", "engine-failure"])
def test_a_pdf_export_that_cannot_print_shows_one_sentence_in_the_window(qtbot, export_window, tmp_path, monkeypatch,
                                                                        cause) -> None:
    from editor.ui import pdf_printer

    window, answers = export_window
    if cause == "root-without-sandbox":
        monkeypatch.setattr(os, "geteuid", lambda: 0, raising=False)
        monkeypatch.delenv("QTWEBENGINE_CHROMIUM_FLAGS", raising=False)
        monkeypatch.delenv("QTWEBENGINE_DISABLE_SANDBOX", raising=False)
    else:
        monkeypatch.setattr(pdf_printer, "_PrintRun", _FailingRun)
    out = tmp_path / "story.pdf"
    assert _export_pdf_from_the_window(qtbot, window, out) == [False]
    assert len(answers.errors) == 1
    sentence = answers.errors[0]
    assert "\n" not in sentence and sentence.endswith(".")
    assert ("root user" in sentence) if cause == "root-without-sandbox" else ("RuntimeError" in sentence)
    assert not out.exists()
