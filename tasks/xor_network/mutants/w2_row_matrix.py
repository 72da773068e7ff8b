# mutant: W2 as a 1 x 2 matrix instead of a vector of shape (2,)
import numpy as np


def xor_network():
    return {"W1": np.array([[1.0, 1.0], [-1.0, -1.0]]), "b1": np.array([-0.5, 1.5]),
            "W2": np.array([[1.0, 1.0]]), "b2": -1.5}
