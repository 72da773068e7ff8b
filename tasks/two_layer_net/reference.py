"""Reference for two_layer_net (trusted side): affine - ReLU - affine, forward and backward."""

import numpy as np


def two_layer_forward(X: np.ndarray, W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: np.ndarray) -> np.ndarray:
    """scores = relu(X @ W1 + b1) @ W2 + b2, shape N x C."""
    hidden = np.maximum(X @ W1 + b1, 0.0)
    return hidden @ W2 + b2


def two_layer_backward(
    X: np.ndarray, W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: np.ndarray, dscores: np.ndarray
) -> dict[str, np.ndarray]:
    """Gradients of sum(scores * dscores) with respect to X, W1, b1, W2, b2.

    The ReLU passes the gradient only where its input is strictly positive.
    """
    pre = X @ W1 + b1
    hidden = np.maximum(pre, 0.0)
    dW2 = hidden.T @ dscores
    db2 = dscores.sum(axis=0)
    dpre = (dscores @ W2.T) * (pre > 0)
    return {
        "dX": dpre @ W1.T,
        "dW1": X.T @ dpre,
        "db1": dpre.sum(axis=0),
        "dW2": dW2,
        "db2": db2,
    }
