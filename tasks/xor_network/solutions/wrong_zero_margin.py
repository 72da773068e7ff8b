# expect: wrong_answer
# Mistake: b1 = [0, 2] computes XOR only through step(0) = 0: inputs (0, 0) and (1, 1) sit on a boundary (z = 0).
import numpy as np


def xor_network():
    return {
        "W1": np.array([[1.0, 1.0], [-1.0, -1.0]]),
        "b1": np.array([0.0, 2.0]),
        "W2": np.array([1.0, 1.0]),
        "b2": -1.5,
    }
