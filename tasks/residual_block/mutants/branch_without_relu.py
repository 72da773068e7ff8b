# mutant: the branch has no ReLU between its two layers: F(x) = W2 (W1 x + b1) + b2
import numpy as np


def residual_forward(x, W1, b1, W2, b2):
    hidden = x @ W1.T + b1
    return np.maximum(x + hidden @ W2.T + b2, 0.0)
