"""Reference for xor_network (trusted side): XOR = AND(OR, NAND) with two hidden step units."""

import numpy as np


def xor_network() -> dict[str, np.ndarray | float]:
    """Hidden unit 1 is OR (x1 + x2 - 0.5), unit 2 is NAND (-x1 - x2 + 1.5); the output ANDs them.

    Every pre-activation is at least 0.5 away from 0.
    """
    return {
        "W1": np.array([[1.0, 1.0], [-1.0, -1.0]]),
        "b1": np.array([-0.5, 1.5]),
        "W2": np.array([1.0, 1.0]),
        "b2": -1.5,
    }
