# mutant: "rotates" the kernel by transposing it (k.T) instead of flipping both axes
import numpy as np


def conv2d_valid(x, k):
    x, k = np.asarray(x, dtype=float), np.asarray(k, dtype=float)
    rotated = k.T
    kh, kw = rotated.shape
    out = np.zeros((x.shape[0] - kh + 1, x.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(x[i:i + kh, j:j + kw] * rotated)
    return out
