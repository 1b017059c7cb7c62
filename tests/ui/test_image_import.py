"""Background import batches: outcomes, errors as sentences, cancelling, and when to show progress."""

import io
import threading
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QProgressDialog, QWidget

from editor.core.images import ImportSettings
from editor.ui.image_import import (
    LARGE_BYTES,
    ImportBatch,
    ImportRunner,
    needs_progress,
    source_name,
    source_size,
)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (10, 200, 10)).save(out, "PNG")
    return out.getvalue()


def test_source_names_and_sizes(tmp_path):
    path = tmp_path / "Dawn.png"
    path.write_bytes(b"12345")
    assert source_name(path) == "Dawn.png"
    assert source_name(b"x") == "pasted-image.png"
    assert source_size(path) == 5
    assert source_size(tmp_path / "missing.png") == 0


def test_progress_is_shown_for_several_or_large_sources(tmp_path):
    assert not needs_progress([b"x"])
    assert needs_progress([b"x", b"y"])
    assert needs_progress([b"\0" * LARGE_BYTES])


def test_a_batch_names_each_picture_uniquely_and_reports_errors(qtbot, tmp_path):
    pool = QThreadPool()
    sources: list[Path | bytes] = [png(), png(), b"not an image"]
    batch = ImportBatch(sources, {"pasted-image.png"}, ImportSettings(), pool)
    steps: list[int] = []
    batch.progressed.connect(steps.append)
    with qtbot.waitSignal(batch.finished) as blocker:
        batch.start()
    outcome = blocker.args[0]
    assert [a.name for a in outcome.assets] == ["pasted-image-2.png", "pasted-image-3.png"]
    assert len(outcome.errors) == 1
    assert not outcome.cancelled
    qtbot.waitUntil(lambda: steps == [1, 2, 3])
    pool.waitForDone()


def test_a_cancelled_batch_stops_and_says_so(qtbot):
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    gate = threading.Event()
    pool.start(lambda: gate.wait(30))
    batch = ImportBatch([png(), png()], set(), ImportSettings(), pool)
    with qtbot.waitSignal(batch.finished) as blocker:
        batch.start()
        batch.cancel()
        # Released inside the block: the batch may finish at once, and the signal must not be missed.
        gate.set()
    assert blocker.args[0].cancelled
    assert blocker.args[0].assets == []
    pool.waitForDone()


def test_runner_calls_back_and_closes_its_progress_dialog(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    runner = ImportRunner(window)
    runner.progress_delay_ms = 600_000  # the dialog exists but is not shown on the offscreen platform
    outcomes = []
    runner.run([png(), png()], set(), ImportSettings(), outcomes.append)
    assert window.findChild(QProgressDialog) is not None
    qtbot.waitUntil(lambda: len(outcomes) == 1)
    assert len(outcomes[0].assets) == 2
    qtbot.waitUntil(lambda: window.findChild(QProgressDialog) is None)
    runner.shutdown()
