"""Property checks for and_gate (trusted side)."""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

TRUTH_TABLE: tuple[tuple[int, int, int], ...] = ((0, 0, 0), (0, 1, 0), (1, 0, 0), (1, 1, 1))


def _as_number(value: Any) -> float | None:
    """The value as a finite float, or None if it is not a finite real number."""
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value.item()
    if isinstance(value, (str, bytes)) or not isinstance(value, numbers.Real):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _unpack(actual: Any) -> tuple[float, float, float] | str:
    """Three finite numbers out of `actual`, or a message saying why not."""
    if isinstance(actual, (str, bytes, dict)) or actual is None:
        return f"expected a tuple (w1, w2, b), got {type(actual).__name__}"
    try:
        items = list(actual)
    except Exception:  # noqa: BLE001 - anything may come back from the candidate
        return f"expected a tuple (w1, w2, b), got {type(actual).__name__}"
    if len(items) != 3:
        return f"expected 3 values (w1, w2, b), got {len(items)}"
    numbers_ = [_as_number(item) for item in items]
    for name, item, number in zip(("w1", "w2", "b"), items, numbers_, strict=False):
        if number is None:
            return f"{name} is not a finite number: {item!r}"[:200]
    return (numbers_[0], numbers_[1], numbers_[2])


def reproduces_and(actual: Any, *, inputs: Any, expected: Any, margin: float = 1e-3) -> str | None:
    """Return None when (w1, w2, b) = `actual` computes AND with |z| >= margin, else a message.

    `inputs` (the case's arguments, empty here) and `expected` (the reference's
    answer) are not needed: the truth table is fixed. Never raises.
    """
    try:
        unpacked = _unpack(actual)
        if isinstance(unpacked, str):
            return unpacked
        w1, w2, b = unpacked
        for x1, x2, want in TRUTH_TABLE:
            z = w1 * x1 + w2 * x2 + b
            if not math.isfinite(z):
                return f"input ({x1}, {x2}): z is not finite"
            got = 1 if z > 0 else 0
            if got != want:
                return f"input ({x1}, {x2}): z = {z:.6g} gives {got}, AND is {want}"
            if abs(z) < margin:
                return f"input ({x1}, {x2}): |z| = {abs(z):.3g} is below the margin {margin:g}"
        return None
    except Exception as exc:  # noqa: BLE001 - a bad answer must give a message, not an error
        return f"could not check the answer: {type(exc).__name__}"
