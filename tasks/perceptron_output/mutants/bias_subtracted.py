# mutant: subtracts the bias: z = w . x - b
import numpy as np


def perceptron(x, w, b):
    z = float(np.dot(w, x) - b)
    return z, 1 if z > 0 else 0
