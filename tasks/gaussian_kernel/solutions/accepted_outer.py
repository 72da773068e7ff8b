# expect: accepted
# A correct solution: sample at -r..r, divide by the sum; 2-D as the outer product.
import numpy as np


def gaussian_kernel_1d(sigma, radius):
    x = np.arange(-radius, radius + 1)
    g = np.exp(-x ** 2 / (2 * sigma ** 2))
    return g / g.sum()


def gaussian_kernel_2d(sigma, radius):
    g = gaussian_kernel_1d(sigma, radius)
    return g[:, None] * g[None, :]
