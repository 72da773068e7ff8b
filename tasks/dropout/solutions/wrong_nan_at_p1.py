# expect: wrong_answer
# Mistake: no special case for p = 1: the array division 0 / 0 gives NaN instead of zeros.
import numpy as np


def dropout_forward(x, p, u):
    return x * (u >= p) / (1 - p)


def dropout_backward(dout, p, u):
    return dout * (u >= p) / (1 - p)
