# mutant: zero-pads the signal by len(a) - 1 on each side instead of len(v) - 1 (right only when both have one length)
import numpy as np


def conv1d(a, v):
    n, m = len(a), len(v)
    padded = np.concatenate([np.zeros(n - 1), a, np.zeros(n - 1)])
    flipped = np.asarray(v, dtype=float)[::-1]
    out = np.zeros(n + m - 1)
    for i in range(n + m - 1):
        window = padded[i:i + m]
        out[i] = float(np.dot(window, flipped[:len(window)]))
    return out
