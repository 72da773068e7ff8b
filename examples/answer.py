"""A sample answer to `conv1d_full` (the full 1-D convolution), as the README submits it.

    grader check conv1d_full examples/answer.py
"""

import numpy as np


def conv1d(a: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The full discrete convolution: every a[i] * v[j] added into out[i + j]."""
    a = np.asarray(a, dtype=float)
    v = np.asarray(v, dtype=float)
    out = np.zeros(len(a) + len(v) - 1)
    for i in range(len(a)):
        out[i:i + len(v)] += a[i] * v
    return out
