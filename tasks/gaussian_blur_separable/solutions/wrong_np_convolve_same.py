# expect: wrong_answer
# Mistake: np.convolve(..., "same") returns max(len(row), len(kernel)) samples, so a kernel
# longer than a row or column gives the wrong shape.
import numpy as np


def gaussian_blur(img, sigma, radius):
    x = np.arange(-radius, radius + 1)
    g = np.exp(-x ** 2 / (2 * sigma ** 2))
    g = g / g.sum()
    a = np.asarray(img, dtype=float)
    a = np.array([np.convolve(row, g, mode="same") for row in a])
    return np.array([np.convolve(col, g, mode="same") for col in a.T]).T
