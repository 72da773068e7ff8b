# expect: accepted
# A correct solution: the dot product plus the bias, then a strict step at 0.
import numpy as np


def perceptron(x, w, b):
    z = float(np.dot(w, x) + b)
    y = 1 if z > 0 else 0
    return z, y
