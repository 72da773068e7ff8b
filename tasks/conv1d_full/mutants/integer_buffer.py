# mutant: accumulates into an array of the signal's dtype, so an integer signal truncates a float kernel's products
import numpy as np


def conv1d(a, v):
    out = np.zeros(len(a) + len(v) - 1, dtype=np.asarray(a).dtype)
    for i in range(len(a)):
        for j in range(len(v)):
            out[i + j] += a[i] * v[j]
    return out
