"""Mismatch plots as SVG drawn on the server, so a report reads the same with or without JavaScript.

1-D: expected and actual overlaid, the mismatching points marked. 2-D: expected, actual and
|actual - expected| side by side as heat maps on one colour scale, with its legend. Larger
arrays arrive as their first mismatching slice (``PlotSlice.where`` says which). Every value
written here is a number formatted by this module, and text goes through the template's escaping.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from submissions_schema import PlotSlice

# A colour-blind-safe ramp (viridis, 6 stops); text on the page never sits on it.
RAMP = [(68, 1, 84), (65, 68, 135), (42, 120, 142), (34, 168, 132), (122, 209, 81), (253, 231, 37)]
EXPECTED, ACTUAL, BAD = "#0b5cad", "#b35900", "#b00020"
WIDTH, HEIGHT, PAD = 640, 240, 40


@dataclass(frozen=True)
class Heatmap:
    title: str
    cells: list[tuple[float, float, float, float, str]]  # x, y, w, h, colour
    x: float


@dataclass(frozen=True)
class Plot:
    """What the template draws: a line chart (``lines``) or heat maps (``heatmaps``), with captions."""

    kind: str
    where: str
    summary: str
    width: int
    height: int
    expected_path: str = ""
    actual_path: str = ""
    marks: tuple[tuple[float, float], ...] = ()
    heatmaps: tuple[Heatmap, ...] = ()
    low: float = 0.0
    high: float = 0.0
    legend: tuple[tuple[float, str], ...] = ()


def colour(t: float) -> str:
    """The ramp's colour at ``t`` in [0, 1]."""
    t = min(1.0, max(0.0, t)) * (len(RAMP) - 1)
    i = min(int(t), len(RAMP) - 2)
    f = t - i
    r, g, b = (round(RAMP[i][k] + (RAMP[i + 1][k] - RAMP[i][k]) * f) for k in range(3))
    return f"#{r:02x}{g:02x}{b:02x}"


def _finite(values: list[float | None]) -> list[float]:
    return [v for v in values if v is not None and math.isfinite(v)]


def plot(data: PlotSlice) -> Plot | None:
    if len(data.shape) == 1:
        return _line(data)
    if len(data.shape) == 2:
        return _heatmaps(data)
    return None


def _line(data: PlotSlice) -> Plot | None:
    values = _finite(data.expected) + _finite(data.actual)
    n = data.shape[0]
    if not values or n == 0:
        return None
    low, high = min(values), max(values)
    span = (high - low) or 1.0

    def xy(i: int, v: float) -> tuple[float, float]:
        x = PAD + (WIDTH - 2 * PAD) * (i / max(n - 1, 1))
        return round(x, 1), round(HEIGHT - PAD - (HEIGHT - 2 * PAD) * (v - low) / span, 1)

    def path(series: list[float | None]) -> str:
        parts, pen = [], "M"
        for i, v in enumerate(series):
            if v is None or not math.isfinite(v):
                pen = "M"
                continue
            x, y = xy(i, v)
            parts.append(f"{pen}{x},{y}")
            pen = "L"
        return " ".join(parts)

    marks = tuple(xy(i, v) for i in data.mismatched if (v := data.actual[i]) is not None and math.isfinite(v))
    return Plot(kind="line", where=data.where, width=WIDTH, height=HEIGHT, low=low, high=high,
                summary=f"{len(data.mismatched)} of {n} values differ in {data.where}",
                expected_path=path(data.expected), actual_path=path(data.actual), marks=marks)


def _heatmaps(data: PlotSlice) -> Plot | None:
    rows, cols = data.shape
    diff = [None if e is None or a is None else abs(a - e) for e, a in zip(data.expected, data.actual, strict=True)]
    values = _finite(data.expected) + _finite(data.actual) + _finite(diff)
    if not values or rows == 0 or cols == 0:
        return None
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    side = 180 / max(rows, cols)
    maps = []
    for k, (title, series) in enumerate((("expected", data.expected), ("actual", data.actual),
                                         ("|actual - expected|", diff))):
        x0 = 10 + k * 205
        cells = [(round(x0 + c * side, 2), round(30 + r * side, 2), round(side, 2), round(side, 2),
                  "#bbbbbb" if (v := series[r * cols + c]) is None else colour((v - low) / span))
                 for r in range(rows) for c in range(cols)]
        maps.append(Heatmap(title=title, cells=cells, x=x0))
    legend = tuple((round(10 + 54 * i, 1), colour(i / 10)) for i in range(11))
    return Plot(kind="heatmap", where=data.where, width=620, height=250, heatmaps=tuple(maps), low=low, high=high,
                legend=legend, summary=f"{len(data.mismatched)} of {rows * cols} values differ in {data.where}")
