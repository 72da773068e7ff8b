# expect: wrong_answer
# Mistake: blurs the rows only and forgets the vertical pass.
import numpy as np


def gaussian_blur(img, sigma, radius):
    img = np.asarray(img, dtype=float)
    x = np.arange(-radius, radius + 1)
    g = np.exp(-x ** 2 / (2 * sigma ** 2))
    g = g / g.sum()
    h, w = img.shape
    padded = np.zeros((h, w + 2 * radius))
    padded[:, radius:radius + w] = img
    out = np.zeros((h, w))
    for t in range(2 * radius + 1):
        out += g[t] * padded[:, t:t + w]
    return out
