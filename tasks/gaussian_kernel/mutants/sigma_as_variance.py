# mutant: takes sigma for the variance: exp(-x^2 / (2 sigma))
import numpy as np


def gaussian_kernel_1d(sigma, radius):
    x = np.arange(-radius, radius + 1, dtype=float)
    g = np.exp(-x**2 / (2.0 * sigma))
    return g / g.sum()


def gaussian_kernel_2d(sigma, radius):
    g = gaussian_kernel_1d(sigma, radius)
    return np.outer(g, g)
