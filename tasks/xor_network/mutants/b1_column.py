# mutant: b1 as a 2 x 1 column instead of a vector of shape (2,)
import numpy as np


def xor_network():
    return {"W1": np.array([[1.0, 1.0], [-1.0, -1.0]]), "b1": np.array([[-0.5], [1.5]]),
            "W2": np.array([1.0, 1.0]), "b2": -1.5}
