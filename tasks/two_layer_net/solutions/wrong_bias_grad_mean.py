# expect: wrong_answer
# Mistake: averages the bias gradients over the batch instead of summing them.
import numpy as np


def two_layer_forward(X, W1, b1, W2, b2):
    return np.maximum(0, X @ W1 + b1) @ W2 + b2


def two_layer_backward(X, W1, b1, W2, b2, dscores):
    z = X @ W1 + b1
    h = np.maximum(0, z)
    dz = (dscores @ W2.T) * (z > 0)
    return {"dX": dz @ W1.T, "dW1": X.T @ dz, "db1": dz.mean(0), "dW2": h.T @ dscores, "db2": dscores.mean(0)}
