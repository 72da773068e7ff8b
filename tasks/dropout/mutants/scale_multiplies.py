# mutant: multiplies the kept values by (1 - p) instead of dividing by it
import numpy as np


def _apply(values, p, u):
    if p >= 1.0:
        return np.zeros_like(values)
    return np.where(u >= p, values * (1.0 - p), 0.0)


def dropout_forward(x, p, u):
    return _apply(x, p, u)


def dropout_backward(dout, p, u):
    return _apply(dout, p, u)
