# expect: accepted
# A correct solution: correlation is convolution with v reversed; the convolution matrix
# comes from scipy.linalg.toeplitz (which imports numpy.fft internally: allowed).
import numpy as np
from scipy.linalg import toeplitz


def correlate1d(a, v):
    a = np.asarray(a, dtype=float)
    v = np.asarray(v, dtype=float)[::-1]
    column = np.concatenate([v, np.zeros(len(a) - 1)])
    row = np.zeros(len(a))
    row[0] = v[0]
    return toeplitz(column, row) @ a
