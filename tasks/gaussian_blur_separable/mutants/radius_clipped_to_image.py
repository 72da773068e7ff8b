# mutant: shrinks the radius to fit inside the image, so a kernel larger than the image is cut down
import numpy as np


def gaussian_blur(img, sigma, radius):
    img = np.asarray(img, dtype=float)
    h, w = img.shape
    radius = min(radius, (min(h, w) - 1) // 2)
    x = np.arange(-radius, radius + 1)
    g = np.exp(-x ** 2 / (2 * sigma ** 2))
    g = g / g.sum()
    padded = np.zeros((h, w + 2 * radius))
    padded[:, radius:radius + w] = img
    rows = sum(g[t] * padded[:, t:t + w] for t in range(2 * radius + 1))
    padded = np.zeros((h + 2 * radius, w))
    padded[radius:radius + h, :] = rows
    return sum(g[t] * padded[t:t + h, :] for t in range(2 * radius + 1))
