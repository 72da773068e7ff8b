# expect: wrong_answer
# Mistake: samples at offsets 0..2r instead of -r..r, so the peak sits at the first tap.
import numpy as np


def gaussian_kernel_1d(sigma, radius):
    x = np.arange(0, 2 * radius + 1)
    g = np.exp(-x ** 2 / (2 * sigma ** 2))
    return g / g.sum()


def gaussian_kernel_2d(sigma, radius):
    g = gaussian_kernel_1d(sigma, radius)
    return np.outer(g, g)
