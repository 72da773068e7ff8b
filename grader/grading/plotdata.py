"""The window of a numeric mismatch that a report keeps for its plot (``Mismatch.plot``).

Arrays of any size are cut down: beyond two dimensions, the 2-D slice (last two axes) through
the first mismatch; then a window of at most ``MAX_1D`` values (1-D) or ``MAX_SIDE`` x ``MAX_SIDE``
(2-D) around it, so a report stays small. Values keep six significant digits.
"""

from __future__ import annotations

import math

import numpy as np

from submissions_schema import PlotSlice

MAX_1D, MAX_SIDE = 512, 32


def plot_slice(expected: np.ndarray, actual: np.ndarray, bad: np.ndarray, first: list[int]) -> PlotSlice | None:
    """The plot window for arrays of one shape; ``None`` for scalars and complex values."""
    if expected.ndim == 0 or expected.shape != actual.shape or "c" in (expected.dtype.kind, actual.dtype.kind):
        return None
    lead = tuple(first[:-2]) if expected.ndim > 2 else ()
    e, a, b = expected[lead], actual[lead], bad[lead]
    size = MAX_1D if e.ndim == 1 else MAX_SIDE
    window = tuple(_window(n, at, size) for n, at in zip(e.shape, first[len(lead):], strict=True))
    e, a, b = e[window], a[window], b[window]
    where = ", ".join([str(i) for i in lead] + [f"{w.start}:{w.stop}" for w in window])
    return PlotSlice(where=f"[{where}]", shape=list(e.shape), expected=_values(e), actual=_values(a),
                     mismatched=[int(i) for i in np.flatnonzero(b)])


def _window(length: int, at: int, size: int) -> slice:
    """``size`` positions of ``length`` that hold ``at``, a quarter of them before it where they fit."""
    start = min(max(0, at - size // 4), max(0, length - size))
    return slice(start, min(length, start + size))


def _values(arr: np.ndarray) -> list[float | None]:
    flat = np.asarray(arr, dtype=np.float64).ravel()
    return [float(f"{v:.6g}") if math.isfinite(v) else None for v in flat.tolist()]
