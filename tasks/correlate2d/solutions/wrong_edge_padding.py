# expect: wrong_answer
# Mistake: 'same' and 'full' use edge replication instead of zero padding.
import numpy as np


def correlate2d(x, k, mode):
    x = np.asarray(x, dtype=float)
    k = np.asarray(k, dtype=float)
    h, w = x.shape
    kh, kw = k.shape
    if mode == "valid":
        padded = x
    elif mode == "full":
        padded = np.pad(x, ((kh - 1, kh - 1), (kw - 1, kw - 1)), mode="edge")
    else:
        padded = np.pad(x, (((kh - 1) // 2, kh // 2), ((kw - 1) // 2, kw // 2)), mode="edge")
    out_h, out_w = padded.shape[0] - kh + 1, padded.shape[1] - kw + 1
    out = np.zeros((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            out[i, j] = np.sum(padded[i:i + kh, j:j + kw] * k)
    return out
