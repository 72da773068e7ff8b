# mutant: flips the kernel upside down only, not left to right (a 180-degree rotation flips both)
import numpy as np


def conv2d_valid(x, k):
    x, k = np.asarray(x, dtype=float), np.asarray(k, dtype=float)
    kh, kw = k.shape
    flipped = k[::-1, :]
    out = np.zeros((x.shape[0] - kh + 1, x.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(x[i:i + kh, j:j + kw] * flipped)
    return out
