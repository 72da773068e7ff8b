# expect: wrong_answer
# Mistake: the approximation uses e^(-1.44 x) instead of 2^(-1.44 x).
import numpy as np


def sigmoid(x):
    t = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + t), t / (1 + t))


def sigmoid_grad(x):
    s = sigmoid(x)
    return s * (1 - s)


def sigmoid_approx(x):
    return sigmoid(1.44 * x)


def sigmoid_approx_grad(x):
    s = sigmoid_approx(x)
    return 1.44 * s * (1 - s)
