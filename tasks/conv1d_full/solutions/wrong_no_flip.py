# expect: wrong_answer
# Mistake: computes correlation (slides `v` without flipping it), not convolution.
import numpy as np


def conv1d(a, v):
    a = np.asarray(a, dtype=float)
    v = np.asarray(v, dtype=float)
    n_a, n_v = len(a), len(v)
    padded = np.concatenate([np.zeros(n_v - 1), a, np.zeros(n_v - 1)])
    return np.array([np.dot(padded[n:n + n_v], v) for n in range(n_a + n_v - 1)])
