# mutant: assumes a square kernel: the output width is computed from the kernel's height
import numpy as np


def conv2d_valid(x, k):
    x, k = np.asarray(x, dtype=float), np.asarray(k, dtype=float)
    size = k.shape[0]
    flipped = k[::-1, ::-1]
    out = np.zeros((x.shape[0] - size + 1, x.shape[1] - size + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            window = x[i:i + size, j:j + k.shape[1]]
            out[i, j] = np.sum(window * flipped[:, :window.shape[1]])
    return out
