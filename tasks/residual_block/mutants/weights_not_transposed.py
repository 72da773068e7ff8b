# mutant: multiplies the rows by W1 and W2 as given (x @ W1) instead of x @ W1.T: wrong whenever the shapes happen to fit
import numpy as np


def residual_forward(x, W1, b1, W2, b2):
    hidden = np.maximum(x @ W1 + b1, 0.0)
    return np.maximum(x + hidden @ W2 + b2, 0.0)
