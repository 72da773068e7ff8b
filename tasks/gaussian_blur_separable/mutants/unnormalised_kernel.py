# mutant: forgets to divide the 1-D kernel by its sum, so the blur brightens the image
import numpy as np


def gaussian_blur(img, sigma, radius):
    img = np.asarray(img, dtype=float)
    x = np.arange(-radius, radius + 1)
    g = np.exp(-x ** 2 / (2 * sigma ** 2))
    h, w = img.shape
    padded = np.zeros((h, w + 2 * radius))
    padded[:, radius:radius + w] = img
    rows = sum(g[t] * padded[:, t:t + w] for t in range(2 * radius + 1))
    padded = np.zeros((h + 2 * radius, w))
    padded[radius:radius + h, :] = rows
    return sum(g[t] * padded[t:t + h, :] for t in range(2 * radius + 1))
