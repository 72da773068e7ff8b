"""Reference for dropout (trusted side): inverted dropout with given uniforms `u`."""

import numpy as np


def _apply(values: np.ndarray, p: float, u: np.ndarray) -> np.ndarray:
    """Keep where u >= p, scaled by 1 / (1 - p); all zeros when p >= 1."""
    values = np.asarray(values, dtype=float)
    if p >= 1.0:
        return np.zeros_like(values)
    return np.where(np.asarray(u) >= p, values / (1.0 - p), 0.0)


def dropout_forward(x: np.ndarray, p: float, u: np.ndarray) -> np.ndarray:
    """Inverted dropout forward pass."""
    return _apply(x, p, u)


def dropout_backward(dout: np.ndarray, p: float, u: np.ndarray) -> np.ndarray:
    """Gradient of the forward pass: the same mask and scale applied to `dout`."""
    return _apply(dout, p, u)
