# expect: accepted
# A correct solution: the normal density from scipy.stats at -r..r, normalised to sum 1.
# scipy.stats imports scipy.ndimage internally; only the candidate's own use counts.
import numpy as np
from scipy.stats import norm


def gaussian_kernel_1d(sigma, radius):
    g = norm.pdf(np.arange(-radius, radius + 1), loc=0.0, scale=sigma)
    return g / g.sum()


def gaussian_kernel_2d(sigma, radius):
    return np.outer(gaussian_kernel_1d(sigma, radius), gaussian_kernel_1d(sigma, radius))
