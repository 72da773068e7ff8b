# mutant: returns z truncated to an integer (int(z)) along with y
import numpy as np


def perceptron(x, w, b):
    z = float(np.dot(w, x) + b)
    return int(z), 1 if z > 0 else 0
