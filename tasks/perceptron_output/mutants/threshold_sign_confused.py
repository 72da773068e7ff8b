# mutant: z is right, but the unit fires when w . x > b (the bias read as a threshold), not when w . x + b > 0
import numpy as np


def perceptron(x, w, b):
    s = float(np.dot(w, x))
    return s + b, 1 if s > b else 0
