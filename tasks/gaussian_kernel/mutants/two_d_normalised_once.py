# mutant: the 2-D kernel is the outer product of the raw samples divided by the 1-D sum, so it sums to that sum, not 1
import numpy as np


def _samples(sigma, radius):
    x = np.arange(-radius, radius + 1, dtype=float)
    return np.exp(-x**2 / (2.0 * sigma**2))


def gaussian_kernel_1d(sigma, radius):
    g = _samples(sigma, radius)
    return g / g.sum()


def gaussian_kernel_2d(sigma, radius):
    g = _samples(sigma, radius)
    return np.outer(g, g) / g.sum()
