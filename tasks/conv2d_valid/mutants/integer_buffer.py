# mutant: the output takes the image's dtype, so an integer image truncates a float kernel's sums
import numpy as np


def conv2d_valid(x, k):
    x, k = np.asarray(x), np.asarray(k)
    kh, kw = k.shape
    flipped = k[::-1, ::-1]
    out = np.zeros((x.shape[0] - kh + 1, x.shape[1] - kw + 1), dtype=x.dtype)
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(x[i:i + kh, j:j + kw] * flipped)
    return out
