# expect: wrong_answer
# Mistake: the step fires at z >= 0, so an input exactly on the boundary gives 1.
import numpy as np


def perceptron(x, w, b):
    z = float(np.dot(w, x) + b)
    return z, 1 if z >= 0 else 0
