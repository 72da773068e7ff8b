# mutant: clips x to [-10, 10] to avoid overflow, which changes the tails
import numpy as np


def _stable(t, x):
    return np.where(x >= 0, 1 / (1 + t), t / (1 + t))


def sigmoid(x):
    x = np.clip(x, -10, 10)
    return 1 / (1 + np.exp(-x))


def sigmoid_grad(x):
    s = sigmoid(x)
    return s * (1 - s)


def sigmoid_approx(x):
    return _stable(2.0 ** (-1.44 * np.abs(x)), x)


def sigmoid_approx_grad(x):
    s = sigmoid_approx(x)
    return 1.44 * np.log(2) * s * (1 - s)
