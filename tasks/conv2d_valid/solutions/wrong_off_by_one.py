# expect: wrong_answer
# Mistake: output size H - kh by W - kw (forgets the + 1), so the last row and column are lost.
import numpy as np


def conv2d_valid(x, k):
    x = np.asarray(x, dtype=float)
    k = np.asarray(k, dtype=float)[::-1, ::-1]
    kh, kw = k.shape
    out_h, out_w = x.shape[0] - kh, x.shape[1] - kw
    out = np.zeros((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            out[i, j] = np.sum(x[i:i + kh, j:j + kw] * k)
    return out
