# mutant: pads and accumulates in the image's dtype, so an integer image truncates a float kernel's sums
import numpy as np


def correlate2d(x, k, mode):
    x, k = np.asarray(x), np.asarray(k)
    h, w = x.shape
    kh, kw = k.shape
    if mode == "valid":
        top, left, out_h, out_w = 0, 0, h - kh + 1, w - kw + 1
    elif mode == "full":
        top, left, out_h, out_w = kh - 1, kw - 1, h + kh - 1, w + kw - 1
    else:
        top, left, out_h, out_w = (kh - 1) // 2, (kw - 1) // 2, h, w
    padded = np.zeros((out_h + kh - 1, out_w + kw - 1), dtype=x.dtype)
    padded[top:top + h, left:left + w] = x
    out = np.zeros((out_h, out_w), dtype=x.dtype)
    for i in range(out_h):
        for j in range(out_w):
            out[i, j] = np.sum(padded[i:i + kh, j:j + kw] * k)
    return out
