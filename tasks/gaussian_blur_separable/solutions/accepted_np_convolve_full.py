# expect: accepted
# A correct solution: np.convolve in 'full' mode on every row and column, cropped to the centre.
import numpy as np


def _kernel(sigma, radius):
    x = np.arange(-radius, radius + 1)
    g = np.exp(-x ** 2 / (2 * sigma ** 2))
    return g / g.sum()


def _pass(a, g, radius):
    n = a.shape[1]
    return np.array([np.convolve(row, g, mode="full")[radius:radius + n] for row in a])


def gaussian_blur(img, sigma, radius):
    g = _kernel(sigma, radius)
    a = np.asarray(img, dtype=float)
    a = _pass(a, g, radius)
    return _pass(a.T, g, radius).T
