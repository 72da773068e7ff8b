# expect: wrong_answer
# Mistake: scales by the continuous density's 1 / (sqrt(2 pi) sigma) instead of dividing by
# the sum, so the truncated kernel does not sum to 1.
import numpy as np


def gaussian_kernel_1d(sigma, radius):
    x = np.arange(-radius, radius + 1)
    return np.exp(-x ** 2 / (2 * sigma ** 2)) / (np.sqrt(2 * np.pi) * sigma)


def gaussian_kernel_2d(sigma, radius):
    y, x = np.mgrid[-radius:radius + 1, -radius:radius + 1]
    return np.exp(-(x ** 2 + y ** 2) / (2 * sigma ** 2)) / (2 * np.pi * sigma ** 2)
