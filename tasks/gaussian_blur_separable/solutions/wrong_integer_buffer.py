# expect: wrong_answer
# Mistake: accumulates into np.zeros_like(img), which is an integer array for an integer
# image, so every blurred value is truncated.
import numpy as np


def gaussian_blur(img, sigma, radius):
    x = np.arange(-radius, radius + 1)
    g = np.exp(-x ** 2 / (2 * sigma ** 2))
    g = g / g.sum()
    h, w = img.shape
    padded = np.zeros((h, w + 2 * radius))
    padded[:, radius:radius + w] = img
    rows = np.zeros_like(img)
    for j in range(w):
        rows[:, j] = padded[:, j:j + 2 * radius + 1] @ g
    padded = np.zeros((h + 2 * radius, w))
    padded[radius:radius + h, :] = rows
    out = np.zeros_like(img)
    for i in range(h):
        out[i, :] = g @ padded[i:i + 2 * radius + 1, :]
    return out
