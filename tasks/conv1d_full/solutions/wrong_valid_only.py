# expect: wrong_answer
# Mistake: returns only the 'valid' part (no zero padding), length max - min + 1.
import numpy as np


def conv1d(a, v):
    a = np.asarray(a, dtype=float)
    v = np.asarray(v, dtype=float)
    if len(v) > len(a):
        a, v = v, a
    k = v[::-1]
    return np.array([np.dot(a[i:i + len(k)], k) for i in range(len(a) - len(k) + 1)])
