# expect: wrong_answer
# Mistake: pads by repeating the border pixels (as image libraries often do), not with zeros.
import numpy as np


def gaussian_blur(img, sigma, radius):
    img = np.asarray(img, dtype=float)
    x = np.arange(-radius, radius + 1)
    g = np.exp(-x ** 2 / (2 * sigma ** 2))
    g = g / g.sum()
    h, w = img.shape
    padded = np.pad(img, ((0, 0), (radius, radius)), mode="edge")
    rows = sum(g[t] * padded[:, t:t + w] for t in range(2 * radius + 1))
    padded = np.pad(rows, ((radius, radius), (0, 0)), mode="edge")
    return sum(g[t] * padded[t:t + h, :] for t in range(2 * radius + 1))
