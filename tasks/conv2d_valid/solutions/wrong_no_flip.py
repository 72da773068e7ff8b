# expect: wrong_answer
# Mistake: slides the kernel without flipping it (cross-correlation, as CNN layers do).
import numpy as np


def conv2d_valid(x, k):
    x = np.asarray(x, dtype=float)
    k = np.asarray(k, dtype=float)
    kh, kw = k.shape
    out_h, out_w = x.shape[0] - kh + 1, x.shape[1] - kw + 1
    out = np.zeros((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            out[i, j] = np.sum(x[i:i + kh, j:j + kw] * k)
    return out
