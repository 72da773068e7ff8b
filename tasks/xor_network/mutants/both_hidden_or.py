# mutant: both hidden units compute OR, so the output sees one feature twice and cannot separate XOR
import numpy as np


def xor_network():
    return {"W1": np.array([[1.0, 1.0], [1.0, 1.0]]), "b1": np.array([-0.5, -0.5]),
            "W2": np.array([1.0, 1.0]), "b2": -1.5}
