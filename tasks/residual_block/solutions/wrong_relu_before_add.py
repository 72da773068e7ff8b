# expect: wrong_answer
# Mistake: applies the ReLU to the branch and then adds the skip: x + relu(F(x)).
import numpy as np


def residual_forward(x, W1, b1, W2, b2):
    h = np.maximum(0, x @ W1.T + b1)
    return x + np.maximum(0, h @ W2.T + b2)
