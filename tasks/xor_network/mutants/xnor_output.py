# mutant: the output unit is a NAND of the OR and NAND units, which gives XNOR (the table inverted)
import numpy as np


def xor_network():
    return {"W1": np.array([[1.0, 1.0], [-1.0, -1.0]]), "b1": np.array([-0.5, 1.5]),
            "W2": np.array([-1.0, -1.0]), "b2": 1.5}
