# expect: wrong_answer
# Mistake: the ReLU mask uses >= 0, so the gradient passes where the ReLU input is exactly 0.
import numpy as np


def two_layer_forward(X, W1, b1, W2, b2):
    return np.maximum(0, X @ W1 + b1) @ W2 + b2


def two_layer_backward(X, W1, b1, W2, b2, dscores):
    z = X @ W1 + b1
    h = np.maximum(0, z)
    dz = (dscores @ W2.T) * (z >= 0)
    return {"dX": dz @ W1.T, "dW1": X.T @ dz, "db1": dz.sum(0), "dW2": h.T @ dscores, "db2": dscores.sum(0)}
