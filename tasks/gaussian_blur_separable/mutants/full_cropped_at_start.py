# mutant: takes the first H x W samples of each 'full' 1-D convolution instead of the centred ones
import numpy as np


def gaussian_blur(img, sigma, radius):
    img = np.asarray(img, dtype=float)
    x = np.arange(-radius, radius + 1)
    g = np.exp(-x ** 2 / (2 * sigma ** 2))
    g = g / g.sum()
    h, w = img.shape
    rows = np.array([np.convolve(row, g)[:w] for row in img])
    return np.array([np.convolve(col, g)[:h] for col in rows.T]).T
