# expect: accepted
# A correct solution: the full convolution matrix of v from scipy.linalg.toeplitz, times a.
# scipy.linalg imports numpy.fft internally; only the candidate's own use of a forbidden name counts.
import numpy as np
import scipy.linalg


def conv1d(a, v):
    a = np.asarray(a, dtype=float)
    v = np.asarray(v, dtype=float)
    column = np.concatenate([v, np.zeros(len(a) - 1)])
    row = np.zeros(len(a))
    row[0] = v[0]
    return scipy.linalg.toeplitz(column, row) @ a
