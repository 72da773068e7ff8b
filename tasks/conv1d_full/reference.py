"""Reference for conv1d_full (trusted side)."""

import numpy as np


def conv1d(a: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The full discrete convolution, as NumPy defines it."""
    return np.convolve(np.asarray(a), np.asarray(v), "full")
