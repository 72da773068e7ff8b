# mutant: sigmoid_grad as e^-|x| / (1 + e^-|x|), the square of the denominator forgotten
import numpy as np


def _stable(t, x):
    return np.where(x >= 0, 1 / (1 + t), t / (1 + t))


def sigmoid(x):
    return _stable(np.exp(-np.abs(x)), x)


def sigmoid_grad(x):
    t = np.exp(-np.abs(x))
    return t / (1 + t)


def sigmoid_approx(x):
    return _stable(2.0 ** (-1.44 * np.abs(x)), x)


def sigmoid_approx_grad(x):
    s = sigmoid_approx(x)
    return 1.44 * np.log(2) * s * (1 - s)
