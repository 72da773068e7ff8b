# mutant: adds the first bias after the ReLU: relu(W1 x) + b1
import numpy as np


def residual_forward(x, W1, b1, W2, b2):
    hidden = np.maximum(x @ W1.T, 0.0) + b1
    return np.maximum(x + hidden @ W2.T + b2, 0.0)
