# expect: accepted
# A correct solution: zero-pad by the mode's shift; each kernel row becomes a banded matrix
# (scipy.linalg.toeplitz) applied to the padded rows; sum over kernel rows. scipy.linalg
# imports numpy.fft internally: allowed, only the candidate's own use counts.
import numpy as np
from scipy import linalg


def correlate2d(x, k, mode):
    x = np.asarray(x, dtype=float)
    k = np.asarray(k, dtype=float)
    h, w = x.shape
    kh, kw = k.shape
    if mode == "valid":
        top, left, out_h, out_w = 0, 0, h - kh + 1, w - kw + 1
    elif mode == "full":
        top, left, out_h, out_w = kh - 1, kw - 1, h + kh - 1, w + kw - 1
    else:
        top, left, out_h, out_w = (kh - 1) // 2, (kw - 1) // 2, h, w
    padded = np.zeros((out_h + kh - 1, out_w + kw - 1))
    padded[top:top + h, left:left + w] = x
    out = np.zeros((out_h, out_w))
    for p in range(kh):
        first_row = np.concatenate([k[p], np.zeros(out_w - 1)])
        first_column = np.zeros(out_w)
        first_column[0] = k[p, 0]
        out += padded[p:p + out_h, :] @ linalg.toeplitz(first_column, first_row).T
    return out
