"""The benchmark's results: one row per figure, with its baseline from the same run and its target."""

from __future__ import annotations

import json
import re
import statistics
from dataclasses import asdict, dataclass


@dataclass
class Row:
    """One measured figure next to the baseline it is compared with."""

    measure: str
    value: float
    unit: str
    baseline: str = ""
    baseline_value: float | None = None
    target: str = ""
    met: bool | None = None  # None: no target
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """How many times smaller the figure is than its baseline (above 1: better than the baseline)."""
        if self.baseline_value is None or self.value <= 0:
            return None
        return self.baseline_value / self.value


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` (0–1) of the values lie, interpolating between neighbours."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    if len(ordered) == 1:
        return ordered[0]
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: list[float]) -> float:
    """The middle value."""
    return statistics.median(values)


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:.3g} {unit}"


def shortfall(row: Row) -> str:
    """By how much a missed target is missed, read from the target's own words ("≤ 30 ms", "≥ 25× faster")."""
    parts = []
    limit = re.search(r"≤\s*([\d.]+)", row.target)
    if limit and row.value > float(limit.group(1)):
        parts.append(f"{_number(row.value - float(limit.group(1)), row.unit)} over")
    least = re.search(r"≥\s*([\d.]+)×", row.target)
    ratio = row.ratio
    if least and ratio is not None and ratio < float(least.group(1)):
        parts.append(f"{float(least.group(1)) - ratio:.1f}× short")
    return ", ".join(parts)


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table, ready for docs/performance.md."""
    lines = [
        "| measure | result | baseline (same run) | ratio | target | met |",
        "|---|---:|---|---:|---|:---:|",
    ]
    for row in rows:
        ratio = row.ratio
        base = f"{row.baseline}: {_number(row.baseline_value, row.unit)}" if row.baseline else "—"
        met = "—" if row.met is None else ("yes" if row.met else "**no**")
        if row.met is False and shortfall(row):
            met += f" ({shortfall(row)})"
        result = _number(row.value, row.unit) + (f" ({row.note})" if row.note else "")
        lines.append(f"| {row.measure} | {result} | {base} | {f'{ratio:.1f}×' if ratio else '—'} | "
                     f"{row.target or '—'} | {met} |")
    return "\n".join(lines)


def to_json(rows: list[Row], info: dict) -> str:
    """The rows and the run's description as JSON."""
    return json.dumps({"run": info, "rows": [{**asdict(r), "ratio": r.ratio, "shortfall": shortfall(r) if r.met is False
                                              else ""} for r in rows]}, indent=2)
