# mutant: returns only the 'valid' lags, where the shorter input lies entirely inside the longer one
import numpy as np


def correlate1d(a, v):
    a, v = np.asarray(a, dtype=float), np.asarray(v, dtype=float)
    n_a, n_v = len(a), len(v)
    if n_v <= n_a:
        return np.array([np.dot(a[k:k + n_v], v) for k in range(n_a - n_v + 1)])
    return np.array([np.dot(a, v[k:k + n_a]) for k in range(n_v - n_a + 1)])[::-1]
