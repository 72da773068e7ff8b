# expect: accepted
# A correct solution in column form: W @ x on x transposed, so one expression serves both shapes.
import numpy as np


def residual_forward(x, W1, b1, W2, b2):
    xt = x.T
    h = np.maximum(0, W1 @ xt + b1.reshape(-1, *([1] * (xt.ndim - 1))))
    out = xt + W2 @ h + b2.reshape(-1, *([1] * (xt.ndim - 1)))
    return np.maximum(0, out).T
