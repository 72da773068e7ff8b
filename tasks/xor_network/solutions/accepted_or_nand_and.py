# expect: accepted
# A correct answer: hidden OR and NAND units, and an AND output unit.
import numpy as np


def xor_network():
    return {
        "W1": np.array([[1.0, 1.0], [-1.0, -1.0]]),
        "b1": np.array([-0.5, 1.5]),
        "W2": np.array([1.0, 1.0]),
        "b2": -1.5,
    }
