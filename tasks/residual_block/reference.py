"""Reference for residual_block (trusted side): relu(x + W2 relu(W1 x + b1) + b2), row-wise for batches."""

import numpy as np


def residual_forward(x: np.ndarray, W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: np.ndarray) -> np.ndarray:
    """One fully connected residual block; `x` is one vector (d,) or a batch of rows (N, d).

    Written on rows (x @ W.T), which covers both shapes.
    """
    x = np.asarray(x, dtype=float)
    hidden = np.maximum(x @ W1.T + b1, 0.0)
    return np.maximum(x + hidden @ W2.T + b2, 0.0)
