# expect: accepted
# A correct solution: flip the kernel; each of its rows becomes a banded matrix
# (scipy.linalg.toeplitz) that correlates every image row with it; sum over kernel rows.
import numpy as np
import scipy.linalg


def _row_matrix(weights, out_w, width):
    """T with T[j, j + q] = weights[q]: row j of x @ T.T is the valid correlation at j."""
    first_row = np.concatenate([weights, np.zeros(width - len(weights))])
    first_column = np.zeros(out_w)
    first_column[0] = weights[0]
    return scipy.linalg.toeplitz(first_column, first_row)


def conv2d_valid(x, k):
    x = np.asarray(x, dtype=float)
    k = np.asarray(k, dtype=float)[::-1, ::-1]
    kh, kw = k.shape
    out_h, out_w = x.shape[0] - kh + 1, x.shape[1] - kw + 1
    out = np.zeros((out_h, out_w))
    for p in range(kh):
        out += x[p:p + out_h, :] @ _row_matrix(k[p], out_w, x.shape[1]).T
    return out
