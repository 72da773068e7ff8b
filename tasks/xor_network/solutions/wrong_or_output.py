# expect: wrong_answer
# Mistake: the output unit ORs the hidden OR and NAND units (b2 = -0.5), which is always 1.
import numpy as np


def xor_network():
    return {
        "W1": np.array([[1.0, 1.0], [-1.0, -1.0]]),
        "b1": np.array([-0.5, 1.5]),
        "W2": np.array([1.0, 1.0]),
        "b2": -0.5,
    }
