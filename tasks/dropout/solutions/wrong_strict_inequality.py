# expect: wrong_answer
# Mistake: keeps only where u > p, so a unit with u exactly equal to p is dropped.
import numpy as np


def dropout_forward(x, p, u):
    if p == 1:
        return np.zeros_like(x)
    return x * (u > p) / (1 - p)


def dropout_backward(dout, p, u):
    if p == 1:
        return np.zeros_like(dout)
    return dout * (u > p) / (1 - p)
