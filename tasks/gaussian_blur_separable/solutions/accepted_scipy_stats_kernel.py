# expect: accepted
# A correct solution: the kernel from scipy.stats.norm.pdf (scipy.stats imports scipy.ndimage
# internally: allowed), then np.convolve along every row and every column.
import numpy as np
import scipy.stats


def gaussian_blur(img, sigma, radius):
    g = scipy.stats.norm.pdf(np.arange(-radius, radius + 1), scale=sigma)
    g = g / g.sum()
    a = np.asarray(img, dtype=float)
    rows = np.array([np.convolve(row, g, mode="full")[radius:radius + a.shape[1]] for row in a])
    return np.array([np.convolve(col, g, mode="full")[radius:radius + a.shape[0]] for col in rows.T]).T
