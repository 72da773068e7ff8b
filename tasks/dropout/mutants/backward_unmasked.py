# mutant: the backward pass scales the whole upstream gradient, dropped units included
import numpy as np


def dropout_forward(x, p, u):
    if p >= 1.0:
        return np.zeros_like(x)
    return np.where(u >= p, x / (1.0 - p), 0.0)


def dropout_backward(dout, p, u):
    if p >= 1.0:
        return np.zeros_like(dout)
    return dout / (1.0 - p)
