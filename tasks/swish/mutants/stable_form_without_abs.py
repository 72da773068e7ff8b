# mutant: the stable sigmoid without the absolute value: exp(-u) overflows for u < -709
import numpy as np


def _sigmoid(u):
    e = np.exp(-u)
    return np.where(u >= 0, 1 / (1 + e), e / (1 + e))


def swish(x, beta):
    return x * _sigmoid(beta * x)


def swish_grad(x, beta):
    s = _sigmoid(beta * x)
    return s + beta * x * s * (1 - s)
