"""Reference for sigmoid (trusted side): the logistic function, a base-2 approximation, and derivatives.

Everything is written with exp(-|x|) (or 2^(-c|x|)), which never overflows.
"""

import numpy as np

C = 1.44  # sigmoid_approx(x) = 1 / (1 + 2^(-C x))


def _logistic(t: np.ndarray, x: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-u) given t = e^-|u| in (0, 1] and the sign of u from x."""
    return np.where(x >= 0, 1.0 / (1.0 + t), t / (1.0 + t))


def sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-x)."""
    x = np.asarray(x, dtype=float)
    return _logistic(np.exp(-np.abs(x)), x)


def sigmoid_grad(x: np.ndarray) -> np.ndarray:
    """sigmoid(x) (1 - sigmoid(x)) = e^-|x| / (1 + e^-|x|)^2."""
    t = np.exp(-np.abs(np.asarray(x, dtype=float)))
    return t / (1.0 + t) ** 2


def sigmoid_approx(x: np.ndarray) -> np.ndarray:
    """1 / (1 + 2^(-1.44 x))."""
    x = np.asarray(x, dtype=float)
    return _logistic(np.exp2(-C * np.abs(x)), x)


def sigmoid_approx_grad(x: np.ndarray) -> np.ndarray:
    """d/dx of sigmoid_approx: 1.44 ln 2 * 2^(-1.44|x|) / (1 + 2^(-1.44|x|))^2."""
    t = np.exp2(-C * np.abs(np.asarray(x, dtype=float)))
    return C * np.log(2.0) * t / (1.0 + t) ** 2
