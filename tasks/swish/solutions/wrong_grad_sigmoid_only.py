# expect: wrong_answer
# Mistake: forgets the product rule: returns only the derivative of sigmoid(beta x), beta s (1 - s).
import numpy as np


def _sigmoid(u):
    e = np.exp(-np.abs(u))
    return np.where(u >= 0, 1 / (1 + e), e / (1 + e))


def swish(x, beta):
    return x * _sigmoid(beta * x)


def swish_grad(x, beta):
    s = _sigmoid(beta * x)
    return beta * s * (1 - s)
