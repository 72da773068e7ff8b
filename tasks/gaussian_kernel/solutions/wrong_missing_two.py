# expect: wrong_answer
# Mistake: exp(-x^2 / sigma^2), forgetting the 2 in the exponent's denominator.
import numpy as np


def gaussian_kernel_1d(sigma, radius):
    x = np.arange(-radius, radius + 1)
    g = np.exp(-x ** 2 / sigma ** 2)
    return g / g.sum()


def gaussian_kernel_2d(sigma, radius):
    g = gaussian_kernel_1d(sigma, radius)
    return np.outer(g, g)
