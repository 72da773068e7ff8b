# mutant: element k pairs a[n + k - (N - 1)] with v[n], shifting by the signal's length instead of the kernel's
import numpy as np


def correlate1d(a, v):
    n_a, n_v = len(a), len(v)
    out = np.zeros(n_a + n_v - 1)
    for k in range(n_a + n_v - 1):
        for n in range(n_v):
            i = n + k - (n_a - 1)
            if 0 <= i < n_a:
                out[k] += a[i] * v[n]
    return out
