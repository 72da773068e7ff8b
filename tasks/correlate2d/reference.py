"""Reference for correlate2d (trusted side)."""

import numpy as np
from scipy.signal import correlate2d as _scipy_correlate2d


def correlate2d(x: np.ndarray, k: np.ndarray, mode: str) -> np.ndarray:
    """2-D cross-correlation with zero fill, as SciPy defines it for each mode."""
    return _scipy_correlate2d(np.asarray(x), np.asarray(k), mode=mode, boundary="fill", fillvalue=0)
