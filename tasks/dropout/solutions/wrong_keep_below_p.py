# expect: wrong_answer
# Mistake: keeps units where u < p (p read as the keep probability), dropping the wrong ones.
import numpy as np


def dropout_forward(x, p, u):
    if p == 1:
        return np.zeros_like(x)
    return x * (u < p) / (1 - p)


def dropout_backward(dout, p, u):
    if p == 1:
        return np.zeros_like(dout)
    return dout * (u < p) / (1 - p)
