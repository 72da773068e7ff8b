# expect: wrong_answer
# Mistake: drops units but forgets the 1 / (1 - p) scaling of the kept ones.
import numpy as np


def dropout_forward(x, p, u):
    return x * (u >= p)


def dropout_backward(dout, p, u):
    return dout * (u >= p)
