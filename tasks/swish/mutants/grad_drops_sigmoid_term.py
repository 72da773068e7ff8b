# mutant: the product rule loses its first term: beta x s (1 - s) only
import numpy as np


def _sigmoid(u):
    e = np.exp(-np.abs(u))
    return np.where(u >= 0, 1 / (1 + e), e / (1 + e))


def swish(x, beta):
    return x * _sigmoid(beta * x)


def swish_grad(x, beta):
    s = _sigmoid(beta * x)
    return beta * x * s * (1 - s)
