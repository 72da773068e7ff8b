# expect: wrong_answer
# Mistake: forgets to reverse the kernel, so it returns the convolution.
import numpy as np


def conv1d(a, v):
    a = np.asarray(a, dtype=float)
    v = np.asarray(v, dtype=float)
    out = np.zeros(len(a) + len(v) - 1)
    for i in range(len(a)):
        out[i:i + len(v)] += a[i] * v
    return out


def correlate1d(a, v):
    return conv1d(a, v)
