# mutant: samples at -radius .. radius - 1 (np.arange excludes its end), one tap short and off centre
import numpy as np


def gaussian_kernel_1d(sigma, radius):
    x = np.arange(-radius, radius, dtype=float)
    g = np.exp(-x**2 / (2.0 * sigma**2))
    return g / g.sum()


def gaussian_kernel_2d(sigma, radius):
    g = gaussian_kernel_1d(sigma, radius)
    return np.outer(g, g)
