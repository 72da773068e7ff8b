# mutant: dX is backpropagated from the hidden gradient before the ReLU mask
import numpy as np


def two_layer_forward(X, W1, b1, W2, b2):
    h = np.maximum(0, X.dot(W1) + b1)
    return h.dot(W2) + b2


def two_layer_backward(X, W1, b1, W2, b2, dscores):
    z = X.dot(W1) + b1
    h = np.maximum(0, z)
    dh = dscores.dot(W2.T)
    dz = np.where(z > 0, dh, 0.0)
    return {
        "dX": dh.dot(W1.T),
        "dW1": X.T.dot(dz),
        "db1": np.sum(dz, axis=0),
        "dW2": h.T.dot(dscores),
        "db2": np.sum(dscores, axis=0),
    }
