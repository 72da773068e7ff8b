"""Reference for swish (trusted side): x * sigmoid(beta x) and its derivative in x, without overflow."""

import numpy as np


def _sigmoid(u: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-u) through t = e^-|u|, which never overflows."""
    t = np.exp(-np.abs(u))
    return np.where(u >= 0, 1.0 / (1.0 + t), t / (1.0 + t))


def swish(x: np.ndarray, beta: float) -> np.ndarray:
    """x * sigmoid(beta * x)."""
    x = np.asarray(x, dtype=float)
    return x * _sigmoid(beta * x)


def swish_grad(x: np.ndarray, beta: float) -> np.ndarray:
    """sigmoid(beta x) + beta x sigmoid(beta x) (1 - sigmoid(beta x)), with 1 - sigmoid(u) = sigmoid(-u)."""
    x = np.asarray(x, dtype=float)
    u = beta * x
    s = _sigmoid(u)
    return s + u * s * _sigmoid(-u)
