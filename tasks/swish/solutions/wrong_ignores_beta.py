# expect: wrong_answer
# Mistake: implements SiLU, x * sigmoid(x), whatever beta is.
import numpy as np


def _sigmoid(u):
    e = np.exp(-np.abs(u))
    return np.where(u >= 0, 1 / (1 + e), e / (1 + e))


def swish(x, beta):
    return x * _sigmoid(x)


def swish_grad(x, beta):
    s = _sigmoid(x)
    return s + x * s * (1 - s)
