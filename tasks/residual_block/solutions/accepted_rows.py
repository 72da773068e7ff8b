# expect: accepted
# A correct solution: treat a vector as a batch of one row, then restore its shape.
import numpy as np


def residual_forward(x, W1, b1, W2, b2):
    X = np.atleast_2d(x)
    h = np.maximum(0, X @ W1.T + b1)
    out = np.maximum(0, X + h @ W2.T + b2)
    return out[0] if np.ndim(x) == 1 else out
