# mutant: the backward pass applies the mask but forgets the 1 / (1 - p) scaling
import numpy as np


def dropout_forward(x, p, u):
    if p >= 1.0:
        return np.zeros_like(x)
    return np.where(u >= p, x / (1.0 - p), 0.0)


def dropout_backward(dout, p, u):
    return np.where(u >= p, dout, 0.0)
