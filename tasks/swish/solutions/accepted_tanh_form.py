# expect: accepted
# A correct solution using sigma(u) = (1 + tanh(u / 2)) / 2, which cannot overflow.
import numpy as np


def swish(x, beta):
    return x * 0.5 * (1 + np.tanh(0.5 * beta * x))


def swish_grad(x, beta):
    s = 0.5 * (1 + np.tanh(0.5 * beta * x))
    return s + beta * x * s * (1 - s)
