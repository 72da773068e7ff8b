"""Property check for perceptron_output (trusted side): z within tolerance, y an exact integer."""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np


def _scalar(value: Any) -> Any:
    """A 0-d array's item; anything else unchanged."""
    if isinstance(value, np.ndarray) and value.shape == ():
        return value.item()
    return value


def z_close_y_exact(actual: Any, *, inputs: Any, expected: Any, rtol: float = 1e-6, atol: float = 1e-9) -> str | None:
    """Return None when `actual` is a pair (z, y) with z close to the expected z and y exactly the expected int.

    `z` may be any real number (int, float, NumPy scalar); `y` must be an integer
    (Python int or NumPy integer, not a bool and not a float). Never raises.
    """
    try:
        if isinstance(actual, (str, bytes, dict)) or actual is None or not isinstance(actual, (tuple, list)):
            return f"expected a tuple (z, y), got {type(actual).__name__}"
        if len(actual) != 2:
            return f"expected 2 values (z, y), got {len(actual)}"
        want_z, want_y = expected
        z, y = _scalar(actual[0]), _scalar(actual[1])
        if isinstance(z, bool) or not isinstance(z, numbers.Real):
            return f"z must be a number, got {type(z).__name__}"
        z = float(z)
        if not math.isfinite(z):
            return f"z is not finite: {z!r}"
        if abs(z - want_z) > atol + rtol * abs(want_z):
            return f"z: expected {want_z:.10g}, got {z:.10g}"
        if isinstance(y, bool) or not isinstance(y, numbers.Integral):
            return f"y must be the integer 0 or 1, got {type(y).__name__} {y!r}"[:200]
        if int(y) != want_y:
            return f"y: expected {want_y}, got {int(y)} (z = {want_z:.10g})"
        return None
    except Exception as exc:  # noqa: BLE001 - a bad answer must give a message, not an error
        return f"could not check the answer: {type(exc).__name__}"
