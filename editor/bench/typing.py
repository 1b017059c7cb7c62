"""Window figures: keystroke → preview updated, and the longest UI-thread stall while typing."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest

from editor.bench.corpus import UNKNOWN_SHARE, make_markdown
from editor.bench.qt_env import spin, wait_for_signal, wait_until
from editor.bench.report import Row, median, percentile
from editor.core.model import Article, Metadata
from editor.ui.document import ArticleDocument

PREVIEW_TARGET_MS = 30.0
STALL_TARGET_MS = 16.0


def _preview_signal(pane: object) -> object:
    """The pane's "page now shows the newest text" signal."""
    return getattr(pane, "updated", None) or pane.rendered  # type: ignore[attr-defined]


def keystroke_latencies(words: int, keystrokes: int) -> list[float]:
    """Milliseconds from a keystroke in the middle of the text until the preview page shows it."""
    from editor.ui.preview import PreviewPane

    document = ArticleDocument(Article(body=make_markdown(words), metadata=Metadata(title="Bench")))
    pane = PreviewPane(document)
    pane.resize(900, 900)
    pane.show()
    signal = _preview_signal(pane)
    if not wait_for_signal(signal, 60_000):
        raise RuntimeError("The preview never showed the benchmark article.")
    spin(300)
    cursor = QTextCursor(document.text_document)
    cursor.setPosition(document.text_document.characterCount() // 2)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    latencies = []
    try:
        for index in range(keystrokes):
            fired = {"at": 0.0}

            def seen(*_args: object, box: dict = fired) -> None:
                box["at"] = box["at"] or time.perf_counter()

            signal.connect(seen)  # type: ignore[attr-defined]
            start = time.perf_counter()
            cursor.insertText("x" if index % 6 else " ")
            ok = wait_until(lambda box=fired: box["at"] > 0, 30_000, step_ms=1)
            signal.disconnect(seen)  # type: ignore[attr-defined]
            if not ok:
                raise RuntimeError(f"The preview did not follow a keystroke at {words} words.")
            latencies.append((fired["at"] - start) * 1000)
            spin(20)
    finally:
        pane.shutdown()
        pane.deleteLater()
        spin(50)
    return latencies


def preview_rows(sizes: list[int], keystrokes: int, full_render: dict[int, float]) -> list[Row]:
    """p50 and p95 of keystroke → preview per article size, each against a full render of that size."""
    rows = []
    for words in sizes:
        latencies = keystroke_latencies(words, keystrokes)
        p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
        base = full_render[words]
        target = words == 50_000
        rows.append(Row(f"keystroke → preview p50, {words // 1000}k words", p50, "ms", "full render", base))
        rows.append(Row(
            f"keystroke → preview p95, {words // 1000}k words", p95, "ms", "full render", base,
            f"≤ {PREVIEW_TARGET_MS:.0f} ms and ≥ 25× faster" if target else "",
            (p95 <= PREVIEW_TARGET_MS and base / p95 >= 25) if target else None,
        ))
    return rows


class _Heartbeat:
    """A 1 ms timer on the UI thread; the longest gap between its ticks is the longest stall."""

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))

    def run(self, action_ms: int, during: object = None) -> float:
        self.ticks.clear()
        self.timer.start()
        if callable(during):
            during()
        else:
            spin(action_ms)
        self.timer.stop()
        gaps = [(b - a) * 1000 for a, b in zip(self.ticks, self.ticks[1:], strict=False)]
        return max(gaps, default=0.0)


def typing_stall_rows(words: int, characters: int, settings_dir: Path, repeat: int = 1,
                      unknown_share: float = UNKNOWN_SHARE) -> list[Row]:
    """Longest UI-thread stall while typing into the real window with a long article, against an idle window.

    With `repeat` above 1 the typing (and the idle baseline) is measured that many times in the same window and
    the median of the longest stalls is the figure; the worst of them is given in the note. With
    `unknown_share` 1.0 every word is unknown to the spelling dictionary: the worst case, given without a target.
    """
    from editor.core.bundle import save_bundle
    from editor.ui.main_window import MainWindow
    from editor.ui.preferences import Preferences

    settings = QSettings(str(settings_dir / "bench.ini"), QSettings.Format.IniFormat)
    bundle = settings_dir / f"typing-{words}-{unknown_share:g}.textbundle"
    body = make_markdown(words, unknown_share=unknown_share)
    save_bundle(Article(body=body, metadata=Metadata(title="Bench")), bundle)
    window = MainWindow(Preferences(), settings)
    window.resize(1280, 800)
    window.show()
    signal = _preview_signal(window.preview)
    wait_for_signal(signal, 60_000)
    if not window.open_path(bundle):
        raise RuntimeError("The benchmark article could not be opened.")
    wait_for_signal(signal, 60_000)
    spin(500)
    editor = window.text_pane.editor
    editor.setFocus()
    cursor = editor.textCursor()
    cursor.setPosition(window.document.text_document.characterCount() // 2)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    editor.setTextCursor(cursor)
    interval = 35  # a fast typist: about 30 characters a second
    heartbeat = _Heartbeat()

    def type_text() -> None:
        text = "the quick brown fox jumps over the lazy dog. " * (characters // 45 + 1)
        for char in text[:characters]:
            QTest.keyClick(editor, char)
            spin(interval)
        spin(1000)  # the work typing set off (preview, counts) finishes inside the measured window

    idles, typings = [], []
    for _ in range(repeat):
        idles.append(heartbeat.run(characters * interval))
        typings.append(heartbeat.run(0, type_text))
    window.document.undo_stack.setClean()
    window.close()
    window.deleteLater()
    spin(100)
    typing, idle = median(typings), median(idles)
    note = f"median of {repeat} runs; worst {max(typings):.1f} ms" if repeat > 1 else ""
    measure = f"longest UI stall typing {characters} characters, {words // 1000}k words"
    if unknown_share >= 1:
        return [Row(measure + ", every word misspelt", typing, "ms", "idle window, same time", idle, note=note)]
    return [Row(measure, typing, "ms", "idle window, same time", idle, f"≤ {STALL_TARGET_MS:.0f} ms",
                typing <= STALL_TARGET_MS, note)]
