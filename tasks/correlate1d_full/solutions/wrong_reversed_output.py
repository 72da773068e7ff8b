# expect: wrong_answer
# Mistake: reverses the signal instead of the kernel, so the output comes out in
# reverse order (this is correlate(v, a), not correlate(a, v)).
import numpy as np


def conv1d(a, v):
    a = np.asarray(a, dtype=float)
    v = np.asarray(v, dtype=float)
    out = np.zeros(len(a) + len(v) - 1)
    for i in range(len(a)):
        out[i:i + len(v)] += a[i] * v
    return out


def correlate1d(a, v):
    return conv1d(np.asarray(a)[::-1], v)
