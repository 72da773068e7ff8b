# expect: wrong_answer
# Mistake: forgets the bias: z = w . x only.
import numpy as np


def perceptron(x, w, b):
    z = float(np.dot(w, x))
    return z, 1 if z > 0 else 0
