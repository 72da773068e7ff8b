"""Property check for xor_network (trusted side): a two-unit step network that computes XOR."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

TRUTH_TABLE: tuple[tuple[int, int, int], ...] = ((0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0))
SHAPES = {"W1": (2, 2), "b1": (2,), "W2": (2,), "b2": ()}


def _as_array(name: str, value: Any) -> np.ndarray | str:
    """`value` as a finite float64 array of the shape SHAPES[name], or a message saying why not."""
    if isinstance(value, (str, bytes, dict)) or value is None:
        return f"{name} must be numbers, got {type(value).__name__}"
    try:
        arr = np.asarray(value)
    except Exception:  # noqa: BLE001 - anything may come back from the candidate
        return f"{name} could not be read as an array"
    if arr.dtype.kind not in "iuf":
        return f"{name} must be real numbers, got dtype {arr.dtype}"
    shape = SHAPES[name]
    if arr.shape != shape and not (shape == () and arr.shape == (1,)):
        hint = " (exactly two hidden units)" if name != "b2" else ""
        return f"{name} must have shape {shape}{hint}, got {arr.shape}"
    arr = arr.astype(np.float64).reshape(shape)
    if not np.all(np.isfinite(arr)):
        return f"{name} is not finite"
    return arr


def computes_xor(actual: Any, *, inputs: Any, expected: Any, margin: float = 1e-3) -> str | None:
    """Return None when the dict `actual` is a network whose step outputs give XOR, else a message.

    The network: h = step(W1 @ x + b1), y = step(W2 . h + b2), step(z) = 1 if z > 0 else 0.
    Every pre-activation (two hidden, one output, on each of the four inputs) must
    satisfy |z| >= margin. `inputs` and `expected` are not needed. Never raises.
    """
    try:
        if not isinstance(actual, dict):
            return f"expected a dict with keys {sorted(SHAPES)}, got {type(actual).__name__}"
        missing, extra = sorted(set(SHAPES) - set(actual)), sorted(set(actual) - set(SHAPES))
        if missing or extra:
            return f"keys differ: missing {missing}, unexpected {extra}"[:200]
        params: dict[str, np.ndarray] = {}
        for name in SHAPES:
            arr = _as_array(name, actual[name])
            if isinstance(arr, str):
                return arr
            params[name] = arr
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], float(params["b2"])
        for x1, x2, want in TRUTH_TABLE:
            with np.errstate(all="ignore"):
                z_hidden = W1 @ np.array([x1, x2], dtype=np.float64) + b1
                h = (z_hidden > 0).astype(np.float64)
                z_out = float(W2 @ h + b2)
            if not (np.all(np.isfinite(z_hidden)) and math.isfinite(z_out)):
                return f"input ({x1}, {x2}): a pre-activation is not finite"
            for unit, z in enumerate(z_hidden):
                if abs(z) < margin:
                    return f"input ({x1}, {x2}): hidden unit {unit} has |z| = {abs(z):.3g}, below the margin {margin:g}"
            if abs(z_out) < margin:
                return f"input ({x1}, {x2}): the output has |z| = {abs(z_out):.3g}, below the margin {margin:g}"
            got = 1 if z_out > 0 else 0
            if got != want:
                return f"input ({x1}, {x2}): hidden {h.astype(int).tolist()}, output z = {z_out:.6g} gives {got}, XOR is {want}"
        return None
    except Exception as exc:  # noqa: BLE001 - a bad answer must give a message, not an error
        return f"could not check the answer: {type(exc).__name__}"

