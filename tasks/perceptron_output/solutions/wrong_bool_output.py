# expect: wrong_answer
# Mistake: returns y as a bool (z > 0) instead of the integer 0 or 1.
import numpy as np


def perceptron(x, w, b):
    z = float(np.dot(w, x) + b)
    return z, z > 0
