"""Reference for gaussian_blur_separable (trusted side)."""

import numpy as np
from scipy.signal import convolve2d


def _kernel_1d(sigma: float, radius: int) -> np.ndarray:
    x = np.arange(-int(radius), int(radius) + 1, dtype=float)
    g = np.exp(-(x * x) / (2.0 * float(sigma) ** 2))
    return g / g.sum()


def gaussian_blur(img: np.ndarray, sigma: float, radius: int) -> np.ndarray:
    """Rows, then columns, each a 'same' convolution with zero fill."""
    g = _kernel_1d(sigma, radius)
    img = np.asarray(img, dtype=float)
    rows = convolve2d(img, g[None, :], mode="same", boundary="fill")
    return convolve2d(rows, g[:, None], mode="same", boundary="fill")
