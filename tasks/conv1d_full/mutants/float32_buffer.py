# mutant: accumulates in float32, losing precision beyond the tolerance on long inputs
import numpy as np


def conv1d(a, v):
    out = np.zeros(len(a) + len(v) - 1, dtype=np.float32)
    for i in range(len(a)):
        out[i:i + len(v)] += (a[i] * np.asarray(v)).astype(np.float32)
    return out
