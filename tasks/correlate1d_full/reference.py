"""Reference for correlate1d_full (trusted side)."""

import numpy as np


def correlate1d(a: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The full cross-correlation, as NumPy defines it."""
    return np.correlate(np.asarray(a), np.asarray(v), "full")
