# mutant: checks only the upper bound of v[n - m], so a negative index silently wraps to the end of v
import numpy as np


def conv1d(a, v):
    n_out = len(a) + len(v) - 1
    out = np.zeros(n_out)
    for n in range(n_out):
        for m in range(len(a)):
            if n - m < len(v):
                out[n] += a[m] * v[n - m]
    return out
