# expect: runtime_error
# Mistake: x / (1 + exp(-beta x)) overflows in exp for large negative beta * x, which the grader
# turns into a FloatingPointError.
import numpy as np


def swish(x, beta):
    return x / (1 + np.exp(-beta * x))


def swish_grad(x, beta):
    s = 1 / (1 + np.exp(-beta * x))
    return s + beta * x * s * (1 - s)
