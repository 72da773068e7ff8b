# expect: wrong_answer
# Mistake: forgets the ReLU after the addition and returns x + F(x).
import numpy as np


def residual_forward(x, W1, b1, W2, b2):
    h = np.maximum(0, x @ W1.T + b1)
    return x + h @ W2.T + b2
