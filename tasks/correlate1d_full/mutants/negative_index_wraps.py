# mutant: checks only the upper bound of the signal index, so a negative index wraps to the end of a
import numpy as np


def correlate1d(a, v):
    n_a, n_v = len(a), len(v)
    out = np.zeros(n_a + n_v - 1)
    for k in range(n_a + n_v - 1):
        for n in range(n_v):
            i = n + k - (n_v - 1)
            if i < n_a:
                out[k] += a[i] * v[n]
    return out
