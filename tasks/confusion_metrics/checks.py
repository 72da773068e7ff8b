"""Property check for confusion_metrics (trusted side): exact integer counts, close rates."""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

COUNTS = ("tp", "tn", "fp", "fn")
RATES = ("accuracy", "precision", "recall", "f1")


def _integer(value: Any) -> int | None:
    """The value as an int if it is an integer (Python int, NumPy integer scalar or 0-d array), else None."""
    if isinstance(value, np.ndarray):
        if value.shape != () or value.dtype.kind not in "iu":
            return None
        return int(value.item())
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        return None
    return int(value)


def _real(value: Any) -> float | None:
    """The value as a float if it is a real number (int, float, NumPy scalar or 0-d array), else None."""
    if isinstance(value, np.ndarray):
        if value.shape != () or value.dtype.kind not in "iuf":
            return None
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        return None
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        return None


def counts_exact_rates_close(
    actual: Any, *, inputs: Any, expected: Any, rtol: float = 1e-6, atol: float = 1e-9
) -> str | None:
    """None when `actual` has the eight keys, counts equal to `expected`'s as integers, rates close.

    `inputs` (the labels) is not needed: the reference's `expected` dict holds the
    answer. Never raises.
    """
    try:
        if not isinstance(actual, dict):
            return f"expected a dict with keys {', '.join(COUNTS + RATES)}, got {type(actual).__name__}"
        missing = [k for k in COUNTS + RATES if k not in actual]
        extra = sorted(str(k) for k in actual if k not in COUNTS + RATES)
        if missing or extra:
            return f"keys differ: missing {missing}, unexpected {extra}"[:300]
        for key in COUNTS:
            got = _integer(actual[key])
            if got is None:
                return f"{key} must be an integer count, got {type(actual[key]).__name__} {actual[key]!r}"[:300]
            want = _integer(expected[key])
            if got != want:
                return f"{key}: expected {want}, got {got}"
        for key in RATES:
            got = _real(actual[key])
            if got is None:
                return f"{key} must be a number, got {type(actual[key]).__name__}"[:300]
            want = float(_real(expected[key]))
            if not math.isfinite(got):
                return f"{key}: expected {want:.10g}, got {got}"
            if abs(got - want) > atol + rtol * abs(want):
                return f"{key}: expected {want:.10g}, got {got:.10g}"
        return None
    except Exception as exc:  # noqa: BLE001 - a bad answer must give a message, not an error
        return f"could not check the answer: {type(exc).__name__}"
