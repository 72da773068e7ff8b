# mutant: the approximation divides by 1.44: 2^(-x / 1.44)
import numpy as np


def _stable(t, x):
    return np.where(x >= 0, 1 / (1 + t), t / (1 + t))


def sigmoid(x):
    return _stable(np.exp(-np.abs(x)), x)


def sigmoid_grad(x):
    s = sigmoid(x)
    return s * (1 - s)


def sigmoid_approx(x):
    return _stable(2.0 ** (-np.abs(x) / 1.44), x)


def sigmoid_approx_grad(x):
    s = sigmoid_approx(x)
    return 1.44 * np.log(2) * s * (1 - s)
