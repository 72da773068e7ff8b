# expect: wrong_answer
# Mistake: the backward pass forgets the ReLU: the hidden gradient flows through dead units too.
import numpy as np


def two_layer_forward(X, W1, b1, W2, b2):
    return np.maximum(0, X @ W1 + b1) @ W2 + b2


def two_layer_backward(X, W1, b1, W2, b2, dscores):
    h = np.maximum(0, X @ W1 + b1)
    dz = dscores @ W2.T
    return {"dX": dz @ W1.T, "dW1": X.T @ dz, "db1": dz.sum(0), "dW2": h.T @ dscores, "db2": dscores.sum(0)}
