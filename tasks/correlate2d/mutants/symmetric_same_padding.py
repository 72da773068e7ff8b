# mutant: 'same' pads kh // 2 on both sides, which loses a row (and a column) for even kernel sizes
import numpy as np


def correlate2d(x, k, mode):
    x, k = np.asarray(x, dtype=float), np.asarray(k, dtype=float)
    h, w = x.shape
    kh, kw = k.shape
    if mode == "valid":
        pad_h, pad_w = 0, 0
    elif mode == "full":
        pad_h, pad_w = kh - 1, kw - 1
    else:
        pad_h, pad_w = kh // 2, kw // 2
    padded = np.pad(x, ((pad_h, pad_h), (pad_w, pad_w)))
    out_h, out_w = padded.shape[0] - kh + 1, padded.shape[1] - kw + 1
    out = np.zeros((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            out[i, j] = np.sum(padded[i:i + kh, j:j + kw] * k)
    return out
