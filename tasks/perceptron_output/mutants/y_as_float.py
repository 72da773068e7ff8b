# mutant: returns y as the float 1.0 or 0.0 instead of the integer 1 or 0
import numpy as np


def perceptron(x, w, b):
    z = float(np.dot(w, x) + b)
    return z, 1.0 if z > 0 else 0.0
