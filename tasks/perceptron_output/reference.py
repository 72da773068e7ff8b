"""Reference for perceptron_output (trusted side): z = w . x + b and a step at 0."""

import numpy as np


def perceptron(x: np.ndarray, w: np.ndarray, b: float) -> tuple[float, int]:
    """(z, y) with z = w . x + b as a float and y = 1 if z > 0 else 0 as an int."""
    z = float(np.dot(np.asarray(w, dtype=float), np.asarray(x, dtype=float)) + b)
    return z, 1 if z > 0 else 0
