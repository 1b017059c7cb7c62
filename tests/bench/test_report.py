"""The benchmark's table: each figure beside its baseline, and by how much a missed target is missed."""

from __future__ import annotations

import json

from editor.bench.report import Row, percentile, shortfall, table, to_json


def test_a_missed_target_says_by_how_much_in_time_and_in_ratio():
    row = Row("keystroke", 51.6, "ms", "full render", 1168.0, "≤ 30 ms and ≥ 25× faster", False)
    assert shortfall(row) == "21.6 ms over, 2.4× short"  # 25 − 1168 ÷ 51.6
    assert "**no** (21.6 ms over, 2.4× short)" in table([row])


def test_a_met_target_or_a_figure_without_one_shows_no_shortfall():
    met = Row("launch", 706.0, "ms", "bare window", 265.0, "≤ 1000 ms", True)
    free = Row("open", 19.1, "ms", "read every file", 33.0)
    lines = table([met, free]).splitlines()
    assert lines[2].endswith("| ≤ 1000 ms | yes |")
    assert lines[3].endswith("| — | — |")
    assert shortfall(met) == ""


def test_a_target_missed_only_in_ratio_shows_only_the_ratio():
    row = Row("keystroke", 20.0, "ms", "full render", 300.0, "≤ 30 ms and ≥ 25× faster", False)
    assert shortfall(row) == "10.0× short"


def test_json_carries_ratio_and_shortfall():
    rows = [Row("memory", 723.0, "MB", "empty window", 274.0, "≤ 400 MB", False)]
    data = json.loads(to_json(rows, {"quick": True}))
    assert data["run"] == {"quick": True}
    assert data["rows"][0]["shortfall"] == "323 MB over"
    assert abs(data["rows"][0]["ratio"] - 274 / 723) < 1e-9


def test_percentile_interpolates_between_neighbours():
    assert percentile([10.0, 20.0, 30.0, 40.0, 50.0], 0.95) == 48.0
    assert percentile([7.0], 0.95) == 7.0
