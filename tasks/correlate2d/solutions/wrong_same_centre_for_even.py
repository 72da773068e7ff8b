# expect: wrong_answer
# Mistake: in 'same' mode pads kh // 2 rows on top (the convolution convention), so
# even-sized kernels come out shifted by one pixel.
import numpy as np


def correlate2d(x, k, mode):
    x = np.asarray(x, dtype=float)
    k = np.asarray(k, dtype=float)
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
    top, left = (kh - 1) // 2, (kw - 1) // 2
    return full[top:top + h, left:left + w]
