# mutant: the output has N + M samples (one too many, a trailing zero) instead of N + M - 1
import numpy as np


def conv1d(a, v):
    out = np.zeros(len(a) + len(v))
    for i in range(len(a)):
        for j in range(len(v)):
            out[i + j] += a[i] * v[j]
    return out
