# mutant: divides by the largest sample (peak 1) instead of the sum (total 1)
import numpy as np


def gaussian_kernel_1d(sigma, radius):
    x = np.arange(-radius, radius + 1, dtype=float)
    g = np.exp(-x**2 / (2.0 * sigma**2))
    return g / g.max()


def gaussian_kernel_2d(sigma, radius):
    g = gaussian_kernel_1d(sigma, radius)
    return np.outer(g, g)
