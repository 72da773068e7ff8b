# expect: runtime_error
# Mistake: the textbook formulas overflow for large negative x (np.exp(1000) is inf), which the
# grader turns into a FloatingPointError.
import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_grad(x):
    return np.exp(-x) / (1 + np.exp(-x)) ** 2


def sigmoid_approx(x):
    return 1 / (1 + 2.0 ** (-1.44 * x))


def sigmoid_approx_grad(x):
    return 1.44 * np.log(2) * 2.0 ** (-1.44 * x) / (1 + 2.0 ** (-1.44 * x)) ** 2
