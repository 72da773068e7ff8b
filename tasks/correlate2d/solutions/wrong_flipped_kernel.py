# expect: wrong_answer
# Mistake: flips the kernel (computes convolution, not cross-correlation).
import numpy as np


def correlate2d(x, k, mode):
    x = np.asarray(x, dtype=float)
    k = np.asarray(k, dtype=float)[::-1, ::-1]
    h, w = x.shape
    kh, kw = k.shape
    full = np.zeros((h + kh - 1, w + kw - 1))
    for p in range(kh):
        for q in range(kw):
            full[kh - 1 - p:kh - 1 - p + h, kw - 1 - q:kw - 1 - q + w] += k[p, q] * x
    if mode == "full":
        return full
    if mode == "valid":
        return full[kh - 1:h, kw - 1:w]
    return full[kh // 2:kh // 2 + h, kw // 2:kw // 2 + w]
