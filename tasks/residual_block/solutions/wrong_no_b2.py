# expect: wrong_answer
# Mistake: relu(x + W2 relu(W1 x + b1)) drops the second bias b2.
import numpy as np


def residual_forward(x, W1, b1, W2, b2):
    h = np.maximum(0, x @ W1.T + b1)
    return np.maximum(0, x + h @ W2.T)
