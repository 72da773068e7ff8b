# expect: wrong_answer
# Mistake: the derivative applies s (1 - s) to the input x instead of to sigmoid(x).
import numpy as np


def _stable(t, x):
    return np.where(x >= 0, 1 / (1 + t), t / (1 + t))


def sigmoid(x):
    return _stable(np.exp(-np.abs(x)), x)


def sigmoid_grad(x):
    return x * (1 - x)


def sigmoid_approx(x):
    return _stable(2.0 ** (-1.44 * np.abs(x)), x)


def sigmoid_approx_grad(x):
    return 1.44 * np.log(2) * x * (1 - x)
