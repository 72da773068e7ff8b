# expect: accepted
# A correct solution: zero-pad, then a horizontal pass and a vertical pass of the 1-D kernel.
import numpy as np


def gaussian_blur(img, sigma, radius):
    img = np.asarray(img, dtype=float)
    x = np.arange(-radius, radius + 1)
    g = np.exp(-x ** 2 / (2 * sigma ** 2))
    g = g / g.sum()
    h, w = img.shape
    n = 2 * radius + 1
    padded = np.zeros((h, w + 2 * radius))
    padded[:, radius:radius + w] = img
    rows = np.zeros((h, w))
    for t in range(n):
        rows += g[t] * padded[:, t:t + w]
    padded = np.zeros((h + 2 * radius, w))
    padded[radius:radius + h, :] = rows
    out = np.zeros((h, w))
    for t in range(n):
        out += g[t] * padded[t:t + h, :]
    return out
