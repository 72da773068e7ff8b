# mutant: squeezes the result, so a batch of one row comes back as a vector of shape (d,) instead of (1, d)
import numpy as np


def residual_forward(x, W1, b1, W2, b2):
    X = np.atleast_2d(x)
    hidden = np.maximum(X @ W1.T + b1, 0.0)
    return np.squeeze(np.maximum(X + hidden @ W2.T + b2, 0.0))
