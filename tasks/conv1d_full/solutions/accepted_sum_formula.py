# expect: accepted
# A correct solution written from the formula (a * v)[n] = sum_m a[m] v[n - m].
import numpy as np


def conv1d(a, v):
    n_a, n_v = len(a), len(v)
    out = np.zeros(n_a + n_v - 1)
    for n in range(n_a + n_v - 1):
        for m in range(max(0, n - n_v + 1), min(n, n_a - 1) + 1):
            out[n] += a[m] * v[n - m]
    return out
