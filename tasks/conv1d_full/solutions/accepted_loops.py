# expect: accepted
# A correct solution: accumulate a[i] * v[j] into out[i + j].
import numpy as np


def conv1d(a, v):
    a = np.asarray(a, dtype=float)
    v = np.asarray(v, dtype=float)
    out = np.zeros(len(a) + len(v) - 1)
    for i in range(len(a)):
        out[i:i + len(v)] += a[i] * v
    return out
