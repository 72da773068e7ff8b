"""Reference for mlp_forward (trusted side): one hidden ReLU layer, softmax, cross-entropy."""

import numpy as np


def mlp_forward(
    x: np.ndarray, W: np.ndarray, b: np.ndarray, W1: np.ndarray, b1: np.ndarray, y: np.ndarray
) -> dict[str, np.ndarray | float]:
    """hidden = relu(W x + b), logits = W1 hidden + b1, probs = softmax(logits), loss = -sum(y log probs).

    Softmax and its logarithm are computed after subtracting the largest logit.
    """
    hidden = np.maximum(W @ x + b, 0.0)
    logits = W1 @ hidden + b1
    shifted = logits - logits.max()
    log_probs = shifted - np.log(np.exp(shifted).sum())
    return {
        "hidden": hidden,
        "logits": logits,
        "probs": np.exp(log_probs),
        "loss": float(-(y * log_probs).sum()),
    }
