# mutant: the AND unit's bias -0.3 with weights 0.1 and 0.2 leaves (1, 1) at z = 5.6e-17, inside the margin
import numpy as np


def xor_network():
    return {"W1": np.array([[1.0, 1.0], [0.1, 0.2]]), "b1": np.array([-0.5, -0.3]),
            "W2": np.array([1.0, -2.0]), "b2": -0.5}
