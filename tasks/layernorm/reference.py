"""Reference for layernorm (trusted side): normalise over the last axis, biased variance, NumPy float64."""

import numpy as np


def layernorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    """y = gamma * (x - mean) / sqrt(var + eps) + beta, statistics of each row (last axis)."""
    x = np.asarray(x, dtype=np.float64)
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    return np.asarray(gamma, dtype=np.float64) * centred / np.sqrt(var + eps) + np.asarray(beta, dtype=np.float64)
