# expect: forbidden_api
# Uses scipy.signal.windows.gaussian, which the question forbids.
import numpy as np
from scipy.signal import windows


def gaussian_kernel_1d(sigma, radius):
    g = windows.gaussian(2 * radius + 1, std=sigma)
    return g / g.sum()


def gaussian_kernel_2d(sigma, radius):
    g = gaussian_kernel_1d(sigma, radius)
    return np.outer(g, g)
