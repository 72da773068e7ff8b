# mutant: keeps where u < 1 - p (the keep-probability convention), not where u >= p
import numpy as np


def _apply(values, p, u):
    if p >= 1.0:
        return np.zeros_like(values)
    return np.where(u < 1.0 - p, values / (1.0 - p), 0.0)


def dropout_forward(x, p, u):
    return _apply(x, p, u)


def dropout_backward(dout, p, u):
    return _apply(dout, p, u)
