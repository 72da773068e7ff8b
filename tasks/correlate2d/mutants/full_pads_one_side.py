# mutant: 'full' pads kh - 1 rows and kw - 1 columns at the bottom and right only, so its output is shifted
import numpy as np


def correlate2d(x, k, mode):
    x, k = np.asarray(x, dtype=float), np.asarray(k, dtype=float)
    h, w = x.shape
    kh, kw = k.shape
    if mode == "valid":
        top, left, out_h, out_w = 0, 0, h - kh + 1, w - kw + 1
    elif mode == "full":
        top, left, out_h, out_w = 0, 0, h + kh - 1, w + kw - 1
    else:
        top, left, out_h, out_w = (kh - 1) // 2, (kw - 1) // 2, h, w
    padded = np.zeros((out_h + kh - 1, out_w + kw - 1))
    padded[top:top + h, left:left + w] = x
    out = np.zeros((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            out[i, j] = np.sum(padded[i:i + kh, j:j + kw] * k)
    return out
