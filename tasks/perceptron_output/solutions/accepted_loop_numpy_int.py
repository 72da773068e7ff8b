# expect: accepted
# A correct solution with an explicit loop; y comes back as a NumPy integer, which is fine.
import numpy as np


def perceptron(x, w, b):
    z = b
    for xi, wi in zip(x, w):
        z += xi * wi
    return z, np.int64(z > 0)
