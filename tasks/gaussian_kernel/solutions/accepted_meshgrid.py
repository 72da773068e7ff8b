# expect: accepted
# A correct solution: the 2-D kernel from exp(-(x^2 + y^2) / (2 sigma^2)) on a grid, normalised.
import math

import numpy as np


def gaussian_kernel_1d(sigma, radius):
    values = [math.exp(-(x * x) / (2.0 * sigma * sigma)) for x in range(-radius, radius + 1)]
    total = sum(values)
    return np.array([v / total for v in values])


def gaussian_kernel_2d(sigma, radius):
    y, x = np.mgrid[-radius:radius + 1, -radius:radius + 1]
    k = np.exp(-(x ** 2 + y ** 2) / (2.0 * sigma ** 2))
    return k / k.sum()
