# expect: wrong_answer
# Mistake: uses three hidden units (x1 AND NOT x2, x2 AND NOT x1, and an unused one); the question asks for two.
import numpy as np


def xor_network():
    return {
        "W1": np.array([[1.0, -1.0], [-1.0, 1.0], [1.0, 1.0]]),
        "b1": np.array([-0.5, -0.5, -0.5]),
        "W2": np.array([1.0, 1.0, 0.0]),
        "b2": -0.5,
    }
