# expect: accepted
# A correct solution: build the scaled mask once, handle p = 1 separately.
import numpy as np


def _mask(p, u):
    if p == 1:
        return np.zeros_like(u, dtype=float)
    return (u >= p).astype(float) / (1 - p)


def dropout_forward(x, p, u):
    return x * _mask(p, u)


def dropout_backward(dout, p, u):
    return dout * _mask(p, u)
