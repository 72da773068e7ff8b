# mutant: 'same' keeps the top-left H x W corner of the 'full' output instead of its centre
import numpy as np


def _full(x, k):
    h, w = x.shape
    kh, kw = k.shape
    padded = np.zeros((h + 2 * (kh - 1), w + 2 * (kw - 1)))
    padded[kh - 1:kh - 1 + h, kw - 1:kw - 1 + w] = x
    out = np.zeros((h + kh - 1, w + kw - 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(padded[i:i + kh, j:j + kw] * k)
    return out


def correlate2d(x, k, mode):
    x, k = np.asarray(x, dtype=float), np.asarray(k, dtype=float)
    full = _full(x, k)
    h, w = x.shape
    kh, kw = k.shape
    if mode == "full":
        return full
    if mode == "same":
        return full[:h, :w]
    return full[kh - 1:h, kw - 1:w]
