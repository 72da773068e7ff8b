# expect: wrong_answer
# Mistake: stores each hidden unit's weights in a column of W1, but the network computes W1 @ x.
import numpy as np


def xor_network():
    return {
        "W1": np.array([[1.0, -1.0], [1.0, -1.0]]),
        "b1": np.array([-0.5, 1.5]),
        "W2": np.array([1.0, 1.0]),
        "b2": -1.5,
    }
