"""Reference for gaussian_kernel (trusted side)."""

import numpy as np


def gaussian_kernel_1d(sigma: float, radius: int) -> np.ndarray:
    """exp(-x^2 / (2 sigma^2)) at the integer offsets -radius..radius, normalised to sum 1."""
    x = np.arange(-int(radius), int(radius) + 1, dtype=float)
    g = np.exp(-(x * x) / (2.0 * float(sigma) ** 2))
    return g / g.sum()


def gaussian_kernel_2d(sigma: float, radius: int) -> np.ndarray:
    """The separable 2-D kernel: the outer product of the 1-D kernel with itself."""
    g = gaussian_kernel_1d(sigma, radius)
    return np.outer(g, g)
