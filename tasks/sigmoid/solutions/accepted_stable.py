# expect: accepted
# A correct solution: compute with exp(-|x|) (or 2^(-1.44|x|)), which lies in (0, 1] and never overflows.
import numpy as np


def _stable(t, x):
    # t = base^(-|c x|); sigma = 1 / (1 + t) for x >= 0 and t / (1 + t) for x < 0
    return np.where(x >= 0, 1 / (1 + t), t / (1 + t))


def sigmoid(x):
    return _stable(np.exp(-np.abs(x)), x)


def sigmoid_grad(x):
    s = sigmoid(x)
    return s * (1 - s)


def sigmoid_approx(x):
    return _stable(2.0 ** (-1.44 * np.abs(x)), x)


def sigmoid_approx_grad(x):
    s = sigmoid_approx(x)
    return 1.44 * np.log(2) * s * (1 - s)
