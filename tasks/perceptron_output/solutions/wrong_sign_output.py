# expect: wrong_answer
# Mistake: uses the sign function, giving -1 instead of 0 when the perceptron does not fire.
import numpy as np


def perceptron(x, w, b):
    z = float(np.dot(w, x) + b)
    return z, int(np.sign(z))
