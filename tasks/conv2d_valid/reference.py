"""Reference for conv2d_valid (trusted side)."""

import numpy as np
from scipy.signal import convolve2d


def conv2d_valid(x: np.ndarray, k: np.ndarray) -> np.ndarray:
    """True 2-D convolution (kernel flipped), 'valid' part only."""
    return convolve2d(np.asarray(x), np.asarray(k), mode="valid")
